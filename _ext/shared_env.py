"""Keep one Sphinx environment valid for both builders, so a no-change build re-reads
nothing.

The site and the decks share ``_build/.doctrees``. sphinx-revealjs's builder changes
settings that count for the environment while it initialises: it appends its static
folder to ``revealjs_static_path`` (and other extensions then add theirs, since it makes
``html_static_path`` the same list) and adds a key to ``revealjs_script_conf``. The
environment is then saved with settings no fresh configuration has, and the next build
of either kind finds the configuration changed and re-reads every page. This extension
copies the ``revealjs_*`` settings as configured and, once every extension has set up
the builder, gives the configuration those copies back; the builder keeps what it took.
"""

from __future__ import annotations

import copy

from sphinx_revealjs.builders import RevealjsHTMLBuilder


def remember_settings(app, config) -> None:
    app.configured_revealjs = {item.name: copy.deepcopy(item.value) for item in config
                               if item.name.startswith("revealjs_")}


def restore_settings(app) -> None:
    if isinstance(app.builder, RevealjsHTMLBuilder):
        for name, value in app.configured_revealjs.items():
            setattr(app.config, name, value)


def setup(app):
    app.setup_extension("sphinx_revealjs")
    app.connect("config-inited", remember_settings)
    app.connect("builder-inited", restore_settings, priority=900)  # after the others
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
