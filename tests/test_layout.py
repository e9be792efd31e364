"""The layout shows the architecture: small modules and build extensions, benchmarks kept
out of the models, and every extension declaring the extensions it builds on."""

import ast
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "code" / "jaxecon"
EXTENSIONS = sorted(yaml.safe_load((ROOT / "_config.yml").read_text())
                    ["sphinx"]["local_extensions"])
MODULE_LINES, EXTENSION_LINES = 320, 100  # "about 300" and "about 100"


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved)."""
    top = PACKAGE.parent if path.is_relative_to(PACKAGE) else path.parent
    parts = path.relative_to(top).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(parts[:len(parts) - node.level]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_every_package_module_is_small(path):
    assert len(path.read_text().splitlines()) <= MODULE_LINES


@pytest.mark.parametrize("path", sorted((ROOT / "_ext").glob("*.py")), ids=lambda p: p.name)
def test_every_build_module_is_small(path):
    """Modules the extensions import are held to the package's bound, extensions to theirs."""
    bound = EXTENSION_LINES if path.stem in EXTENSIONS else MODULE_LINES
    assert len(path.read_text().splitlines()) <= bound


@pytest.mark.parametrize("name", EXTENSIONS)
def test_every_build_extension_is_small(name):
    assert len((ROOT / "_ext" / f"{name}.py").read_text().splitlines()) <= EXTENSION_LINES


def test_no_model_or_backend_imports_a_benchmark():
    users = [p.relative_to(PACKAGE).as_posix() for p in sorted(PACKAGE.rglob("*.py"))
             if p.parent.name != "bench" and p.name != "__main__.py"
             and any(m == "jaxecon.bench" or m.startswith("jaxecon.bench.")
                     for m in _imports(p))]
    assert users == []


@pytest.mark.parametrize("name", EXTENSIONS)
def test_an_extension_that_builds_on_another_declares_it(name):
    source = (ROOT / "_ext" / f"{name}.py").read_text()
    used = {m.split(".")[0] for m in _imports(ROOT / "_ext" / f"{name}.py")} & set(EXTENSIONS)
    for other in sorted(used - {name}):
        assert f'app.setup_extension("{other}")' in source, other
