"""Every page and deck in a real browser (Debian chromium driven by Playwright):
no request leaves the machine, none fails, math is typeset, decks navigate, and
speaker notes are in the decks only."""

import pytest

from conftest import PAGES, ROOT

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("builder", ["html", "revealjs"])
@pytest.mark.parametrize("page", PAGES)
def test_page_loads_with_no_off_host_or_failed_request(seen, builder, page):
    v = seen(builder, page)
    assert v["off_host"] == []
    assert v["failures"] == []
    assert v["errors"] == []


@pytest.mark.parametrize("builder", ["html", "revealjs"])
def test_math_is_typeset_not_left_as_tex(seen, builder):
    v = seen(builder, "history")
    assert v["typeset"] > 5
    text = v["text"]
    for raw in ("\\(", "\\[", "$$", "k_{t+1}", "\\alpha"):
        assert raw not in text


def test_deck_navigates_slide_by_slide(server, visit):
    v = visit(f"{server}/revealjs/book/history.html")
    total = v.page.evaluate("() => Reveal.getTotalSlides()")
    source = (ROOT / "book" / "history.md").read_text()
    assert total == (1 + source.count("\n## ") + source.count("{revealjs-break}")
                     + source.count("```{exercise}"))  # each exercise is a slide of its own
    for expected in range(1, total):
        for _ in range(10):  # fragments take a key press each before the slide advances
            v.page.keyboard.press("Space")  # next slide, down a vertical stack too
            if v.page.evaluate("() => Reveal.getSlidePastCount()") == expected:
                break
        assert v.page.evaluate("() => Reveal.getSlidePastCount()") == expected
    v.page.wait_for_function("() => Reveal.isLastSlide()", timeout=5000)
    assert v.page.locator(".slide-number").inner_text().split() == [str(total), "/", str(total)]


def test_speaker_notes_exist_in_the_deck_and_not_in_the_book(seen):
    deck = seen("revealjs", "history")
    assert deck["with_notes"] == deck["total"]
    assert not deck["first_note_shown"]  # notes belong to the speaker view
    book = seen("html", "history")
    assert book["notes"] == 0
    assert "Every program in this lecture must land on k*" not in book["text"]
