"""The notebooks offered for download and for Colab: clean, self-contained, and they run
from top to bottom in a fresh environment that has to install the package first."""

import concurrent.futures
import json
import os
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


# What a laptop or Colab may lack: the build needs them, the notebooks must not.
TOOLCHAIN = re.compile(r"(?:.*-)?(?:gcc|g\+\+|cc|c\+\+|gfortran|f77|f95|clang|octave|julia)"
                       r"(?:-[\d.]+)?(?:-cli)?")


def _path_without_toolchain(root: Path) -> str:
    """A PATH whose one folder links every program on this PATH but compilers, Octave
    and Julia."""
    folder = root / "bin"
    folder.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        for program in sorted(Path(directory).glob("*")) if Path(directory).is_dir() else []:
            target = folder / program.name
            if (not TOOLCHAIN.fullmatch(program.name) and not target.exists()
                    and program.is_file() and os.access(program, os.X_OK)):
                target.symlink_to(program)
    return str(folder)


RUN = """
import sys, time
import nbformat
from nbclient import NotebookClient
path, workdir = sys.argv[1:]
notebook = nbformat.read(path, as_version=4)
start = time.perf_counter()
NotebookClient(notebook, timeout=900, kernel_name="python3",
               resources={"metadata": {"path": workdir}}).execute()
nbformat.write(notebook, path)
print(f"{time.perf_counter() - start:.0f}")
"""


def _build_seconds() -> dict[str, float]:
    """How long the build took to execute each page, from its execution cache (the newest
    record of each page), by the name of the page's notebook."""
    from jupyter_cache import get_cache

    records = sorted(get_cache(ROOT / "_build" / ".jupyter_cache").list_cache_records(),
                     key=lambda r: r.created)
    return {f"{Path(r.uri).stem}.ipynb": r.data.get("execution_seconds", 0.0) for r in records}


def test_every_notebook_installs_the_package_and_runs_without_compilers(built_book, tmp_path):
    """All notebooks run top to bottom as a student runs them: in a fresh environment
    that installs the package at this commit (the first one does; the rest find it), on a
    PATH with no compiler, Octave or Julia; two at a time."""
    github = f"git+https://github.com/{REPOSITORY}"
    python = _fresh_environment(tmp_path)
    env = {**os.environ, "PATH": _path_without_toolchain(tmp_path)}
    env.pop("JAX_COMPILATION_CACHE_DIR", None)
    env.pop("PYTHONPATH", None)  # a student's Python finds the package only once installed
    missing = "import importlib.util as u; assert u.find_spec('jaxecon') is None"
    subprocess.run([python, "-c", missing], check=True, env=env)
    no_tools = "import shutil; assert not any(map(shutil.which, ('gcc', 'gfortran', 'octave')))"
    subprocess.run([python, "-c", no_tools], check=True, env=env)
    paths = {}
    for name, notebook in _notebooks():
        install = notebook.cells[0].source
        assert json.dumps(f"jaxecon[lectures] @ {github}@{_head()}") in install, name
        # The same cell, pointed at this clone instead of GitHub.
        notebook.cells[0].source = install.replace(github, f"git+{ROOT.as_uri()}")
        notebook.cells.append(nbformat.v4.new_code_cell("print(jaxecon.__file__)"))
        paths[name] = tmp_path / name
        nbformat.write(notebook, paths[name])

    def run(name):
        workdir = tmp_path / f"content-{name}"  # an empty folder, as on Colab
        workdir.mkdir()
        return name, subprocess.run([python, "-c", RUN, str(paths[name]), str(workdir)],
                                    capture_output=True, text=True, env=env)

    # history first, alone: it installs the package; then the longest first, so that the
    # last one to start is a short one
    seconds = _build_seconds()
    first, *rest = sorted(paths, key=lambda n: (n != "history.ipynb", -seconds.get(n, 0.0)))
    results = [run(first)]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results += list(pool.map(run, rest))
    failed = {name: r.stderr[-3000:] for name, r in results if r.returncode != 0}
    assert failed == {}
    print("notebook run times (s):", {name: r.stdout.split()[-1] for name, r in results})
    for name, path in paths.items():
        ran = nbformat.read(path, as_version=4)
        errors = [o for c in ran.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert errors == [], name
        installed_at = ran.cells[-1].outputs[0].text.strip()
        assert installed_at.startswith(str(tmp_path / "venv")), installed_at
    printed = "".join(o.get("text", "") for c in nbformat.read(paths["history.ipynb"], 4).cells
                      for o in c.get("outputs", []))
    for tool in ("gcc", "gfortran", "octave"):  # each guard took its other branch
        assert f"{tool} is not installed here, so this cell does not run" in printed


def test_every_solution_follows_the_last_exercise_with_its_code_collapsed(built_book):
    for name, notebook in _notebooks():
        text = [cell.source for cell in notebook.cells]
        exercises = [i for i, t in enumerate(text) if re.search(r"^\*\*Exercise ", t, re.M)]
        solutions = [i for i, t in enumerate(text) if t.startswith("**Solution to ")]
        assert exercises and solutions, name
        assert min(solutions) > max(exercises), name
        heading = text.index("## Solutions")
        assert max(exercises) < heading < min(solutions), name
        code = [notebook.cells[i] for i in range(heading, len(text))
                if notebook.cells[i].cell_type == "code" and i > heading]
        assert code and all(c.metadata["jupyter"]["source_hidden"] for c in code), name


def test_history_guards_its_compiler_and_octave_cells_with_the_build_output(built_book):
    notebook = nbformat.read(NOTEBOOKS / "history.ipynb", as_version=4)
    guarded = {tool: c.source for c in notebook.cells for tool in ("gcc", "gfortran", "octave")
               if c.cell_type == "code" and f"if shutil.which({tool!r})" in c.source}
    assert sorted(guarded) == ["gcc", "gfortran", "octave"]
    for source in guarded.values():
        assert "is not installed here, so this cell does not run; when the site was built on" \
            in source
    # the build's output is shown, also when the page's outputs came from the cache
    assert re.search(r"print\('k = \d+\.\d{6}'\)$", guarded["gfortran"]), guarded["gfortran"]
    assert "GNU Octave, version" in guarded["octave"]


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
