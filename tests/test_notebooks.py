"""The clean-notebook conversion of `_ext/notebooks.py`, without Sphinx."""

import notebooks  # a build extension, on the pythonpath set in pyproject.toml

PAGE = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# Title

```{code-cell} ipython3
:tags: [remove-cell]

from myst_nb import glue
```

```{code-cell} ipython3
x = 1 + 1
```
"""


def test_plumbing_cells_and_outputs_are_dropped_and_an_install_cell_leads():
    notebook = notebooks.clean_notebook(PAGE, "jaxecon @ git+https://example.org/repo")
    sources = [cell.source for cell in notebook.cells]
    assert sources[0].startswith("# Fresh environments")
    assert '%pip install --quiet "jaxecon @ git+https://example.org/repo"' in sources[0]
    assert not any("myst_nb" in source for source in sources)
    assert "x = 1 + 1" in sources
    assert all(cell.get("outputs", []) == [] for cell in notebook.cells)
    assert "jupytext" not in notebook.metadata


def test_without_a_requirement_the_install_cell_explains_instead():
    cell = notebooks.install_cell("")
    assert "raise ImportError(\"install the lecture package first" in cell
    compile(cell.replace("%pip", "pass  #"), "<cell>", "exec")
