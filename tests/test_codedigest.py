"""What `_ext/page_deps.py` reads from a page and `_ext/codedigest.py` appends to it."""

import ast
import sys

import pytest

import codedigest  # build extensions, on the pythonpath set in pyproject.toml
import page_deps


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
    assert page_deps.imported_packages(source, {"jaxecon"}) == expected


def test_digest_cell_is_a_hidden_cell_in_the_page_kernel_language():
    page = "```{code-cell} python3\nimport jaxecon\n```\n"
    cell = codedigest.digest_cell(page, ["# codedigest jaxecon abc123"])
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
    assert page_deps.code_python(PAGE) == "pass\nimport jaxecon\n\npass\njaxecon.vfi(model)"


def test_a_page_depends_on_the_modules_its_cells_name():
    from pathlib import Path

    from module_deps import read_package

    package = read_package("jaxecon", Path(__file__).parents[1] / "code" / "jaxecon")
    assert page_deps.page_modules(PAGE, package) == ["solvers"]


def test_a_page_that_names_a_benchmark_depends_on_it_and_not_on_other_backends():
    from pathlib import Path

    from module_deps import closure, read_package

    package = read_package("jaxecon", Path(__file__).parents[1] / "code" / "jaxecon")
    source = ("```{code-cell} ipython3\nimport jaxecon\n"
              "jaxecon.bench.opt_savings.bench_savings()\n```\n")
    used = closure(package, set(page_deps.page_modules(source, package)))
    assert {"bench.opt_savings", "bench", "backends.savings", "savings"} <= used
    assert not {"backends.solow", "backends.native", "bench.history"} & used


def test_the_versions_of_the_libraries_a_page_imports_key_it():
    import numpy

    tree = ast.parse("import numpy as np\nimport json\n")
    imports = page_deps.externals(tree, {}, {})
    assert imports == {"numpy"}
    lines = page_deps.page_lines({}, {}, imports, {})
    assert lines == [f"# codedigest versions numpy={numpy.__version__}"]


def test_a_jax_page_is_keyed_on_jaxlib_and_the_devices(monkeypatch):
    monkeypatch.setattr(page_deps, "jax_devices", lambda: "gpu_NVIDIA-H100x8")
    lines = page_deps.page_lines({}, {}, {"jax"}, {})
    assert "jaxlib=" in lines[0] and "jax=" in lines[0]
    assert lines[1] == "# codedigest devices gpu_NVIDIA-H100x8"


def test_the_jax_devices_are_read_in_a_fresh_interpreter_as_a_kernel_would():
    page_deps.jax_devices.cache_clear()
    assert page_deps.jax_devices().startswith("cpu_cpux")


def test_a_changed_version_changes_only_the_pages_importing_that_library(monkeypatch):
    before = {"np": page_deps.page_lines({}, {}, {"numpy"}, {}),
              "mpl": page_deps.page_lines({}, {}, {"matplotlib"}, {})}
    of, runtime, version = page_deps.installed()  # what one build read from site-packages
    monkeypatch.setattr(page_deps, "installed",
                        lambda: (of, runtime, {**version, "numpy": "9.9.9"}))
    assert page_deps.page_lines({}, {}, {"numpy"}, {}) != before["np"]
    assert page_deps.page_lines({}, {}, {"matplotlib"}, {}) == before["mpl"]
    monkeypatch.undo()
    assert page_deps.page_lines({}, {}, {"numpy"}, {}) == before["np"]


def test_a_file_a_library_reads_keys_the_pages_importing_that_library(tmp_path):
    rc = tmp_path / "matplotlibrc"
    rc.write_text("font.size: 10\n")
    files = {"matplotlib": (rc,)}
    first = page_deps.page_lines({}, {}, {"matplotlib"}, files)
    rc.write_text("font.size: 12\n")
    page_deps.file_digest.cache_clear()  # as codedigest does at the start of each build
    assert page_deps.page_lines({}, {}, {"matplotlib"}, files) != first
    assert page_deps.page_lines({}, {}, {"numpy"}, files) == \
        page_deps.page_lines({}, {}, {"numpy"}, {})


def test_the_standard_library_and_uninstalled_modules_are_not_keyed():
    assert page_deps.versions({"json", "no_such_module_here"}) == {}
    assert "os" not in page_deps.externals(ast.parse("import os"), {}, {})
    assert sys.stdlib_module_names
