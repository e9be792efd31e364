"""Static module dependencies (`_ext/module_deps.py`), on a small package made for the test."""

import ast

import pytest

import module_deps as md  # on the pythonpath set in pyproject.toml

SUFFIXES = (".py", ".c")
FILES = {
    "__init__.py": "VERSION = 1\n",
    "a.py": "def f():\n    return 1\n",
    "b.py": "from pkg.a import f\n\n\ndef g():\n    return f()\n",
    "c.py": "def h():\n    return 3\n",
    "r.py": "from .c import h\n",
    "native.py": "from pathlib import Path\nSOURCES = Path(__file__).parent / 'native'\n",
    "native/prog.c": "int main(void) { return 0; }\n",
    "d.py": "def k():\n    from pkg import native\n    return native.SOURCES\n",
}


def write_package(tmp_path, files):
    root = tmp_path / "pkg"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.fixture
def folder(tmp_path):
    return write_package(tmp_path, FILES)


def used(folder, code):
    return md.modules_used(md.read_package("pkg", folder), ast.parse(code))


@pytest.mark.parametrize(("code", "modules"), [
    ("import pkg\npkg.g()", {"b"}),
    ("import pkg as p\np.h()", {"c"}),
    ("from pkg import h, f", {"a", "c"}),
    ("from pkg.c import h", {"c"}),
    ("import pkg.c\npkg.f()", {"a", "c"}),
    ("from pkg import native", {"native"}),
    ("import numpy\nnumpy.g()", set()),
], ids=["attribute", "alias", "from-package", "from-module", "import-module", "submodule",
        "other-package"])
def test_code_depends_on_the_modules_it_names(folder, code, modules):
    assert used(folder, code) == modules


@pytest.mark.parametrize("code", ["import pkg\nprint(pkg)", "import pkg\nx = pkg.missing",
                                  "from pkg import missing"],
                         ids=["package-handed-on", "unknown-attribute", "unknown-name"])
def test_what_cannot_be_pinned_down_depends_on_every_module(folder, code):
    assert used(folder, code) == set(md.read_package("pkg", folder).modules)


def test_code_that_does_not_parse_depends_on_every_module(folder):
    package = md.read_package("pkg", folder)
    assert md.modules_used(package, None) == set(package.modules)


def test_a_name_belongs_to_the_module_that_defines_it_not_to_those_importing_it(folder):
    assert md.read_package("pkg", folder).provides["f"] == {"a"}


def test_the_closure_follows_imports_relative_ones_and_lazy_ones_and_adds_init(folder):
    package = md.read_package("pkg", folder)
    assert md.closure(package, {"b"}) == {"__init__", "a", "b"}
    assert md.closure(package, {"r"}) == {"__init__", "c", "r"}
    assert md.closure(package, {"d"}) == {"__init__", "d", "native"}


def digest_of(folder, modules):
    package = md.read_package("pkg", folder, SUFFIXES)
    return md.digest(package, md.closure(package, modules))


def test_the_digest_changes_with_the_modules_used_and_returns_on_revert(folder):
    before = digest_of(folder, {"b"})
    (folder / "a.py").write_text("def f():\n    return 2\n")
    changed = digest_of(folder, {"b"})
    (folder / "a.py").write_text(FILES["a.py"])
    assert changed != before and digest_of(folder, {"b"}) == before


def test_the_digest_ignores_modules_not_used(folder):
    before = digest_of(folder, {"b"})
    (folder / "c.py").write_text("def h():\n    return 4\n")
    assert digest_of(folder, {"b"}) == before


def test_data_files_belong_to_the_module_named_like_their_folder(folder):
    before_d, before_b = digest_of(folder, {"d"}), digest_of(folder, {"b"})
    (folder / "native" / "prog.c").write_text("int main(void) { return 1; }\n")
    assert digest_of(folder, {"d"}) != before_d and digest_of(folder, {"b"}) == before_b


def test_the_init_counts_for_every_page(folder):
    before = digest_of(folder, {"c"})
    (folder / "__init__.py").write_text("VERSION = 2\n")
    assert digest_of(folder, {"c"}) != before


def test_the_digest_ignores_other_suffixes_and_bytecode(folder):
    before = digest_of(folder, {"b"})
    (folder / "notes.txt").write_text("irrelevant\n")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "a.cpython-311.py").write_text("junk\n")
    assert digest_of(folder, {"b"}) == before


def test_the_digest_depends_on_file_names_not_only_contents(folder):
    before = digest_of(folder, {"a"})
    text = (folder / "__init__.py").read_text()
    (folder / "__init__.py").unlink()
    (folder / "init.py").write_text(text)
    assert digest_of(folder, {"a"}) != before


NESTED = {
    "__init__.py": "",
    "top.py": "def t():\n    return 0\n",
    "sub/__init__.py": "from pkg.sub.kinds import Kind\n",
    "sub/kinds.py": "class Kind:\n    pass\n",
    "sub/deep.py": "from ..top import t\n\n\ndef deep():\n    return t()\n",
    "sub/other.py": "from . import kinds\n\n\ndef other():\n    return kinds\n",
    "sub/native.py": "SOURCES = 'native'\n",
    "sub/native/prog.c": "int main(void) { return 0; }\n",
    "tools/__init__.py": "",
    "tools/helper.py": "def helper():\n    return 1\n",
}


@pytest.fixture
def nested(tmp_path):
    return md.read_package("pkg", write_package(tmp_path, NESTED), SUFFIXES)


@pytest.mark.parametrize(("code", "modules"), [
    ("from pkg.sub.deep import deep", {"sub.deep"}),
    ("import pkg.sub.deep as d\nd.deep()", {"sub.deep"}),
    ("import pkg\npkg.sub.deep.deep()", {"sub.deep"}),
    ("from pkg.sub import deep", {"sub.deep"}),
    ("from pkg.sub import Kind", {"sub"}),
    ("import pkg\npkg.deep()", {"sub.deep"}),
    ("from pkg import tools", {"tools", "tools.helper"}),
], ids=["from-dotted", "import-dotted", "attribute-chain", "from-subpackage-module",
        "from-subpackage-name", "provided-name", "bare-subpackage"])
def test_dotted_names_resolve_to_the_longest_module_prefix(nested, code, modules):
    assert md.modules_used(nested, ast.parse(code)) == modules


def test_a_submodule_depends_on_its_packages_and_relative_imports(nested):
    assert md.closure(nested, {"sub.deep"}) == {"__init__", "sub", "sub.kinds", "sub.deep",
                                                "top"}
    assert md.closure(nested, {"sub.other"}) == {"__init__", "sub", "sub.kinds", "sub.other"}
    assert md.closure(nested, {"tools.helper"}) == {"__init__", "tools", "tools.helper"}


def test_data_files_in_a_nested_folder_belong_to_the_module_named_like_it(nested):
    assert sorted(path for path, _ in nested.files["sub.native"]) == ["sub/native.py",
                                                                      "sub/native/prog.c"]


def test_third_party_imports_are_recorded_per_module(tmp_path):
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "m.py").write_text("import os\nimport numpy.linalg\nfrom scipy import optimize\n"
                               "from pkg import m\n")
    assert md.read_package("pkg", root).externals["m"] == {"numpy", "scipy"}
