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

# Text of an element with its math, equation numbers and figure numbers left out, as
# lower-case words: the same paragraph typeset on the page and kept in the notes compares
# equal whatever MathJax made of it.
NORMALIZE = r"""
const words = (el, drop) => {
  const copy = el.cloneNode(true);
  copy.querySelectorAll('mjx-container, .math, .eqno, .caption-number, .headerlink, '
                        + 'mjx-assistive-mml' + (drop ? ', ' + drop : ''))
      .forEach(e => e.remove());
  const text = copy.textContent.replace(/\\\(.*?\\\)|\\\[.*?\\\]/gs, ' ');
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).join(' ');
};
"""

# Every slide in order, with its heading, its visible prose, its full text (notes too),
# and what its code looks like (a block stepped through line by line is one copy per step
# in reveal: counted once).
WALK = "() => {" + NORMALIZE + r"""
  const out = [];
  let heading = '';
  Reveal.getSlides().forEach((slide) => {
    const {h, v} = Reveal.getIndices(slide);
    Reveal.slide(h, v);
    const title = slide.querySelector(':scope > h1, :scope > h2');
    if (title) heading = words(title);
    // a closing references slide is a list of sources, like a table: not prose to trim
    const prose = words(slide, 'aside.notes, h1, h2, pre, .highlight, .cell_output, '
                        + 'figure, img, table, .deck-title .deck-links, div.citation');
    const blocks = [...slide.querySelectorAll('.highlight pre, pre code.hljs')]
      .filter(pre => !pre.closest('.cell_output, aside.notes'))
      .filter((pre, i, all) => all.findIndex(o => o.textContent === pre.textContent) === i)
      .map(pre => ({lines: pre.querySelectorAll('tr').length  // reveal's numbered lines
                           || pre.textContent.trim().split('\n').length,
                    colours: new Set([...pre.querySelectorAll('span')]
                      .filter(s => s.textContent.trim())
                      .map(s => getComputedStyle(s).color)).size}));
    const look = (el) => {
      if (!el) return null;
      const s = getComputedStyle(el);
      return [s.backgroundColor, s.borderLeftStyle, s.borderLeftColor, s.borderTopStyle,
              getComputedStyle(el, '::after').content].join('|');
    };
    out.push({h, v, heading, words: prose ? prose.split(' ').length : 0,
              exercise: !!slide.querySelector('.deck-exercise'),
              text: words(slide), blocks,
              input: look(slide.querySelector('.cell_input')),
              output: look(slide.querySelector('.cell_output'))});
  });
  return out;
}"""

# The page's paragraphs and list items (not those of code outputs, the page's own link
# lines, exercises and their solutions, which a deck lists on its closing slide, or the
# bibliography's entries, which the theme prints with shortened GitHub links), each with
# the heading of its section.
PARAGRAPHS = "() => {" + NORMALIZE + r"""
  const article = document.querySelector('article.bd-article') || document.querySelector('main');
  return [...article.querySelectorAll('p, li')]
    .filter(p => !p.querySelector('p, li') && !p.closest('.cell_output, .cell_input, summary, '
                                                          + '.deck-links, .last-changed, nav, '
                                                          + '.exercise, .solution, '
                                                          + 'div.citation'))
    .map(p => {
      let section = p.closest('section');  // a theorem's body is a section too: skip it
      while (section && !section.querySelector(':scope > h1, :scope > h2')) {
        section = section.parentElement.closest('section');
      }
      const title = section && section.querySelector(':scope > h1, :scope > h2');
      return {heading: title ? words(title) : '', text: words(p)};
    })
    .filter(p => p.text);
}"""


def _open(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.evaluate("() => window.MathJax?.startup?.promise ?? Promise.resolve()")
    return context, page


@pytest.fixture(scope="module")
def walked(server, browser):
    found = {}
    for deck in DECKS:
        context, page = _open(browser, f"{server}/revealjs/book/{deck}.html")
        found[deck] = page.evaluate(WALK)
        context.close()
    return found


@pytest.mark.parametrize("deck", DECKS)
def test_title_slide_names_lecture_course_author_date_and_links(server, visit, deck):
    v = visit(f"{server}/revealjs/book/{deck}.html")
    title = v.page.locator("section:has(> .deck-title)")
    assert title.locator("h1").inner_text().strip()
    assert title.locator(".deck-course").inner_text() == CONFIG["title"]
    assert title.locator(".deck-author").inner_text() == CONFIG["author"]
    date = datetime.datetime.strptime(title.locator(".deck-date").inner_text(), "%d %B %Y")
    assert abs((datetime.datetime.now() - date).days) <= 31
    for link in ("page-link", "deck-pdf-link", "deck-handout-link", "deck-index-link"):
        assert title.locator(f"a.{link}").count() == 1, link
    assert title.locator("a.deck-handout-link").get_attribute("href").endswith("?view=scroll")


@pytest.mark.parametrize("deck", DECKS)
def test_slides_are_terse(walked, deck):
    # An exercise's slide is exempt: its statement is the task a class works on during a
    # hands-on break, projected whole, not a summary of the page that a speaker talks over
    # (test_decks.py checks that it still fits the slide).
    counted = [s for s in walked[deck] if not s["exercise"]]
    counts = [s["words"] for s in counted]
    assert max(counts) <= MAX_WORDS, [(s["heading"], s["words"]) for s in counted
                                      if s["words"] > MAX_WORDS]
    assert statistics.median(counts) <= MEDIAN_WORDS, counts


@pytest.mark.parametrize("deck", DECKS)
def test_no_slide_shows_more_than_fifteen_lines_of_code(walked, deck):
    lines = [(s["heading"], sum(b["lines"] for b in s["blocks"])) for s in walked[deck]]
    assert [(h, n) for h, n in lines if n > MAX_CODE_LINES] == []


@pytest.mark.parametrize("deck", DECKS)
def test_code_is_highlighted_and_input_differs_from_output(walked, deck):
    blocks = [b for s in walked[deck] for b in s["blocks"] if b["lines"] >= 3]
    assert blocks, "a lecture deck shows code"
    assert [b for b in blocks if b["colours"] < 2] == []
    pairs = [(s["input"], s["output"]) for s in walked[deck] if s["input"] and s["output"]]
    assert pairs and all(i != o for i, o in pairs)


@pytest.mark.parametrize("deck", DECKS)
def test_every_page_paragraph_is_on_its_slide_or_in_its_notes(walked, server, browser, deck):
    context, page = _open(browser, f"{server}/html/book/{deck}.html")
    paragraphs = page.evaluate(PARAGRAPHS)
    context.close()
    by_heading = {}
    for slide in walked[deck]:
        by_heading[slide["heading"]] = by_heading.get(slide["heading"], "") + " " + slide["text"]
    title = walked[deck][0]["heading"]
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
