"""One source, two voices: the slide shows short text, the speaker keeps the page's prose.

A ``{slide}`` block (``:::{slide}`` … ``:::``) holds what a slide shows: a few bullets.
In the book, and in every builder other than reveal's, the block is removed. In the decks
it is shown, and every page paragraph of the same slide outside such blocks moves into
that slide's speaker notes (``prose_notes``), before any explicit ``{revealjs-notes}``,
which stay as they are. A slide is a section's content up to the next
``{revealjs-break}`` or sub-section.

It reads no config keys.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx_revealjs.builders import RevealjsHTMLBuilder

from prose_notes import move_all_prose_to_notes, slide_notes


class slide_text(nodes.General, nodes.Element):
    """What a slide shows; removed outside the decks."""


class SlideDirective(SphinxDirective):
    has_content = True

    def run(self):
        node = slide_text(classes=["slide-text"])
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def apply(app, doctree, docname):
    if not isinstance(app.builder, RevealjsHTMLBuilder):
        for node in list(doctree.findall(slide_text)):
            node.parent.remove(node)
        return
    move_all_prose_to_notes(doctree)


def _wrap(tag: str, classes: str):
    return (lambda self, node: self.body.append(f'<{tag} class="{classes}">'),
            lambda self, node: self.body.append(f"</{tag}>\n"))


def setup(app):
    app.setup_extension("sphinx_revealjs")
    for node, tag, classes in ((slide_notes, "aside", "notes"), (slide_text, "div", "slide-text")):
        app.add_node(node, **dict.fromkeys(("html", "revealjs", "dirrevealjs"),
                                           _wrap(tag, classes)))
    app.add_directive("slide", SlideDirective)
    app.connect("doctree-resolved", apply, priority=400)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
