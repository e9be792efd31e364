"""One source, two voices: the slide shows short text, the speaker keeps the page's prose.

A ``{slide}`` block (``:::{slide}`` … ``:::``) holds what a slide shows: a few bullets.
In the book, and in every builder other than reveal's, the block is removed. In the decks
it is shown, and every page paragraph of the same slide outside such blocks (paragraphs,
lists, quotes, definition lists, admonitions) moves into that slide's speaker notes,
before any explicit ``{revealjs-notes}``, which stay as they are; figure captions move
there too, so a figure stands alone on its slide. Code cells, their outputs, figures
and display math stay on the slide; theorem boxes, being admonitions, move to the notes.
A slide is a section's content up to the next ``{revealjs-break}`` or sub-section.

It reads no config keys.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx_revealjs._ext.notes import revealjs_notes
from sphinx_revealjs.builders import RevealjsHTMLBuilder
from sphinx_revealjs.nodes import revealjs_break, revealjs_fragments

PROSE = (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list, nodes.definition_list,
         nodes.block_quote, nodes.Admonition)


class slide_text(nodes.General, nodes.Element):
    """What a slide shows; removed outside the decks."""


class slide_notes(nodes.General, nodes.Element):
    """The page prose of a slide, rendered as reveal's speaker notes."""


class SlideDirective(SphinxDirective):
    has_content = True

    def run(self):
        node = slide_text(classes=["slide-text"])
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def _segments(section: nodes.section):
    """The runs of a section's children that reveal shows as one slide each."""
    run = []
    for child in section.children:
        if isinstance(child, (revealjs_break, nodes.section)):
            yield run
            run = []
            if isinstance(child, nodes.section):
                return
        else:
            run.append(child)
    yield run


def _is_prose(node: nodes.Node) -> bool:
    if isinstance(node, revealjs_fragments):  # a page list revealed item by item
        return all(_is_prose(child) for child in node.children)
    return isinstance(node, PROSE) and not isinstance(node, revealjs_notes) \
        and "deck-links" not in node.get("classes", [])


def _as_note(node: nodes.Node) -> nodes.Node:
    """A copy for the notes: no reveal fragments there, or each would take a click."""
    copy = node.deepcopy()
    for element in copy.findall(nodes.Element):
        if "fragment" in element["classes"]:
            element["classes"].remove("fragment")
    return copy


def move_prose_to_notes(segment: list[nodes.Node]) -> slide_notes | None:
    """Move the page prose of one slide into a notes node placed before its own notes."""
    parent, notes = segment[0].parent, slide_notes()
    own = next((c for c in segment if isinstance(c, revealjs_notes)), None)
    for child in segment:
        for caption in list(child.findall(nodes.caption)):
            if isinstance(caption.parent, nodes.figure):
                caption.parent.remove(caption)
                notes += nodes.paragraph("", "", *caption.children)
        if _is_prose(child):
            notes += _as_note(child)
    if not notes.children:
        return None
    kept = [c for c in segment if not _is_prose(c)]
    if own is not None:
        where = parent.index(own)
    elif kept:
        where = parent.index(kept[-1]) + 1
    else:
        where = parent.index(segment[0])
    parent.insert(where, notes)
    for child in segment:
        if _is_prose(child):
            parent.remove(child)
    return notes


def apply(app, doctree, docname):
    if not isinstance(app.builder, RevealjsHTMLBuilder):
        for node in list(doctree.findall(slide_text)):
            node.parent.remove(node)
        return
    for section in list(doctree.findall(nodes.section)):
        if any(cls.endswith("-content") for cls in section["classes"]):
            continue  # a theorem's body (sphinx-proof), not a slide
        for segment in list(_segments(section)):
            if segment:
                move_prose_to_notes(segment)


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
