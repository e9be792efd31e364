"""A MyST notebook as an output-free ``.ipynb`` that Jupyter renders as the site does.

Not a Sphinx extension: ``notebooks.py`` uses it, with a `jupyter_markdown.Resolver`
answered from the build (``site_references``).
"""

from __future__ import annotations

import nbformat
from myst_nb.core.read import read_myst_markdown_notebook

from jupyter_markdown import to_jupyter_markdown
from notebook_publishing import install_cell


def _caption_cell(cell, references) -> nbformat.NotebookNode | None:
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
    if not figure or "caption" not in figure:
        return None
    number = references.reference("numref", figure["name"]) if "name" in figure else ""
    caption = to_jupyter_markdown(figure["caption"], references, references.docname)
    return nbformat.v4.new_markdown_cell(f"**{number}.** {caption}" if number else caption)


def clean_notebook(text: str, requirement: str, references=None) -> nbformat.NotebookNode:
    """A MyST notebook as an output-free ``.ipynb`` that Jupyter renders as the site does.

    ``references`` (a `jupyter_markdown.Resolver`) rewrites the MyST markup; without it
    the Markdown is kept as written.
    """
    notebook = read_myst_markdown_notebook(text)
    where = getattr(references, "docname", "<page>")
    cells = [nbformat.v4.new_code_cell(install_cell(requirement))]
    for cell in notebook.cells:
        metadata = cell.get("metadata", {})
        if "remove-cell" in metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown" and references is not None:
            cell.source = to_jupyter_markdown(cell.source, references, where)
            if not cell.source:
                continue
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        caption = _caption_cell(cell, references) if references is not None else None
        metadata.pop("mystnb", None)
        cells += [cell, caption] if caption else [cell]
    notebook.cells = cells
    notebook.metadata.pop("jupytext", None)
    return notebook
