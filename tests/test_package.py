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


TOP_LEVEL_NAMES = 90  # a curated API, as Optax and Equinox keep theirs


def test_the_stub_is_generated_from_the_api_and_current():
    """Editors and type checkers read ``__init__.pyi``; ``make stub`` writes it."""
    from jaxecon import _stub

    assert _stub.STUB.read_text() == _stub.stub_text(), \
        "__init__.pyi is out of date: run `make stub`"
    assert _stub.main(["--check"]) == 0


def test_a_stale_stub_is_reported(tmp_path, monkeypatch, capsys):
    from jaxecon import _stub

    stale = tmp_path / "__init__.pyi"
    stale.write_text(_stub.stub_text().replace("    vfi as vfi,\n", ""))
    monkeypatch.setattr(_stub, "STUB", stale)
    assert _stub.main(["--check"]) == 1 and "make stub" in capsys.readouterr().err
    assert _stub.main([]) == 0 and _stub.main(["--check"]) == 0  # regenerated


def test_the_top_level_is_curated_and_every_name_exists():
    import importlib

    import jaxecon

    assert 0 < len(jaxecon.__all__) <= TOP_LEVEL_NAMES
    assert jaxecon.__all__ == sorted(set(jaxecon.__all__))  # no name from two modules
    missing = [f"{module}.{name}" for module, names in jaxecon.API.items() for name in names
               if not hasattr(importlib.import_module(module), name)]
    assert missing == []
    wrong = [name for name in jaxecon.__all__ if getattr(jaxecon, name)
             is not getattr(importlib.import_module(jaxecon._MODULE_OF[name]), name)]
    assert wrong == []
    assert set(jaxecon.__all__) <= set(dir(jaxecon))


def test_submodules_are_reached_as_attributes_after_import_jaxecon():
    import subprocess

    code = ("import jaxecon; print(jaxecon.devices.jax_device_label.__module__, "
            "jaxecon.bench.history.bench_solow.__module__, "
            "jaxecon.backends.solow.solow_python.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["jaxecon.devices", "jaxecon.bench.history",
                                  "jaxecon.backends.solow"]


def test_the_version_is_set_once_in_pyproject():
    import jaxecon

    assert jaxecon.__version__ == PROJECT["version"]
    assert "__version__ =" not in (ROOT / "code" / "jaxecon" / "__init__.py").read_text()


def test_an_unknown_attribute_is_an_attribute_error_naming_it():
    import jaxecon

    with pytest.raises(AttributeError, match="'no_such_thing'"):
        jaxecon.no_such_thing  # noqa: B018
