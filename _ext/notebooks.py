"""Offer each lecture as a clean Jupyter notebook, linked from its page.

For the html builder, every page written as a MyST notebook is converted to ``.ipynb``
with myst-nb's own reader, without outputs and without the build's plumbing (cells
tagged ``remove-cell``, which only glue numbers into the prose), and with a first cell
that installs the package where it is missing. A "Notebook" link joins the line under
the page title. Pages listed in ``notebooks_exclude`` are left out.

Config keys: ``notebooks_dir`` (output folder inside the html output),
``notebooks_exclude`` (docnames), ``notebooks_install`` (pip requirement of the
package; empty means: stop with a message saying how to install it).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from docutils import nodes
from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
from sphinx_revealjs.builders import RevealjsHTMLBuilder

INSTALL = """\
# Fresh environments (Colab, a new virtualenv) need the lecture package first.
import importlib.util

if importlib.util.find_spec("jaxecon") is None:
{action}"""


def install_cell(requirement: str) -> str:
    """Source of the first cell: install ``requirement`` if ``jaxecon`` is missing."""
    if requirement:
        return INSTALL.format(action=f"    %pip install --quiet {json.dumps(requirement)}")
    return INSTALL.format(action='    raise ImportError("install the lecture package first: '
                          'pip install -e <the project\'s folder>")')


def clean_notebook(text: str, requirement: str) -> nbformat.NotebookNode:
    """A MyST notebook as an output-free ``.ipynb`` without ``remove-cell`` cells."""
    notebook = read_myst_markdown_notebook(text)
    cells = [cell for cell in notebook.cells
             if "remove-cell" not in cell.get("metadata", {}).get("tags", [])]
    for cell in cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.cells = [nbformat.v4.new_code_cell(install_cell(requirement)), *cells]
    notebook.metadata.pop("jupytext", None)
    return notebook


def _wanted(app, docname: str) -> bool:
    if docname in app.config.notebooks_exclude:
        return False
    return is_myst_markdown_notebook(Path(app.env.doc2path(docname)).read_text())


def link_notebook(app, doctree, docname):
    if isinstance(app.builder, RevealjsHTMLBuilder) or not _wanted(app, docname):
        return
    target = "../" * docname.count("/") + f"{app.config.notebooks_dir}/{docname}.ipynb"
    link = nodes.reference("", "Notebook", refuri=target, classes=["notebook-link"])
    for line in doctree.findall(nodes.paragraph):
        if "deck-links" in line["classes"]:
            line += [nodes.Text(" · "), link]
            return
    section = next(iter(doctree.findall(nodes.section)))
    section.insert(1, nodes.paragraph("", "", link, classes=["deck-links"]))


def write_notebooks(app, exception):
    if exception is not None or isinstance(app.builder, RevealjsHTMLBuilder):
        return
    for docname in sorted(app.env.found_docs):
        if _wanted(app, docname):
            text = Path(app.env.doc2path(docname)).read_text()
            out = Path(app.outdir, app.config.notebooks_dir, f"{docname}.ipynb")
            out.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(clean_notebook(text, app.config.notebooks_install), out)


def setup(app):
    app.add_config_value("notebooks_dir", "_notebooks", "html", types=[str])
    app.add_config_value("notebooks_exclude", [], "html", types=[list])
    app.add_config_value("notebooks_install", "", "html", types=[str])
    app.connect("doctree-resolved", link_notebook)
    app.connect("build-finished", write_notebooks)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
