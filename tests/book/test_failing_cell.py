"""A page whose cell raises fails the gated build, and the message names the page."""

import pytest

from conftest import GATE, REVEALJS, jb_build

pytestmark = pytest.mark.build

BROKEN = """# Broken

```{code-cell} ipython3
ratio = 1 / 0
```
"""


@pytest.mark.parametrize("builder", [[], REVEALJS], ids=["html", "revealjs"])
def test_cell_error_fails_the_build_naming_the_page(make_book, builder):
    root = make_book({"book/index.md": "# Home\n", "book/broken.md": BROKEN})
    result = jb_build(root, *GATE, "--all", *builder)
    assert result.returncode != 0
    assert "book/broken.md" in result.stdout
    assert "ratio = 1 / 0" in result.stdout  # the failing cell is quoted
    assert "ZeroDivisionError" in result.stdout
