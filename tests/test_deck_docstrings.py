"""Docstrings of included functions move from the deck's code into its speaker notes
(`_ext/deck_docstrings.py`); the page keeps the function whole."""

import re
from pathlib import Path

from sphinx.application import Sphinx

from deck_docstrings import split_docstring

SOURCE = '''def double(x):
    """Twice x.

    Args:
        x: a number.
    """
    return 2 * x


def plain(x):
    return x
'''

PAGE = """# Lecture

## Code

```{literalinclude} twice.py
:pyobject: double
```

```{literalinclude} twice.py
:pyobject: plain
```
"""


def test_the_docstring_is_split_from_the_code():
    code, docstring = split_docstring(SOURCE.split("\n\n\n")[0] + "\n")
    assert code == "def double(x):\n    return 2 * x\n"
    assert docstring == "Twice x.\n\nArgs:\n    x: a number."


def test_code_without_a_docstring_or_not_python_is_left_alone():
    assert split_docstring("def plain(x):\n    return x\n") is None
    assert split_docstring("int main(void) { return 0; }") is None
    assert split_docstring('x = 1\n"""not a docstring"""\n') is None


def build(tmp_path: Path, builder: str) -> str:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text("extensions = ['myst_parser', 'sphinx_revealjs', "
                                 "'slide_text', 'deck_docstrings']\n")
    (src / "index.md").write_text(PAGE)
    (src / "twice.py").write_text(SOURCE)
    out = tmp_path / builder
    Sphinx(str(src), str(src), str(out), str(tmp_path / f"doctrees-{builder}"), builder,
           status=None, warning=None, freshenv=True).build()
    return (out / "index.html").read_text()


def test_the_deck_shows_the_code_and_notes_the_docstring(tmp_path):
    deck = build(tmp_path, "revealjs")
    notes = "".join(re.findall(r'<aside class="notes">(.*?)</aside>', deck, re.S))
    visible = re.sub(r'<aside class="notes">.*?</aside>', "", deck, flags=re.S)
    assert "Twice x." in notes and "Twice x." not in visible
    assert "double" in visible and "plain" in visible


def test_the_page_keeps_the_docstring_in_the_code(tmp_path):
    page = build(tmp_path, "html")
    assert "Twice x." in page and '<aside class="notes">' not in page
