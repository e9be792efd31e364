"""What the browser tests read from each built page and deck, in the browser, in one visit:
the scripts, and the two functions that run them in order on an opened page.

A page costs a second or more to open (a new context, the network going idle, MathJax
typesetting), so each of the 24 pages and decks is opened once per test worker and every
test that asks about it reads the record made then (the ``seen`` fixture of conftest.py),
instead of one visit per test and page."""

from __future__ import annotations

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

# The title slide as the audience first sees it (read before any slide is moved to).
TITLE = """() => {
  const title = document.querySelector('section:has(> .deck-title)');
  if (!title) return null;
  const text = (selector) => { const e = title.querySelector(selector);
                               return e ? e.innerText : null; };
  const links = {};
  for (const kind of ['page-link', 'deck-pdf-link', 'deck-handout-link', 'deck-index-link']) {
    links[kind] = title.querySelectorAll('a.' + kind).length;
  }
  const handout = title.querySelector('a.deck-handout-link');
  return {heading: text('h1'), course: text('.deck-course'), author: text('.deck-author'),
          date: text('.deck-date'), links,
          handout: handout ? handout.getAttribute('href') : null};
}"""

# The deck as loaded: its size, its first slide's code, its link to the page, its notes.
DECK = """() => {
  const link = (selector) => { const a = document.querySelector(selector);
                               return a ? a.getAttribute('href') : null; };
  const notes = document.querySelector('aside.notes');
  return {total: Reveal.getTotalSlides(),
          title_code: Reveal.getSlides()[0].querySelectorAll('.cell, pre, .highlight').length,
          with_notes: Reveal.getSlides().filter(s => s.querySelector('aside.notes')).length,
          first_note_shown: !!notes && notes.checkVisibility(),
          page_link: link('a.page-link')};
}"""

# The page as loaded: its heading, its links to the deck and the PDF, what it shows.
PAGE = """() => {
  const href = (selector) => { const a = document.querySelector(selector);
                               return a ? a.href : null; };
  const h1 = document.querySelector('h1');
  return {heading: h1 ? h1.innerText : '', deck_link: href('a.deck-link'),
          pdf_link: href('a.deck-pdf-link'),
          notes: document.querySelectorAll('aside.notes').length,
          text: document.body.innerText};
}"""

# Typeset math and the text around it, on a page or a deck.
MATH = """() => ({typeset: document.querySelectorAll('mjx-container').length,
                  text: document.querySelector('.reveal, main, body').innerText})"""

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

AXE_SERIOUS = """() => axe.run(document, {resultTypes: ['violations']}).then(result =>
  result.violations.filter(r => ['serious', 'critical'].includes(r.impact))
    .map(r => ({id: r.id, help: r.help, nodes: r.nodes.map(n => n.target).slice(0, 3)})))"""


def read_deck(page) -> dict:
    """A loaded deck's record; what reads the first slide runs before any slide moves."""
    return {"title": page.evaluate(TITLE), **page.evaluate(DECK),
            **page.evaluate(MATH),
            "exercises": page.evaluate(STATEMENTS, ".slides section .deck-exercise"),
            "slides": page.evaluate(MEASURE_SLIDES), "walk": page.evaluate(WALK)}


def read_page(page, axe: str) -> dict:
    """A loaded site page's record; axe-core (its script's path) runs last."""
    found = {**page.evaluate(PAGE), **page.evaluate(MATH),
             "exercises": page.evaluate(STATEMENTS, "div.exercise"),
             "paragraphs": page.evaluate(PARAGRAPHS)}
    page.add_script_tag(path=axe)
    found["axe_serious"] = page.evaluate(AXE_SERIOUS)
    return found
