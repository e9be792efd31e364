"""Reshape a lecture's cells for a student's notebook: solutions after the exercises,
and cells that need a tool the student may lack guarded, with the build's output.

Two things the site does with its build that a downloaded notebook cannot:

- The site folds each solution into a dropdown under its exercise. A notebook has no
  dropdowns, so `move_solutions` gathers every solution (the Markdown between
  ``{solution-start}`` and ``{solution-end}``, or a whole ``{solution}``, and the code
  cells inside) into a "Solutions" section after the last exercise, their code cells
  collapsed (``jupyter.source_hidden``, honoured by JupyterLab and Colab).
- The site's build has gcc, gfortran and Octave; a laptop or Colab may not. A code cell
  tagged ``needs-<tool>`` (``needs-gcc``, ``needs-octave``, ...) runs as written in the
  build, which fails if the tool is missing; `guard_cell` rewrites it for the notebook
  so that, where the tool is absent, it says so in one line and prints what the cell
  printed when the site was built, and the notebook goes on.

Not a Sphinx extension: ``clean_notebook.py`` uses it on MyST source, before
``jupyter_markdown`` rewrites the Markdown.
"""

from __future__ import annotations

import ast
import textwrap

import nbformat

from jupyter_markdown import DIRECTIVE

NEEDS = "needs-"
SOLUTIONS_HEADING = "## Solutions"
GUARD = """\
import shutil

from IPython.display import display

if {test}:
{code}
else:
    print({missing!r})
    print({recorded})"""


def _split(source: str, inside: bool) -> tuple[list[tuple[bool, str]], bool]:
    """``source`` as (in a solution?, text) pieces, in order, and whether a solution is
    still open at its end; ``inside`` says whether one is open at its start. The start
    marker opens a solution piece, the end marker closes it and is dropped."""
    pieces, position = [], 0
    for match in DIRECTIVE.finditer(source):
        pieces.append((inside, source[position:match.start()]))
        name = match["name"]
        if name == "solution-start":
            inside = True
        if name != "solution-end":
            pieces.append((inside or name == "solution", match.group(0)))
        if name == "solution-end":
            inside = False
        position = match.end()
    pieces.append((inside, source[position:]))
    return [(where, text) for where, text in pieces if text.strip()], inside


def move_solutions(cells: list) -> list:
    """``cells`` with every solution moved into a "Solutions" section after the last
    exercise (before the next heading, or at the end); solution code cells collapsed."""
    kept, solutions, inside, last_exercise = [], [], False, None
    for cell in cells:
        if cell.cell_type == "code":
            if inside:
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            (solutions if inside else kept).append(cell)
            continue
        pieces, inside = _split(cell.source, inside)
        for in_solution, text in _merge(pieces):
            new = nbformat.v4.new_markdown_cell(text.strip("\n"))
            (solutions if in_solution else kept).append(new)
            if not in_solution and "{exercise}" in text:
                last_exercise = len(kept) - 1
    if not solutions:
        return kept
    if last_exercise is None:
        raise ValueError("a solution with no exercise before it")
    after = next((i for i in range(last_exercise + 1, len(kept))
                  if kept[i].cell_type == "markdown" and kept[i].source.startswith("#")),
                 len(kept))
    heading = nbformat.v4.new_markdown_cell(SOLUTIONS_HEADING)
    return kept[:after] + [heading, *solutions] + kept[after:]


def _merge(pieces: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    merged: list[tuple[bool, str]] = []
    for where, text in pieces:
        if merged and merged[-1][0] == where:
            merged[-1] = (where, merged[-1][1] + text)
        else:
            merged.append((where, text))
    return merged


def needed_tools(cell) -> list[str]:
    return [t[len(NEEDS):] for t in cell.get("metadata", {}).get("tags", [])
            if t.startswith(NEEDS)]


def _displayed(code: str) -> str:
    """``code`` with a final bare expression wrapped in ``display``, as the kernel would
    show it at the top level of a cell but not inside an ``if``."""
    body = ast.parse(code).body
    last = body[-1] if body else None
    if not isinstance(last, ast.Expr) or (isinstance(last.value, ast.Call)
                                          and getattr(last.value.func, "id", "") == "print"):
        return code
    lines = code.split("\n")
    head, tail = lines[:last.lineno - 1], lines[last.lineno - 1:last.end_lineno]
    return "\n".join([*head, f"display(({chr(10).join(tail)}))", *lines[last.end_lineno:]])


def guard_cell(code: str, tools: list[str], recorded: str, machine: str, where: str) -> str:
    """The source of a notebook cell that runs ``code`` where every tool in ``tools`` is
    on PATH, and otherwise says which is missing and prints ``recorded``, the output
    the cell gave when the site was built on ``machine``."""
    if '"""' in code or "'''" in code:
        raise ValueError(f"{where}: a cell tagged needs-{tools[0]} holds a triple-quoted "
                         "string, which cannot be indented safely; write it on one line")
    test = " and ".join(f"shutil.which({tool!r})" for tool in tools)
    missing = (f"{' or '.join(tools)} is not installed here, so this cell does not run; "
               f"when the site was built on {machine}, it printed:")
    return GUARD.format(test=test, code=textwrap.indent(_displayed(code), "    "),
                        missing=missing, recorded=repr(recorded.rstrip("\n")))
