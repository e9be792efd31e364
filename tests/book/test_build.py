"""The gated build of the real book: both builders, the files they must produce, and
what must and must not appear in pages and decks."""

import re

import pytest

from conftest import PAGES, ROOT, executed_pages, plain

pytestmark = pytest.mark.build

HTML = ROOT / "_build" / "html"
DECKS = ROOT / "_build" / "revealjs"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_built_as_a_page_and_a_deck(built_book, page):
    assert (HTML / "book" / f"{page}.html").is_file()
    assert (DECKS / "book" / f"{page}.html").is_file()


@pytest.mark.parametrize("out", [HTML, DECKS], ids=["html", "revealjs"])
def test_mathjax_is_vendored_into_each_output(built_book, out):
    assert (out / "_static" / "mathjax" / "tex-chtml.js").is_file()
    page = (out / "book" / "history.html").read_text()
    assert re.search(r'src="\.\./_static/mathjax/tex-chtml\.js(\?v=\w+)?"', page)


def test_reveal_is_vendored_into_the_decks(built_book):
    assert (DECKS / "_static" / "revealjs" / "dist" / "reveal.js").is_file()
    assert (DECKS / "_static" / "revealjs" / "plugin" / "notes" / "notes.js").is_file()


@pytest.mark.parametrize("out", [HTML, DECKS], ids=["html", "revealjs"])
def test_no_page_references_an_off_host_asset(built_book, out):
    off_host = re.compile(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//')
    for page in out.rglob("*.html"):
        assert not off_host.search(page.read_text()), page


def test_speaker_notes_are_in_the_deck_and_not_in_the_book(built_book):
    deck = (DECKS / "book" / "history.html").read_text()
    page = (HTML / "book" / "history.html").read_text()
    source = (ROOT / "book" / "history.md").read_text()
    slides = 1 + source.count("\n## ") + source.count("{revealjs-break}")
    # every slide has notes: the page's prose moved there, then any explicit notes
    assert deck.count('<aside class="notes">') >= slides
    assert "Every program in this lecture must land on k*" in deck
    assert "Every program in this lecture must land on k*" not in page
    assert "notes" not in re.findall(r'class="([^"]*admonition[^"]*)"', page)


def test_theorem_bodies_do_not_become_slides(built_book):
    deck = (DECKS / "book" / "history.html").read_text()
    assert re.search(r'<div class="proposition-content[^"]*container"', deck)
    assert not re.search(r"<section[^>]*proposition-content", deck)


def test_decks_carry_no_book_only_scripts(built_book):
    deck = (DECKS / "book" / "history.html").read_text()
    for book_only in ("copybutton.js", "togglebutton.js", "sphinx-thebe.js", "design-tabs.js"):
        assert book_only not in deck


def test_decks_show_cell_outputs(built_book):
    deck = (DECKS / "book" / "history.html").read_text()
    assert re.search(r'<img[^>]+src="[^"]+\.png"', deck), "the figure is missing from the deck"
    assert "6.2402515" in deck


def test_glued_numbers_reach_the_page(built_book):
    page = (HTML / "book" / "history.html").read_text()
    assert "6.2402515" in page
    assert "{glue" not in page


def test_status_page_lists_machine_versions_and_page_executions(built_book):
    page = (HTML / "book" / "status.html").read_text()
    assert "JAX backend" in page and "jaxlib" in page
    assert re.search(r'href="history.html"[^>]*>.*?book/history', page, re.DOTALL)
    assert "Run Time" in page


def test_a_rebuild_that_reads_every_page_afresh_executes_nothing(built_book):
    """Every page's cached execution is found again: its key holds nothing that changes
    from one build to the next."""
    log = built_book["html again"]
    assert re.search(rf"updating environment: .*\b{len(PAGES)} added", plain(log)), \
        plain(log)[-3000:]
    assert executed_pages(log, ROOT) == set()
    assert executed_pages(built_book["revealjs"], ROOT) == set()


@pytest.mark.parametrize("builder", ["html", "revealjs"])
def test_a_no_change_build_of_either_kind_rereads_no_page(built_book, builder):
    """The site and the decks share one environment (make book builds both in turn):
    a build after the other kind's re-reads nothing and prints no deck."""
    html, revealjs = plain(built_book["no change"]).split("Running Jupyter-Book")[1:]
    log = {"html": html, "revealjs": revealjs}[builder]
    assert f"building [{builder}]" in log
    assert "updating environment: 0 added, 0 changed, 0 removed" in log, log[-3000:]
    assert "no targets are out of date" in log
    assert "deck_pdf: printed" not in log


def test_history_page_runs_the_programs_and_the_benchmark(built_book):
    page = (HTML / "book" / "history.html").read_text()
    assert page.count("k = 6.240251") >= 2  # the Fortran and the C programs' output
    for label in ("Pure Python", "Numba", "JAX (lax.fori_loop)", "C (gcc -O2)",
                  "Fortran (gfortran -O2)", "Julia", "GNU Octave"):
        assert label in page
    assert "times the time per step of" in page
    assert not re.search(r"\{glue:text\}", page)


def test_history_deck_has_fragments_and_the_included_sources(built_book):
    deck = (DECKS / "book" / "history.html").read_text()
    assert 'class="fragment"' in deck
    text = re.sub(r"<[^>]+>", "", deck)  # code is highlighted: tokens in spans
    assert "bind(C" in text and "pow(k, alpha)" in text


def test_hidden_input_cells_show_only_their_output_in_decks(built_book):
    deck = (DECKS / "book" / "history.html").read_text()
    page = (HTML / "book" / "history.html").read_text()
    assert "Show code cell source" in page
    assert "Show code cell source" not in deck
    assert "ax.set_xscale" not in deck


def test_timing_pages_say_where_and_when_they_were_built(built_book):
    page = (HTML / "book" / "history.html").read_text()
    assert re.search(r"Built on .+ \(JAX backend: (cpu|gpu|tpu)\) at \d{4}-\d\d-\d\d", page)
    deck = (DECKS / "book" / "history.html").read_text()
    assert "Built on " in deck


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_when_its_source_last_changed(built_book, page):
    html = (HTML / "book" / f"{page}.html").read_text()
    assert re.search(r'class="last-changed">(Last changed \d{4}-\d\d-\d\d\.|This page has edits)',
                     html)
