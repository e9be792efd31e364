"""The digest logic of `_ext/codedigest.py`, without Sphinx."""

import pytest

import codedigest  # a build extension, on the pythonpath set in pyproject.toml

SUFFIXES = (".py", ".c")


@pytest.fixture
def package(tmp_path):
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("x = 1\n")
    (root / "sub" / "m.py").write_text("y = 2\n")
    (root / "solow.c").write_text("int main(void) { return 0; }\n")
    return root


def test_digest_changes_with_any_source_file_and_returns_on_revert(package):
    before = codedigest.package_digest(package, SUFFIXES)
    (package / "sub" / "m.py").write_text("y = 3\n")
    changed = codedigest.package_digest(package, SUFFIXES)
    (package / "sub" / "m.py").write_text("y = 2\n")
    assert changed != before
    assert codedigest.package_digest(package, SUFFIXES) == before


def test_digest_covers_c_sources(package):
    before = codedigest.package_digest(package, SUFFIXES)
    (package / "solow.c").write_text("int main(void) { return 1; }\n")
    assert codedigest.package_digest(package, SUFFIXES) != before


def test_digest_ignores_other_suffixes_and_bytecode(package):
    before = codedigest.package_digest(package, SUFFIXES)
    (package / "notes.txt").write_text("irrelevant\n")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "m.cpython-311.py").write_text("junk\n")
    assert codedigest.package_digest(package, SUFFIXES) == before


def test_digest_depends_on_file_names_not_only_contents(package):
    before = codedigest.package_digest(package, SUFFIXES)
    (package / "sub" / "m.py").rename(package / "sub" / "n.py")
    assert codedigest.package_digest(package, SUFFIXES) != before


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import jaxecon\n", ["jaxecon"]),
        ("from jaxecon import solow\n", ["jaxecon"]),
        ("from jaxecon.solow import f\n", ["jaxecon"]),
        ("    import jaxecon as je\n", ["jaxecon"]),
        ("import jaxeconomics\n", []),
        ("text that mentions jaxecon only\n", []),
    ],
    ids=["import", "from", "submodule", "indented", "longer-name", "prose"],
)
def test_imported_packages_detects_imports_only(source, expected):
    assert codedigest.imported_packages(source, {"jaxecon"}) == expected


def test_digest_cell_is_a_hidden_cell_in_the_page_kernel_language():
    page = "```{code-cell} python3\nimport jaxecon\n```\n"
    cell = codedigest.digest_cell(page, {"jaxecon": "abc123"})
    assert "```{code-cell} python3\n:tags: [remove-cell]\n" in cell
    assert "# codedigest jaxecon abc123" in cell
