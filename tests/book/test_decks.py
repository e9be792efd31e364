"""Presenter-grade decks in a real browser: every slide fits 1280×720 with its code,
every slide has speaker notes, the PDFs have one page per slide, and decks, pages and
the deck index link to each other."""

import re
import urllib.request

import pytest

from conftest import BUILD, ROOT

pytestmark = pytest.mark.browser
DECKS = sorted(p.stem for p in (ROOT / "book").glob("*.md"))

# Visit every slide; report the ones whose content is taller or wider than the deck.
MEASURE_SLIDES = """() => {
  const {width, height} = Reveal.getConfig();
  const report = [];
  Reveal.getHorizontalSlides().forEach((top, h) => {
    const stack = [...top.querySelectorAll(':scope > section')];
    (stack.length ? stack : [top]).forEach((slide, v) => {
      Reveal.slide(h, v);
      const scrolled = [...slide.querySelectorAll('pre')]
        .filter(pre => pre.scrollWidth > pre.clientWidth + 1).length;
      report.push({h, v, title: (slide.querySelector('h1, h2') || {}).textContent,
                   tall: slide.scrollHeight > height, wide: slide.scrollWidth > width,
                   scrolled, notes: slide.querySelectorAll('aside.notes').length});
    });
  });
  return report;
}"""


@pytest.fixture(scope="module")
def slides(server, browser):
    found = {}
    for deck in DECKS:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        page.goto(f"{server}/revealjs/book/{deck}.html", wait_until="networkidle")
        page.evaluate("() => window.MathJax?.startup?.promise ?? Promise.resolve()")
        found[deck] = page.evaluate(MEASURE_SLIDES)
        context.close()
    return found


@pytest.mark.parametrize("deck", DECKS)
def test_no_slide_overflows_the_viewport(slides, deck):
    bad = [s for s in slides[deck] if s["tall"] or s["wide"] or s["scrolled"]]
    assert bad == []


@pytest.mark.parametrize("deck", DECKS)
def test_every_slide_has_speaker_notes(slides, deck):
    assert [s["title"] for s in slides[deck] if not s["notes"]] == []


@pytest.mark.parametrize("deck", DECKS)
def test_pdf_has_one_page_per_slide(slides, deck):
    pdf = (BUILD / "revealjs" / "pdf" / "book" / f"{deck}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == len(slides[deck])


@pytest.mark.parametrize("deck", DECKS)
def test_deck_and_page_link_to_each_other(server, visit, deck):
    slides_view = visit(f"{server}/revealjs/book/{deck}.html")
    page_url = slides_view.page.locator("a.page-link").get_attribute("href")
    book = visit(f"{server}/revealjs/book/{page_url}")
    assert book.page.url.endswith(f"/html/book/{deck}.html")
    assert book.page.locator("h1").first.inner_text().strip() != ""
    back = visit(book.page.locator("a.deck-link").first.evaluate("a => a.href"))
    assert back.page.evaluate("() => Reveal.getTotalSlides()") >= 1
    pdf = book.page.locator("a.deck-pdf-link").first.evaluate("a => a.href")
    assert urllib.request.urlopen(pdf).headers["Content-Type"] == "application/pdf"


def test_deck_index_links_every_deck_its_pdf_and_its_page(server, visit):
    index = visit(f"{server}/revealjs/decks.html")
    hrefs = {kind: index.page.locator(f"a.{kind}").evaluate_all("as => as.map(a => a.href)")
             for kind in ("deck", "pdf", "page")}
    assert sorted(h.rsplit("/", 1)[-1][:-5] for h in hrefs["deck"]) == DECKS
    for url in hrefs["deck"] + hrefs["pdf"] + hrefs["page"]:
        assert urllib.request.urlopen(url).status == 200, url
    assert index.off_host() == [] and index.failures == []
