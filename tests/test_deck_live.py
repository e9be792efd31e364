"""Live decks without a browser: the cells written for a page are all its code cells in
order, hidden ones included, and the launcher refuses a book whose decks are not built."""

import importlib.util
from pathlib import Path

import pytest

from deck_live import page_cells
from myst_page import HEADER

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("present", ROOT / "tools" / "present.py")
present = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(present)


def test_page_cells_keep_hidden_cells_in_order(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(HEADER + """# Page

```{code-cell} ipython3
:tags: [remove-cell]

x = 1
```

Text.

```{code-cell} ipython3
y = x + 1
```
""")
    assert page_cells(page) == [{"source": "x = 1", "tags": ["remove-cell"]},
                                {"source": "y = x + 1", "tags": []}]


def test_present_needs_built_decks(tmp_path):
    with pytest.raises(SystemExit, match="make book"):
        with present.serve(tmp_path):
            pass


def test_deck_address_carries_the_token():
    assert present.deck_url("http://127.0.0.1:8", "abc") == (
        "http://127.0.0.1:8/static/revealjs/decks.html?token=abc")
