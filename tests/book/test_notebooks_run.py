"""The notebooks offered for download and for Colab: clean, self-contained, and they run
from top to bottom in a fresh environment that has to install the package first."""

import json
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from conftest import REPOSITORY, ROOT

pytestmark = pytest.mark.build
NOTEBOOKS = ROOT / "_build" / "html" / "_notebooks" / "book"
# MyST markup that Jupyter would show as it is: roles, directives, targets.
MYST = re.compile(r"\{[\w:-]+\}`|^(?:```|:::)\{|^\([\w-]+\)=$", re.MULTILINE)


def _head() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def _fresh_environment(root: Path) -> Path:
    """A virtualenv that sees the lock's packages (pip among them) but not jaxecon, as
    Colab comes with pip, jax, numpy, numba and matplotlib but not the lecture package."""
    venv, deps = root / "venv", root / "deps"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    deps.mkdir()
    for entry in Path(sysconfig.get_path("purelib")).iterdir():
        if "jaxecon" not in entry.name:
            (deps / entry.name).symlink_to(entry)
    python = venv / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = subprocess.run([python, "-c", where], capture_output=True, text=True,
                             check=True).stdout.strip()
    (Path(purelib) / "deps.pth").write_text(f"{deps}\n")
    return python


def test_lecture_notebook_is_linked_from_its_page_and_from_colab(built_book):
    page = (ROOT / "_build" / "html" / "book" / "history.html").read_text()
    assert 'href="../_notebooks/book/history.ipynb"' in page
    colab = (f"https://colab.research.google.com/github/{REPOSITORY}/blob/notebooks/"
             "book/history.ipynb")
    assert f'href="{colab}"' in page


@pytest.mark.parametrize("lecture", ["history"])
def test_notebook_installs_the_package_at_this_commit_and_runs_in_a_fresh_environment(
        built_book, lecture, tmp_path):
    notebook = nbformat.read(NOTEBOOKS / f"{lecture}.ipynb", as_version=4)
    install = notebook.cells[0].source
    github = f"git+https://github.com/{REPOSITORY}"
    assert json.dumps(f"jaxecon[lectures] @ {github}@{_head()}") in install
    # The same cell, pointed at this clone instead of GitHub.
    notebook.cells[0].source = install.replace(github, f"git+{ROOT.as_uri()}")
    notebook.cells.append(nbformat.v4.new_code_cell("print(jaxecon.__file__)"))
    path = tmp_path / f"{lecture}.ipynb"
    nbformat.write(notebook, path)
    python = _fresh_environment(tmp_path)
    missing = "import importlib.util as u; assert u.find_spec('jaxecon') is None"
    subprocess.run([python, "-c", missing], check=True)
    workdir = tmp_path / "content"  # an empty folder, as on Colab
    workdir.mkdir()
    run = f"""
import nbformat
from nbclient import NotebookClient
notebook = nbformat.read({str(path)!r}, as_version=4)
NotebookClient(notebook, timeout=900, kernel_name="python3",
               resources={{"metadata": {{"path": {str(workdir)!r}}}}}).execute()
nbformat.write(notebook, {str(path)!r})
"""
    result = subprocess.run([python, "-c", run], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-4000:]
    ran = nbformat.read(path, as_version=4)
    errors = [o for c in ran.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    installed_at = ran.cells[-1].outputs[0].text.strip()
    assert installed_at.startswith(str(tmp_path / "venv")), installed_at


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


def _notebooks():
    found = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert found, "no notebooks were written"
    return [(path.name, nbformat.read(path, as_version=4)) for path in found]


def test_every_notebook_defines_what_it_uses(built_book):
    for name, notebook in _notebooks():
        assert undefined_names(notebook) == [], name


def test_every_notebook_is_plain_jupyter_markdown_without_build_plumbing(built_book):
    for name, notebook in _notebooks():
        text = json.dumps(notebook)
        assert "myst_nb" not in text and "codedigest" not in text and "mystnb" not in text
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                assert not MYST.search(cell.source), f"{name}: {cell.source[:300]}"
            assert cell.get("outputs", []) == []
