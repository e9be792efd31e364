"""The paragraph-to-notes transform of ``slide_text`` on a tiny MyST project, built
in-process with only the extensions it needs: the deck shows the slide block and
keeps every page paragraph in the notes; the book shows the page and no slide block."""

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from prose_notes import move_prose_to_notes

PAGE = """# Lecture

Opening paragraph of the page.

## A slide

:::{slide}
- Short bullet
:::

The page explains at length.

- a list item of the page

```{revealjs-fragments}
- a page list revealed item by item
```

$$
x^2
$$

```python
print("code stays")
```

```{revealjs-notes}
Explicit note.
```

```{revealjs-break}
```

After the break.

## Figure

```{figure} plot.png
Caption sentence.
```
"""


def build(tmp_path: Path, builder: str) -> str:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinx_revealjs', 'slide_text']\n"
        "myst_enable_extensions = ['colon_fence', 'dollarmath']\n")
    (src / "index.md").write_text(PAGE)
    (src / "plot.png").write_bytes(b"")  # the figure needs a file, not a picture
    out = tmp_path / builder
    app = Sphinx(str(src), str(src), str(out), str(tmp_path / f"doctrees-{builder}"), builder,
                 status=None, warning=None, freshenv=True)
    app.build()
    return (out / "index.html").read_text()


def sections(html: str) -> list[str]:
    """The innermost reveal ``<section>`` bodies, one per slide, in order."""
    return [m for m in re.findall(r"<section[^>]*>((?:(?!<section).)*?)</section>", html, re.S)]


def test_deck_shows_the_slide_block_and_moves_prose_into_notes(tmp_path):
    slides = sections(build(tmp_path, "revealjs"))
    title, slide, after, figure = slides
    assert "Opening paragraph of the page." in re.search(r'<aside class="notes">(.*?)</aside>',
                                                        title, re.S)[1]
    assert 'class="slide-text"' in slide and "Short bullet" in slide
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', slide, re.S)
    assert len(notes) == 2  # the moved prose first, then the explicit note as it was
    assert "The page explains at length." in notes[0] and "a list item" in notes[0]
    assert "revealed item by item" in notes[0] and "fragment" not in notes[0]
    assert "Explicit note." in notes[1]
    visible = re.sub(r'<aside class="notes">.*?</aside>', "", slide, flags=re.S)
    assert "The page explains" not in visible and "a list item" not in visible
    assert "code stays" in visible and "math" in visible  # code and display math stay
    assert "After the break." in re.search(r'<aside class="notes">(.*?)</aside>', after, re.S)[1]
    fig_visible = re.sub(r'<aside class="notes">.*?</aside>', "", figure, flags=re.S)
    assert "<img" in fig_visible and "Caption sentence." not in fig_visible
    assert "Caption sentence." in figure


def test_book_drops_the_slide_block_and_keeps_the_prose(tmp_path):
    page = build(tmp_path, "html")
    assert "Short bullet" not in page and "slide-text" not in page
    for text in ("Opening paragraph", "The page explains at length.", "After the break.",
                 "Caption sentence."):
        assert text in page


def test_nothing_to_move_leaves_no_empty_notes():
    section = nodes.section()
    section += nodes.title("", "Code only")
    assert move_prose_to_notes(list(section.children)) is None
