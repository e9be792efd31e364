"""The clean notebooks offered for download run from top to bottom on their own."""

import json

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

pytestmark = pytest.mark.build
NOTEBOOKS = ROOT / "_build" / "html" / "_notebooks" / "book"
LECTURES = ["history"]


@pytest.mark.parametrize("lecture", LECTURES)
def test_lecture_notebook_is_linked_clean_and_runs(built_book, lecture, tmp_path):
    page = (ROOT / "_build" / "html" / "book" / f"{lecture}.html").read_text()
    assert f'href="../_notebooks/book/{lecture}.ipynb"' in page
    notebook = nbformat.read(NOTEBOOKS / f"{lecture}.ipynb", as_version=4)
    text = json.dumps(notebook)
    assert "myst_nb" not in text and "codedigest" not in text
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "book")}}).execute()
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []


def undefined_names(notebook) -> list[str]:
    """Names a cell reads that no earlier (or the same) cell defines and that are not builtins."""
    import ast
    import builtins

    defined, missing = set(dir(builtins)), []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code = "\n".join("pass" if line.strip().startswith("%") else line
                         for line in cell.source.splitlines())
        tree = ast.parse(code)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
                defined.add(node.id)
            elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
                defined.add(node.name)
                defined.update(a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg))
            elif isinstance(node, ast.Import | ast.ImportFrom):
                defined.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.arg):
                defined.add(node.arg)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                defined.add(node.name)
        missing += [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
                    and isinstance(n.ctx, ast.Load) and n.id not in defined]
    return missing


def test_every_notebook_defines_what_it_uses(built_book):
    found = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert found, "no notebooks were written"
    for path in found:
        notebook = nbformat.read(path, as_version=4)
        assert undefined_names(notebook) == [], path.name
