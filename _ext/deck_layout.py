"""Lay out the book's pages as reveal.js decks.

Three things break a page when sphinx-revealjs renders it as a deck: sphinx-proof puts
the body of every theorem in a ``section`` node, which reveal turns into a slide of its
own; the book's extensions inject scripts and styles (copy buttons, toggles, the book
theme) that have no place in a deck; and a ``hide-input`` cell becomes a toggle that
needs those scripts. An exercise (sphinx-exercise) is a task to project during a
hands-on break, its solution is not: for reveal builders only, this extension turns those
sections into containers, keeps only the assets a deck needs, shows hidden-input cells by
their output alone, gives each exercise a slide of its own (its title as the heading, its
statement as the body, under the closing ``Exercises`` slide that lists them) with its
solution in that slide's speaker notes, and drops the code cells with visible input from
a lecture's opening, before its first section (its setup cell: imports and
``jax.config.update``; it still runs and stays on the page and in the notebook, but a
title slide shows the lecture, not its imports).

Config keys: ``deck_layout_keep_assets`` (list of substrings; a script or stylesheet
of a deck is kept only if its path contains one of them).
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode
from sphinx_revealjs.builders import RevealjsHTMLBuilder

import deck_slides


def _is_deck(app) -> bool:
    return isinstance(app.builder, RevealjsHTMLBuilder)


def sections_to_containers(app, doctree, docname):
    """Replace sphinx-proof's inner ``section`` nodes by containers in decks."""
    if not _is_deck(app):
        return
    for section in list(doctree.findall(nodes.section)):
        if any(cls.endswith("-content") for cls in section["classes"]):
            container = nodes.container(classes=section["classes"])
            container += section.children
            section.replace_self(container)


def drop_hidden_inputs(app, doctree, docname):
    """In decks, a cell tagged ``hide-input`` shows its output and nothing else."""
    if not _is_deck(app):
        return
    for node in list(doctree.findall(HideCodeCellNode)):
        if "above-input" in node["classes"] and node.parent.get("hide_mode") in (
            "input", "input+output"
        ):
            node.parent.remove(node)


def exercise_slides(app, doctree, docname):
    """In decks, each exercise is a slide of its own, its solution in the notes."""
    if _is_deck(app):
        deck_slides.exercise_slides(doctree)


def drop_setup_cells(app, doctree, docname):
    """In decks, a lecture's setup cells are left out: its title slide shows no code."""
    if _is_deck(app):
        deck_slides.drop_setup_cells(doctree)


def keep_deck_assets(app, pagename, templatename, context, doctree):
    """Drop every script and stylesheet a deck does not need."""
    if not _is_deck(app):
        return
    keep = tuple(app.config.deck_layout_keep_assets)
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [
                asset for asset in context[key]
                if any(part in str(getattr(asset, "filename", asset)) for part in keep)
            ]


def setup(app):
    app.setup_extension("sphinx_revealjs")
    app.setup_extension("sphinx_exercise")
    app.add_config_value(
        "deck_layout_keep_assets",
        ["revealjs", "mathjax", "decks.css", "pygments.css", "documentation_options"],
        "html",
        types=[list],
    )
    app.connect("doctree-resolved", sections_to_containers)
    app.connect("doctree-resolved", drop_hidden_inputs)
    app.connect("doctree-resolved", exercise_slides)
    app.connect("doctree-resolved", drop_setup_cells)
    app.connect("html-page-context", keep_deck_assets)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
