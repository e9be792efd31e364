"""What `_ext/codedigest.py` reads from a page and appends to it, without Sphinx."""

import pytest

import codedigest  # a build extension, on the pythonpath set in pyproject.toml


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


PAGE = """---
jupytext: {}
---
# Page

```{code-cell} ipython3
:tags: [remove-cell]

%matplotlib inline
import jaxecon
```

Prose naming jaxecon.hpi, which is not code.

```{code-cell} ipython3
---
tags: [hide-input]
---
!echo hi
jaxecon.vfi(model)
```
"""


def test_code_python_keeps_only_cell_code_with_options_and_magics_blanked():
    assert codedigest.code_python(PAGE) == "pass\nimport jaxecon\n\npass\njaxecon.vfi(model)"


def test_a_page_depends_on_the_modules_its_cells_name():
    from pathlib import Path

    from module_deps import read_package

    package = read_package("jaxecon", Path(__file__).parents[1] / "code" / "jaxecon")
    assert codedigest.page_modules(PAGE, package) == ["solvers"]
