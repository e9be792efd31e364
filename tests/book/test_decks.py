"""Presenter-grade decks in a real browser: every slide fits 1280×720 with its code,
every slide has speaker notes, the PDFs have one page per slide, decks, pages and
the deck index link to each other, every exercise statement is on a slide of its own
(solution in the notes), no title slide shows code, and blocks stepped through line by
line print whole in the PDF and the scroll view."""

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


# The words of each exercise statement, math left out (MathJax typesets it on the page
# and on the slide alike): on the page every exercise's body, in the deck every
# exercise slide's body, with the slide's heading and whether it has notes.
STATEMENTS = r"""(selector) => {
  const words = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('mjx-container, .math, .admonition-title, mjx-assistive-mml')
      .forEach(e => e.remove());
    return (copy.textContent.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).join(' ');
  };
  return [...document.querySelectorAll(selector)].map(el => {
    const slide = el.closest('section');
    return {text: words(el),
            heading: slide && (slide.querySelector('h2') || {}).textContent || '',
            notes: slide ? slide.querySelectorAll('aside.notes').length : 0,
            solution: slide ? [...slide.querySelectorAll('aside.notes')]
              .some(a => a.textContent.includes('Solution')) : false};
  });
}"""


@pytest.mark.parametrize("deck", DECKS)
def test_every_exercise_statement_is_on_a_slide_of_its_deck(server, visit, deck):
    source = (ROOT / "book" / f"{deck}.md").read_text()
    page = visit(f"{server}/html/book/{deck}.html")
    statements = [s["text"] for s in page.page.evaluate(STATEMENTS, "div.exercise")]
    assert len(statements) == source.count("```{exercise}")
    slides = visit(f"{server}/revealjs/book/{deck}.html")
    shown = slides.page.evaluate(STATEMENTS, ".slides section .deck-exercise")
    assert [s["text"] for s in shown] == statements
    assert all(s["heading"].strip() and s["solution"] for s in shown), shown


@pytest.mark.parametrize("deck", DECKS)
def test_title_slide_shows_no_code(server, visit, deck):
    v = visit(f"{server}/revealjs/book/{deck}.html")
    first = "() => Reveal.getSlides()[0].querySelectorAll('.cell, pre, .highlight').length"
    assert v.page.evaluate(first) == 0


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
