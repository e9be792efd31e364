"""The page prose of one slide moved into its speaker notes: the doctree transform behind
``slide_text``. Every paragraph, list, quote, definition list or admonition of a slide
moves into a notes node placed before the slide's own ``{revealjs-notes}``; figure
captions move there too. Code cells, outputs, figures and display math stay.

Not a Sphinx extension: ``slide_text`` registers the node and runs the transform.
"""

from __future__ import annotations

from docutils import nodes
from sphinx_revealjs._ext.notes import revealjs_notes
from sphinx_revealjs.nodes import revealjs_break, revealjs_fragments

PROSE = (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list, nodes.definition_list,
         nodes.block_quote, nodes.Admonition)


class slide_notes(nodes.General, nodes.Element):
    """The page prose of a slide, rendered as reveal's speaker notes."""


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


def move_all_prose_to_notes(doctree: nodes.document) -> None:
    """Apply :func:`move_prose_to_notes` to every slide of every section of ``doctree``."""
    for section in list(doctree.findall(nodes.section)):
        if any(cls.endswith("-content") for cls in section["classes"]):
            continue  # a theorem's body (sphinx-proof), not a slide
        for segment in list(_segments(section)):
            if segment:
                move_prose_to_notes(segment)
