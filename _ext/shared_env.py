"""Keep one Sphinx environment valid for both builders, so a no-change build re-reads
nothing and a change reaches the site and the decks alike.

The site and the decks share ``_build/.doctrees``. Two things would go wrong unaided.

Settings. sphinx-revealjs's builder changes settings that count for the environment
while it initialises: it appends its static folder to ``revealjs_static_path`` (and other
extensions then add theirs, since it makes ``html_static_path`` the same list) and adds a
key to ``revealjs_script_conf``. The environment is then saved with settings no fresh
configuration has, and the next build of either kind finds the configuration changed and
re-reads every page. This extension copies the ``revealjs_*`` settings as configured and,
once every extension has set up the builder, gives the configuration those copies back;
the builder keeps what it took.

Writes. Sphinx writes a page when its source is newer than the builder's output or when
this build re-read it. A page that the site's build re-read for a reason other than its
own text (the package code it runs changed, a setting changed, its numbering moved) is
current in the environment when the decks are built next, and its source is older than
its deck: the deck would stay stale. So each build records, in ``shared_env.json``
beside the environment, the pages it re-read or renumbered, and every other builder that
shares the environment writes those pages at its next build. A builder the record does
not know yet (a fresh environment, which a failed ``make book`` leaves behind) writes
every page once.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from sphinx_revealjs.builders import RevealjsHTMLBuilder

RECORD = "shared_env.json"


def remember_settings(app, config) -> None:
    app.configured_revealjs = {item.name: copy.deepcopy(item.value) for item in config
                               if item.name.startswith("revealjs_")}


def restore_settings(app) -> None:
    if isinstance(app.builder, RevealjsHTMLBuilder):
        for name, value in app.configured_revealjs.items():
            setattr(app.config, name, value)


def _record(app) -> dict[str, list[str]]:
    """Builder name -> the pages it has yet to write for other builders' reading."""
    try:
        return json.loads(Path(app.doctreedir, RECORD).read_text())
    except (OSError, ValueError):
        return {}


def note_reads(app, env, docnames) -> None:
    app.shared_env_read = set(docnames)


def note_numbers(app, env) -> list[str]:
    """Before Sphinx numbers sections and figures again: the numbers as they were."""
    app.shared_env_numbers = copy.deepcopy((env.toc_secnumbers, env.toc_fignumbers))
    return []


def pages_to_write(app, env) -> list[str]:
    """Pages another builder read since this one last wrote them: all of them for a
    builder that has not written since the environment was made."""
    record = _record(app)
    if app.builder.name not in record:
        return sorted(env.found_docs)
    return sorted(set(record[app.builder.name]) & env.found_docs)


def save_record(app, exception) -> None:
    if exception is not None:
        return
    env = app.env
    changed = set(getattr(app, "shared_env_read", ()))
    if hasattr(app, "shared_env_numbers"):
        secnumbers, fignumbers = app.shared_env_numbers
        changed |= {doc for doc in env.found_docs
                    if secnumbers.get(doc) != env.toc_secnumbers.get(doc)
                    or fignumbers.get(doc) != env.toc_fignumbers.get(doc)}
    before = _record(app)
    record = {name: sorted(set(pages) | changed) for name, pages in before.items()}
    record[app.builder.name] = []  # written in this build (pages_to_write)
    if record != before:
        Path(app.doctreedir, RECORD).write_text(json.dumps(record, indent=1, sort_keys=True))


def setup(app):
    app.setup_extension("sphinx_revealjs")
    app.connect("config-inited", remember_settings)
    app.connect("builder-inited", restore_settings, priority=900)  # after the others
    app.connect("env-before-read-docs", note_reads)
    app.connect("env-get-updated", note_numbers, priority=100)  # before Sphinx's numbering
    app.connect("env-updated", pages_to_write)
    app.connect("build-finished", save_record)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
