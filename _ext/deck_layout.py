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

from html import escape

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, solution_node
from sphinx_revealjs._ext.notes import revealjs_notes
from sphinx_revealjs.builders import RevealjsHTMLBuilder
from sphinx_revealjs.nodes import revealjs_break

from prose_notes import slide_notes

EXERCISE_NODES = (exercise_enumerable_node, exercise_node)


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


def _body(node: nodes.Element) -> list[nodes.Node]:
    """An exercise's or solution's content without its title: the nodes inside its
    content section (or the container that replaced it) and any notes that
    ``prose_notes`` made of its paragraphs, unwrapped."""
    found = []
    for child in node.children:
        if isinstance(child, nodes.title) or child.__class__.__name__.endswith("_title"):
            continue
        if isinstance(child, (nodes.section, slide_notes)) or (
            isinstance(child, nodes.container)
            and any("-content" in x for x in child["ids"] + child["classes"])
        ):
            found.extend(_body(child))
        else:
            found.append(child)
    return found


def _title(node: nodes.Element) -> str:
    """``Exercise: <its title>``; sphinx-exercise's title node holds the title in brackets."""
    first = node.children[0] if node.children else None
    name = first.astext().strip() if first is not None else ""
    name = name.removeprefix("Exercise").strip().removeprefix("(").removesuffix(")").strip()
    return f"Exercise: {name}" if name else "Exercise"


def exercise_slides(app, doctree, docname):
    """In decks, each exercise becomes a slide of its own below the one it is in: its
    title as the heading, its statement as the body, its solution (code, outputs and
    prose) in the slide's speaker notes, where a speaker finds it after the break."""
    if not _is_deck(app):
        return
    solutions = {}
    for node in list(doctree.findall(solution_node)):
        solutions.setdefault(node.get("target_label"), node)
    after = {}  # where the next exercise slide goes, after the notes that held exercises
    for node in list(doctree.findall(lambda n: isinstance(n, EXERCISE_NODES))):
        if node.parent is None:
            continue
        holder = node.parent  # prose_notes moves an exercise (an admonition) into notes
        while holder is not None and not isinstance(holder, slide_notes):
            holder = holder.parent
        if holder is not None and holder.parent is not None:
            parent = holder.parent
            if id(holder) not in after:
                start = parent.index(holder) + 1
                while start < len(parent) and isinstance(parent[start],
                                                         (slide_notes, revealjs_notes)):
                    start += 1
                after[id(holder)] = start
            where = after[id(holder)]
            after[id(holder)] += 4
            node.parent.remove(node)
        else:
            parent = node.parent
            where = parent.index(node)
            parent.remove(node)
        heading = nodes.raw("", f'<h2 class="deck-exercise-title">{escape(_title(node))}</h2>',
                            format="html")
        statement = nodes.container(classes=["deck-exercise"])
        statement += [child.deepcopy() for child in _body(node)]
        notes = slide_notes()
        solution = solutions.pop(node.get("label"), None)
        if solution is not None:
            notes += nodes.paragraph("", "Solution")
            notes += [child.deepcopy() for child in _body(solution)]
            solution.parent.remove(solution)
        else:
            notes += nodes.paragraph("", "No written solution: discuss the answers.")
        new = [revealjs_break(notitle=True), heading, statement, notes]
        for offset, item in enumerate(new):
            parent.insert(where + offset, item)
    for solution in solutions.values():  # a solution whose exercise is not on this page
        if solution.parent is not None:
            solution.parent.remove(solution)


def _shows_input(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and "cell" in node["classes"] and any(
        isinstance(c, nodes.container) and "cell_input" in c["classes"] for c in node.children
    )


def drop_setup_cells(app, doctree, docname):
    """In decks, a code cell shown with its input before a lecture's first section (its
    setup) is left out: the title slide shows title, course, author, date and links."""
    if not _is_deck(app):
        return
    for title_section in list(doctree.findall(nodes.section)):
        if not isinstance(title_section.parent, nodes.document):
            continue
        for child in list(title_section.children):
            if isinstance(child, nodes.section):
                break
            if _shows_input(child):
                title_section.remove(child)


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
