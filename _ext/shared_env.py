"""Keep one Sphinx environment valid for both builders, so a no-change build re-reads
nothing.

The site and the decks share ``_build/.doctrees``. sphinx-revealjs's builder appends
its own static folder to ``revealjs_static_path``, an "env" setting, while it
initialises; the environment is then saved with a setting that no fresh configuration
has, and the next build of either kind finds the configuration changed and re-reads
every page. Once the builder has taken the folder (into ``html_static_path``), this
extension gives ``revealjs_static_path`` back its configured value.
"""

from __future__ import annotations

from sphinx_revealjs.builders import RevealjsHTMLBuilder


def restore_static_path(app) -> None:
    if not isinstance(app.builder, RevealjsHTMLBuilder):
        return
    configured = app.config.revealjs_static_path[:-1]
    app.config.html_static_path = list(app.config.revealjs_static_path)
    app.config.revealjs_static_path = configured


def setup(app):
    app.setup_extension("sphinx_revealjs")
    app.connect("builder-inited", restore_static_path)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
