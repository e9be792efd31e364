"""No hardware fact typed by hand: lecture prose and notes compare devices only through glue.

Which backend or device is faster depends on the machine that builds the book, so a
sentence that compares them must be chosen by the measurement (``jaxecon.compare``) and
glued. This static check reads every page's prose, headings, notes, fragments and slide
blocks (code cells, included files and math are skipped), removes ``{glue:text}`` roles
and inline code, and fails on the phrases that state such a comparison by hand.
"""

import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"

#: Phrases that compare backends or devices or state a hardware fact.
PATTERNS = [
    r"\bon (a|an|this|the) (CPU|GPU|TPU)s?\b",
    r"\b(faster|slower|quicker) than\b",
    r"×\s*(faster|slower)",
    r"\btimes (faster|slower)\b",
    r"\b(cores?|CPUs?|GPUs?|TPUs?) (wins?|loses?)\b",
    r"\blevel with\b",
    r"\bti(e|es|ed)\b",
]
CLAIM = re.compile("|".join(f"(?:{p})" for p in PATTERNS), re.IGNORECASE)

#: Directives whose body is prose that reaches the reader or the speaker.
PROSE_DIRECTIVES = {"revealjs-notes", "revealjs-fragments", "note", "warning", "tip",
                    "admonition", "slide"}

#: Pages, and (page, section) pairs, whose device sentences another change rewrites
#: (issue 13: any device count; the recomputed-utility measurement); remove an entry
#: once its sentences are glued.
PENDING: set[str] = set()
PENDING_SECTIONS: set[tuple[str, str]] = set()

_FENCE = re.compile(r"^(`{3,}|:{3,})\s*(\{([\w-]+)\})?")


def prose_lines(text: str):
    """(line number, prose) for every line a reader or speaker sees as typed text."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0] == "---":  # front matter
        start = lines.index("---", 1) + 1
    skip_until = None
    for number, line in enumerate(lines[start:], start + 1):
        if skip_until is not None:
            if line.strip() == skip_until:
                skip_until = None
            continue
        fence = _FENCE.match(line.strip())
        if fence:
            directive = fence.group(3)
            if directive is not None and directive not in PROSE_DIRECTIVES:
                skip_until = fence.group(1)  # code, math, includes: not prose
            continue
        if line.startswith(":") and ":" in line[1:]:  # a directive option
            continue
        yield number, line


def strip_glue_and_code(line: str) -> str:
    """The hand-typed words of a line: glue roles, inline code and math removed."""
    line = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", line)  # {glue:text}`name`, {numref}`x`, ...
    line = re.sub(r"`[^`]*`", " ", line)
    return re.sub(r"\$[^$]*\$", " ", line)


def hand_typed_claims(text: str, skip_sections=()) -> list[tuple[int, str]]:
    """(line number, phrase) of every hardware claim typed by hand in a page."""
    found, section = [], None
    for number, line in prose_lines(text):
        if line.startswith("## "):
            section = line[3:].strip()
        if section in skip_sections:
            continue
        found += [(number, m.group(0)) for m in CLAIM.finditer(strip_glue_and_code(line))]
    return found


@pytest.mark.parametrize("page", sorted(p.name for p in BOOK.glob("*.md")))
def test_no_hand_typed_hardware_claims(page):
    if page in PENDING:
        pytest.skip("its device sentences are rewritten by the any-device-count change")
    pending = {section for name, section in PENDING_SECTIONS if name == page}
    claims = hand_typed_claims((BOOK / page).read_text(encoding="utf-8"), pending)
    assert not claims, (f"{page}: hardware claims typed by hand (glue a sentence chosen by "
                        f"jaxecon.compare instead): {claims}")


@pytest.mark.parametrize("typed", [
    "On this CPU the power function still costs more.",
    "The four compiled backends level with one another.",
    "HPI was {glue:text}`x:.1f` times faster than VFI.",
    "## Why the compiled loops tie",
    "The GPU wins here.",
])
def test_the_check_catches_typed_claims_in_prose_and_notes(typed):
    page = f"# Page\n\n```{{revealjs-notes}}\n{typed}\n```\n\n{typed}\n"
    assert [n for n, _ in hand_typed_claims(page)] == [4, 7]


def test_glued_sentences_code_and_math_pass():
    page = "\n".join([
        "---", "title: on a GPU", "---", "# Page",
        "{numref}`fig` shows {glue:text}`history_compiled_sentence`.",
        "```{code-cell} ipython3", "faster than = 1  # code is not prose", "```",
        "```{math}", r"\text{on a CPU}", "```",
        "Inline `on a GPU` code and $x$ math are not claims."])
    assert hand_typed_claims(page) == []


def test_pages_compare_timings_over_enough_repeats():
    from jaxecon.timing import MIN_REPEATS

    few = [(page.name, int(count)) for page in sorted(BOOK.glob("*.md"))
           if page.name not in PENDING
           for count in re.findall(r"\brepeats=(\d+)", page.read_text(encoding="utf-8"))
           if int(count) < MIN_REPEATS]
    assert few == [], f"timings over fewer than {MIN_REPEATS} repeats"


def unshown_glue(pages: dict[str, str]) -> list[tuple[str, str]]:
    """(page, name) of every ``glue("name", ...)`` that no ``{glue}`` role of any page
    shows; an f-string name stands for every name its fields can fill in."""
    from jupyter_markdown import ROLE  # the role grammar the notebook conversion uses

    shown = {m["content"].partition(":")[0] for m in ROLE.finditer("\n".join(pages.values()))
             if m["name"].partition(":")[0] == "glue"}
    unshown = []
    for page, text in sorted(pages.items()):
        for f, name in re.findall(r'\bglue\((f?)"([^"]+)"', text):
            pattern = re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(name)) if f else re.escape(name)
            if not any(re.fullmatch(pattern, s) for s in shown):
                unshown.append((page, name))
    return unshown


def test_every_glued_value_is_shown_on_some_page():
    """A value glued and never shown is computed for nobody (and hides a claim a page
    dropped)."""
    pages = {p.name: p.read_text(encoding="utf-8") for p in sorted(BOOK.rglob("*.md"))}
    assert unshown_glue(pages) == []


def test_the_glue_check_reads_fields_of_f_string_names():
    shown = "{glue:text}`a_x_ms:.1f` and {glue}`b_total`"
    page = 'glue(f"a_{k}_ms", 1)\nglue("b_total", 2)\nglue(f"c_{k}", 3)\nglue("b_unused", 4)'
    assert unshown_glue({"p.md": page, "q.md": shown}) == [("p.md", "c_{k}"),
                                                          ("p.md", "b_unused")]
