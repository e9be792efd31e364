"""Presenter-grade decks in a real browser: every slide fits 1280×720 with its code,
every slide has speaker notes, the PDFs have one page per slide, decks, pages and
the deck index link to each other, every exercise statement is on a slide of its own
(solution in the notes), no title slide shows code, and blocks stepped through line by
line print whole in the PDF and the scroll view."""

import re
import urllib.request
from urllib.parse import urljoin

import pytest

from conftest import BUILD, PAGES, ROOT

pytestmark = pytest.mark.browser

@pytest.mark.parametrize("deck", PAGES)
def test_no_slide_overflows_the_viewport(seen, deck):
    bad = [s for s in seen("revealjs", deck)["slides"] if s["tall"] or s["wide"] or s["scrolled"]]
    assert bad == []


@pytest.mark.parametrize("deck", PAGES)
def test_every_slide_has_speaker_notes(seen, deck):
    assert [s["title"] for s in seen("revealjs", deck)["slides"] if not s["notes"]] == []


@pytest.mark.parametrize("deck", PAGES)
def test_pdf_has_one_page_per_slide(seen, deck):
    pdf = (BUILD / "revealjs" / "pdf" / "book" / f"{deck}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == len(seen("revealjs", deck)["slides"])


@pytest.mark.parametrize("deck", PAGES)
def test_deck_and_page_link_to_each_other(seen, deck):
    slides, book = seen("revealjs", deck), seen("html", deck)
    assert urljoin(slides["url"], slides["page_link"]) == book["url"]
    assert book["heading"].strip() != ""
    assert book["deck_link"] == slides["url"] and slides["total"] >= 1
    assert urllib.request.urlopen(book["pdf_link"]).headers["Content-Type"] == "application/pdf"


def test_deck_index_links_every_deck_its_pdf_and_its_page(server, visit):
    index = visit(f"{server}/revealjs/decks.html")
    hrefs = {kind: index.page.locator(f"a.{kind}").evaluate_all("as => as.map(a => a.href)")
             for kind in ("deck", "pdf", "page")}
    assert sorted(h.rsplit("/", 1)[-1][:-5] for h in hrefs["deck"]) == PAGES
    for url in hrefs["deck"] + hrefs["pdf"] + hrefs["page"]:
        assert urllib.request.urlopen(url).status == 200, url
    assert index.off_host() == [] and index.failures == []


@pytest.mark.parametrize("deck", PAGES)
def test_every_exercise_statement_is_on_a_slide_of_its_deck(seen, deck):
    source = (ROOT / "book" / f"{deck}.md").read_text()
    statements = [s["text"] for s in seen("html", deck)["exercises"]]
    assert len(statements) == source.count("```{exercise}")
    shown = seen("revealjs", deck)["exercises"]
    assert [s["text"] for s in shown] == statements
    assert all(s["heading"].strip() and s["solution"] for s in shown), shown


@pytest.mark.parametrize("deck", PAGES)
def test_title_slide_shows_no_code(seen, deck):
    assert seen("revealjs", deck)["title_code"] == 0


STEPPED_LINES = """() => [...document.querySelectorAll('.reveal .hljs.has-highlights tr')]
  .map(tr => getComputedStyle(tr).opacity)"""


@pytest.mark.parametrize("view", ["print-pdf", "view=scroll"])
def test_stepped_blocks_print_whole(server, browser, view):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/revealjs/book/job_search.html?{view}", wait_until="networkidle")
    page.wait_for_function("() => Reveal.isReady() && document.querySelector("
                           "'.reveal .hljs.has-highlights tr')")
    page.wait_for_timeout(1000)  # print layout moves the slides into pages after ready
    opacities = page.evaluate(STEPPED_LINES)
    context.close()
    assert opacities and set(opacities) == {"1"}
