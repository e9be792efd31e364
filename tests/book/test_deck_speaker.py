"""Decks a speaker would choose, walked slide by slide in a real browser: a title slide
with its fields, terse slides (visible prose per slide within the budgets, at most 15
lines of code), code in the site's colours with its input set apart from its output,
and every paragraph of the page on its slide or in that slide's speaker notes. Also the
handout (scroll view) and the dark variant."""

import datetime
import statistics

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.browser
DECKS = sorted(p.stem for p in (ROOT / "book").glob("*.md") if p.stem not in {"index", "status"})
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
MAX_WORDS, MEDIAN_WORDS, MAX_CODE_LINES = 40, 25, 15


@pytest.mark.parametrize("deck", DECKS)
def test_title_slide_names_lecture_course_author_date_and_links(seen, deck):
    title = seen("revealjs", deck)["title"]
    assert title["heading"].strip()
    assert title["course"] == CONFIG["title"]
    assert title["author"] == CONFIG["author"]
    date = datetime.datetime.strptime(title["date"], "%d %B %Y")
    assert abs((datetime.datetime.now() - date).days) <= 31
    assert title["links"] == dict.fromkeys(
        ("page-link", "deck-pdf-link", "deck-handout-link", "deck-index-link"), 1)
    assert title["handout"].endswith("?view=scroll")


@pytest.mark.parametrize("deck", DECKS)
def test_slides_are_terse(seen, deck):
    # An exercise's slide is exempt: its statement is the task a class works on during a
    # hands-on break, projected whole, not a summary of the page that a speaker talks over
    # (test_decks.py checks that it still fits the slide).
    counted = [s for s in seen("revealjs", deck)["walk"] if not s["exercise"]]
    counts = [s["words"] for s in counted]
    assert max(counts) <= MAX_WORDS, [(s["heading"], s["words"]) for s in counted
                                      if s["words"] > MAX_WORDS]
    assert statistics.median(counts) <= MEDIAN_WORDS, counts


@pytest.mark.parametrize("deck", DECKS)
def test_no_slide_shows_more_than_fifteen_lines_of_code(seen, deck):
    walk = seen("revealjs", deck)["walk"]
    lines = [(s["heading"], sum(b["lines"] for b in s["blocks"])) for s in walk]
    assert [(h, n) for h, n in lines if n > MAX_CODE_LINES] == []


@pytest.mark.parametrize("deck", DECKS)
def test_code_is_highlighted_and_input_differs_from_output(seen, deck):
    walk = seen("revealjs", deck)["walk"]
    blocks = [b for s in walk for b in s["blocks"] if b["lines"] >= 3]
    assert blocks, "a lecture deck shows code"
    assert [b for b in blocks if b["colours"] < 2] == []
    pairs = [(s["input"], s["output"]) for s in walk if s["input"] and s["output"]]
    assert pairs and all(i != o for i, o in pairs)


@pytest.mark.parametrize("deck", DECKS)
def test_every_page_paragraph_is_on_its_slide_or_in_its_notes(seen, deck):
    paragraphs = seen("html", deck)["paragraphs"]
    walk, by_heading = seen("revealjs", deck)["walk"], {}
    for slide in walk:
        by_heading[slide["heading"]] = by_heading.get(slide["heading"], "") + " " + slide["text"]
    title = walk[0]["heading"]
    missing = [p for p in paragraphs
               if p["text"] not in by_heading.get(p["heading"] or title, "")]
    assert len(paragraphs) > 10
    assert missing == []


def test_handout_is_the_scroll_view_and_d_switches_to_dark(server, visit):
    v = visit(f"{server}/revealjs/book/history.html?view=scroll")
    assert v.page.locator(".reveal-scroll").count() == 1
    deck = visit(f"{server}/revealjs/book/history.html")
    light = deck.page.evaluate("() => getComputedStyle(document.querySelector('.reveal')).color")
    deck.page.keyboard.press("d")
    assert deck.page.evaluate("() => document.documentElement.classList.contains('deck-dark')")
    dark = deck.page.evaluate("() => getComputedStyle(document.querySelector('.reveal')).color")
    assert light != dark
    assert deck.page.locator(".deck-footer").inner_text() == deck.page.locator("h1").first \
        .inner_text().strip()
