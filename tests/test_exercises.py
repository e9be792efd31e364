"""Every lecture ends with exercises whose solutions are hidden and executed at build.

Static checks on the MyST sources (sphinx-exercise's directives): at least two numbered,
labelled exercises per lecture, each with a gated solution that opens as a dropdown and
runs code whose result is checked (an assertion) or glued into the page; all of them in a
closing ``## Exercises`` section whose slide text lists their titles.
"""

import re
from pathlib import Path

import pytest
import yaml

BOOK = Path(__file__).resolve().parents[1] / "book"
NOT_LECTURES = {"index.md", "status.md"}
LECTURES = sorted(p for p in BOOK.glob("*.md") if p.name not in NOT_LECTURES)

DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<argument>[^\n]*)\n"
    r"(?P<content>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
SOLUTION = re.compile(
    r"^```\{solution-start\}[ \t]*(?P<label>[\w-]+)\n(?P<options>(?::[^\n]*\n)*)```\n"
    r"(?P<body>.*?)^```\{solution-end\}\n```",
    re.MULTILINE | re.DOTALL,
)
CHECKED = re.compile(r"\bassert\b|np\.testing\.assert|\bglue\(")


def directives(text, name):
    return [m for m in DIRECTIVE.finditer(text) if m["name"] == name]


def exercises(text):
    """{label: title} of the page's exercises, in order."""
    found = {}
    for match in directives(text, "exercise"):
        label = re.search(r"^:label:[ \t]*(\S+)", match["content"], re.MULTILINE)
        assert label, f"exercise {match['argument']!r} has no :label:"
        assert ":nonumber:" not in match["content"], f"{label[1]} is not numbered"
        found[label[1]] = match["argument"].strip()
    return found


def test_the_lectures_are_the_ten_pages_of_the_toc():
    toc = yaml.safe_load((BOOK.parent / "_toc.yml").read_text())
    listed = [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    assert sorted(f"book/{p.stem}" for p in LECTURES) == sorted(set(listed) - {"book/status"})
    assert len(LECTURES) == 10


@pytest.mark.parametrize("page", LECTURES, ids=lambda p: p.stem)
def test_each_lecture_has_two_exercises_with_hidden_executed_solutions(page):
    text = page.read_text()
    labelled = exercises(text)
    assert len(labelled) >= 2, f"{page.name}: {len(labelled)} exercises"
    solutions = {m["label"]: m for m in SOLUTION.finditer(text)}
    assert set(solutions) == set(labelled), f"{page.name}: exercises without solutions"
    for label, solution in solutions.items():
        assert ":class: dropdown" in solution["options"], f"{label}: solution is not hidden"
        cells = directives(solution["body"], "code-cell")
        assert cells, f"{label}: the solution runs no code"
        assert any(CHECKED.search(cell["content"]) for cell in cells), (
            f"{label}: the solution neither asserts nor glues its result")


@pytest.mark.parametrize("page", LECTURES, ids=lambda p: p.stem)
def test_exercises_close_the_page_under_a_slide_that_lists_them(page):
    text = page.read_text()
    sections = list(re.finditer(r"^## (.+)$", text, re.MULTILINE))
    if sections[-1][1] == "References":  # back matter after the exercises (test_references)
        text = text[:sections.pop().start()]
    assert sections[-1][1] == "Exercises", f"{page.name}: the last section is not Exercises"
    closing = text[sections[-1].start():]
    assert all(m.start() > sections[-1].start() for m in directives(text, "exercise"))
    slides = directives(closing, "slide")
    assert slides, f"{page.name}: the Exercises section has no slide text"
    for title in exercises(text).values():
        assert title in slides[0]["content"], f"{page.name}: the slide omits {title!r}"


def test_the_checks_see_a_solution_that_runs_nothing():
    text = """```{exercise} A
:label: ex-a
```

```{solution-start} ex-a
:class: dropdown
```

Just words.

```{solution-end}
```
"""
    solution = next(SOLUTION.finditer(text))
    assert exercises(text) == {"ex-a": "A"}
    assert not directives(solution["body"], "code-cell")
