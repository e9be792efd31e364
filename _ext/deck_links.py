"""Link every page to its deck and every deck to its page.

The site (``html``) and the decks (``revealjs``) are built side by side under one
output root and published the same way, so the links are relative: a page gets a line
under its title pointing to its deck, the deck's PDF, the deck index, and the deck's
scroll view (reveal's ``?view=scroll``) as a handout. The title slide of a deck gets the course
title, the author line, the build date and a line pointing back to the page, to the
deck's PDF, to its scroll view and to the deck index.

Config keys: ``deck_links_html_dir`` and ``deck_links_deck_dir`` (names of the two
output folders under the common root), ``deck_links_pdf_dir`` (folder of the PDFs inside
the decks folder) and ``deck_links_index`` (file name of the deck index there).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.i18n import format_date
from sphinx_revealjs.builders import RevealjsHTMLBuilder


def course_title(config) -> str:
    """The book's title: Jupyter Book sets ``html_title`` from ``title``, not ``project``."""
    return config.html_title or config.project


def relative_target(docname: str, folder: str, path: str) -> str:
    """URL from the output of ``docname`` to ``path`` in the sibling output ``folder``."""
    return "../" * (docname.count("/") + 1) + f"{folder}/{path}"


def _link(text: str, uri: str, classes: list[str]) -> nodes.reference:
    return nodes.reference("", text, refuri=uri, internal=False, classes=classes)


def _line(parts: list[nodes.Node], classes: list[str]) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=classes)
    for i, part in enumerate(parts):
        if i:
            paragraph += nodes.Text(" · ")
        paragraph += part
    return paragraph


def add_links(app, doctree, docname):
    config = app.config
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children:
        return
    deck_dir, html_dir = config.deck_links_deck_dir, config.deck_links_html_dir
    index = relative_target(docname, deck_dir, config.deck_links_index)
    deck = relative_target(docname, deck_dir, f"{docname}.html")
    pdf = relative_target(docname, deck_dir, f"{config.deck_links_pdf_dir}/{docname}.pdf")
    scroll = _link("Handout", f"{deck}?view=scroll", ["deck-handout-link"])
    if isinstance(app.builder, RevealjsHTMLBuilder):  # the title slide, under the title
        page = relative_target(docname, html_dir, f"{docname}.html")
        date = format_date("%d %B %Y", language=config.language)
        lines = [nodes.paragraph("", text, classes=[cls]) for text, cls in (
            (course_title(config), "deck-course"), (config.author, "deck-author"),
            (date, "deck-date"))]
        lines.append(_line([_link("Read the lecture", page, ["page-link"]),
                            _link("PDF", pdf, ["deck-pdf-link"]), scroll,
                            _link("All decks", index, ["deck-index-link"])], ["deck-links"]))
        section.insert(1, nodes.container("", *lines, classes=["deck-title"]))
        return
    parts = [_link("Slides", deck, ["deck-link"]), scroll, _link("PDF", pdf, ["deck-pdf-link"]),
             _link("All decks", index, ["deck-index-link"])]
    section.insert(1, _line(parts, ["deck-links"]))


def setup(app):
    app.add_config_value("deck_links_html_dir", "html", "env", types=[str])
    app.add_config_value("deck_links_deck_dir", "revealjs", "env", types=[str])
    app.add_config_value("deck_links_pdf_dir", "pdf", "env", types=[str])
    app.add_config_value("deck_links_index", "decks.html", "env", types=[str])
    app.connect("doctree-resolved", add_links)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
