"""Keep speaker notes in the decks and out of the book.

sphinx-revealjs renders a ``revealjs-notes`` directive as an ordinary admonition for
every builder other than its own, so a page would show its speaker notes to readers.
This extension removes those nodes from the doctree of every non-reveal builder.
It reads no config keys.
"""

from __future__ import annotations

from sphinx_revealjs._ext.notes import revealjs_notes
from sphinx_revealjs.builders import RevealjsHTMLBuilder


def drop_notes(app, doctree, docname):
    if isinstance(app.builder, RevealjsHTMLBuilder):
        return
    for node in list(doctree.findall(revealjs_notes)):
        node.parent.remove(node)


def setup(app):
    app.setup_extension("sphinx_revealjs")
    app.connect("doctree-resolved", drop_notes)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
