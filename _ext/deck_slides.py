"""Slides the decks make of a page's exercises and leave out of its opening: the
doctree transforms behind ``deck_layout`` for reveal builders.

An exercise (sphinx-exercise) is a task to project during a hands-on break: it becomes a
slide of its own, its title as the heading and its statement as the body, with its
solution in that slide's speaker notes. A lecture's setup cells (imports and
``jax.config.update``, code with visible input before its first section) are left out
of the deck: they still run and stay on the page and in the notebook.

Not a Sphinx extension: ``deck_layout`` runs these transforms.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, solution_node
from sphinx_revealjs._ext.notes import revealjs_notes
from sphinx_revealjs.nodes import revealjs_break

from prose_notes import slide_notes

EXERCISE_NODES = (exercise_enumerable_node, exercise_node)


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


def exercise_slides(doctree: nodes.document) -> None:
    """Each exercise becomes a slide of its own below the one it is in: its title as the
    heading, its statement as the body, its solution (code, outputs and prose) in the
    slide's speaker notes, where a speaker finds it after the break."""
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
        if id(holder) in after:  # the next exercise from these notes goes after this one
            after[id(holder)] += len(new)
    for solution in solutions.values():  # a solution whose exercise is not on this page
        if solution.parent is not None:
            solution.parent.remove(solution)


def _shows_input(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and "cell" in node["classes"] and any(
        isinstance(c, nodes.container) and "cell_input" in c["classes"] for c in node.children
    )


def drop_setup_cells(doctree: nodes.document) -> None:
    """A code cell shown with its input before a lecture's first section (its setup) is
    left out: the title slide shows title, course, author, date and links."""
    for title_section in list(doctree.findall(nodes.section)):
        if not isinstance(title_section.parent, nodes.document):
            continue
        for child in list(title_section.children):
            if isinstance(child, nodes.section):
                break
            if _shows_input(child):
                title_section.remove(child)
