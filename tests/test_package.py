"""What `pip install jaxecon[lectures]` brings is what the package and the notebooks import:
a fresh environment such as Colab must not meet an ImportError."""

import ast
import importlib.metadata
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import clean_notebook  # a build extension module, on the pythonpath set in pyproject.toml

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
DISTRIBUTIONS = importlib.metadata.packages_distributions()


def _names(requirements) -> set[str]:
    return {Requirement(r).name.lower() for r in requirements}


def _imported(source: str) -> set[str]:
    tree = ast.parse("\n".join("pass" if line.lstrip().startswith("%") else line
                               for line in source.splitlines()))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"jaxecon"}


def _distributions(modules: set[str]) -> set[str]:
    return {DISTRIBUTIONS[module][0].lower() for module in modules}


def test_the_package_declares_every_distribution_it_imports():
    modules = set().union(*(_imported(p.read_text()) for p in (ROOT / "code").rglob("*.py")))
    assert modules, "no imports found"
    assert _distributions(modules) <= _names(PROJECT["dependencies"])


LECTURES = sorted(p for p in (ROOT / "book").glob("*.md") if p.stem not in {"index", "status"})


@pytest.mark.parametrize("page", LECTURES, ids=[p.stem for p in LECTURES])
def test_each_notebook_imports_only_what_the_lectures_extra_installs(page):
    notebook = clean_notebook.clean_notebook(page.read_text(), "")
    modules = set().union(*(_imported(cell.source) for cell in notebook.cells
                            if cell.cell_type == "code"))
    wanted = _names(PROJECT["dependencies"]) | _names(PROJECT["optional-dependencies"]["lectures"])
    assert _distributions(modules) <= wanted


def test_importing_the_package_loads_no_submodule():
    import subprocess

    code = "import sys, jaxecon; print(sorted(m for m in sys.modules if m.startswith('jaxecon')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['jaxecon']"


STUB = ROOT / "code" / "jaxecon" / "__init__.pyi"


def stub_text(folder) -> str:
    """The ``__init__.pyi`` that lists every module's ``__all__``, read statically."""
    import ast
    from pathlib import Path
    lines = ['"""Public names and the modules that provide them.\n\nGenerated from each '
             "module's ``__all__`` by ``python tests/test_package.py``; do not edit.\n\"\"\"", ""]
    for path in sorted(Path(folder).rglob("*.py")):
        parts = path.relative_to(folder).with_suffix("").parts
        if "__pycache__" in parts or parts[-1] in ("__init__", "__main__"):
            continue
        tree = ast.parse(path.read_text())
        names = next((ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                      and any(getattr(t, "id", None) == "__all__" for t in n.targets)), [])
        if names:
            module = ".".join(("jaxecon", *parts))
            body = "".join(f"    {n} as {n},\n" for n in sorted(names))
            lines.append(f"from {module} import (\n{body})")
    return "\n".join(lines) + "\n"


def test_the_stub_lists_every_modules_public_names_once():
    """Editors and type checkers read ``__init__.pyi``; the lazy loader reads it too."""
    assert STUB.read_text() == stub_text(ROOT / "code" / "jaxecon"), \
        "__init__.pyi is out of date: run `python tests/test_package.py`"
    tree = ast.parse(STUB.read_text())
    names = [a.asname for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names]
    assert len(names) == len(set(names)), "a public name is exported by two modules"


def test_every_public_name_is_served_from_the_module_that_provides_it():
    import importlib

    import jaxecon

    assert jaxecon.__all__ and sorted(jaxecon.__all__) == jaxecon.__all__
    wrong = [name for name in jaxecon.__all__ if getattr(jaxecon, name)
             is not getattr(importlib.import_module(jaxecon._MODULE_OF[name]), name)]
    assert wrong == []
    assert set(jaxecon.__all__) <= set(dir(jaxecon))
    assert jaxecon.checks is importlib.import_module("jaxecon.checks")


def test_an_unknown_attribute_is_an_attribute_error_naming_it():
    import jaxecon

    with pytest.raises(AttributeError, match="'no_such_thing'"):
        jaxecon.no_such_thing  # noqa: B018


if __name__ == "__main__":  # regenerate the stub after changing a module's __all__
    STUB.write_text(stub_text(ROOT / "code" / "jaxecon"))
