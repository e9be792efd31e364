"""A MyST notebook as an output-free ``.ipynb`` that Jupyter renders as the site does,
shaped for a student (``notebook_cells``): solutions after the exercises, cells that
need a compiler or Octave guarded, and numbers measured by the build labelled as such.

Not a Sphinx extension: ``notebooks.py`` uses it, with a `jupyter_markdown.Resolver`
answered from the build (``site_references``).
"""

from __future__ import annotations

import nbformat
from myst_nb.core.read import read_myst_markdown_notebook

from jupyter_markdown import MEASURED_MARK, to_jupyter_markdown
from notebook_cells import guard_cell, move_solutions, needed_tools
from notebook_publishing import install_cell


def _caption_cell(cell, references) -> nbformat.NotebookNode | None:
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
    if not figure or "caption" not in figure:
        return None
    number = references.reference("numref", figure["name"]) if "name" in figure else ""
    caption = to_jupyter_markdown(figure["caption"], references, references.docname)
    return nbformat.v4.new_markdown_cell(f"**{number}.** {caption}" if number else caption)


def _labelled(markdown: str, references) -> str:
    """``markdown``, with a line naming the build's machine under it if it shows a number
    that machine measured (marked by ``jupyter_markdown``)."""
    if MEASURED_MARK not in markdown:
        return markdown
    note = (f"{MEASURED_MARK} *Measured on {references.machine()} when the site was built; "
            "run the notebook's cells to measure your own machine.*")
    # Under the paragraph of the last marked number, before any heading that follows.
    lines = markdown.split("\n")
    last = max(i for i, line in enumerate(lines) if MEASURED_MARK in line)
    end = next((i for i in range(last, len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join([*lines[:end], "", note, *lines[end:]])


def clean_notebook(text: str, requirement: str, references=None) -> nbformat.NotebookNode:
    """A MyST notebook as an output-free ``.ipynb`` that Jupyter renders as the site does.

    ``references`` (a `jupyter_markdown.Resolver`) rewrites the MyST markup; without it
    the Markdown is kept as written.
    """
    notebook = read_myst_markdown_notebook(text)
    where = getattr(references, "docname", "<page>")
    cells = [nbformat.v4.new_code_cell(install_cell(requirement))]
    shown = [c for c in notebook.cells
             if "remove-cell" not in c.get("metadata", {}).get("tags", [])]
    for cell in move_solutions(shown):
        metadata = cell.get("metadata", {})
        if cell.cell_type == "markdown" and references is not None:
            cell.source = _labelled(to_jupyter_markdown(cell.source, references, where),
                                    references)
            if not cell.source:
                continue
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if (tools := needed_tools(cell)) and references is not None:
                cell.source = guard_cell(cell.source, tools, references.recorded(cell.source),
                                         references.machine(), where)
        caption = _caption_cell(cell, references) if references is not None else None
        metadata.pop("mystnb", None)
        cells += [cell, caption] if caption else [cell]
    notebook.cells = cells
    notebook.metadata.pop("jupytext", None)
    return notebook
