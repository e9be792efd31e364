"""Live decks in a real browser: under the launcher of `make present`, key E turns the
history deck's Solow cell into an editor run by a local kernel (the page's earlier cells
first), an edited saving rate gives the new steady state, an error shows as an output,
and no request leaves 127.0.0.1; a deck served as plain files does nothing of that."""

import importlib.util
import time
from urllib.parse import urlsplit

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location("present", ROOT / "tools" / "present.py")
present = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(present)

CELL = "create_solow_model(s=0.3"
# The slide holding CELL, shown; its cell box is where the editor appears.
GO_TO_CELL = """(text) => {
  const pre = [...document.querySelectorAll('.reveal .cell_input pre')]
    .find(p => p.textContent.includes(text));
  const slide = pre.closest('section');
  const {h, v} = Reveal.getIndices(slide);
  Reveal.slide(h, v);
  slide.querySelector('.cell').id = 'live-test-cell';
}"""
EDIT = """(s) => {
  const cm = document.querySelector('#live-test-cell .CodeMirror').CodeMirror;
  cm.setValue(s);
}"""
OUTPUT = "#live-test-cell .jp-OutputArea-output"


def record_console_errors(page, into):
    """Console errors of the page, less the browser's own favicon probe (no page asks)."""
    page.on("console", lambda m: m.type == "error"
            and not m.location.get("url", "").endswith("/favicon.ico") and into.append(m.text))


@pytest.fixture(scope="module")
def live(built_book, browser):
    """The history deck under the launcher's server, reached from the deck index, with
    the Solow cell edited and run twice: a new saving rate, then an invalid one."""
    with present.serve(ROOT) as (base, token):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        seen = {"requests": [], "errors": [], "console": []}
        page.on("request", lambda r: seen["requests"].append(r.url))
        page.on("websocket", lambda w: seen["requests"].append(w.url))
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        record_console_errors(page, seen["console"])
        page.goto(present.deck_url(base, token), wait_until="networkidle")
        page.click("a.deck[href*='book/history.html']")
        page.wait_for_load_state("networkidle")
        seen["address"] = page.url
        page.evaluate(GO_TO_CELL, CELL)
        source = page.locator("#live-test-cell .cell_input pre").inner_text()
        start = time.monotonic()
        page.keyboard.press("e")
        page.wait_for_selector("#live-test-cell .CodeMirror", timeout=60_000)
        page.evaluate(EDIT, source.replace("s=0.3", "s=0.5")
                      + "\nprint(f'k* = {k_star:.6f}')")
        page.click("#live-test-cell .thebe-run-button")
        page.wait_for_selector(f"{OUTPUT}:has-text('k* =')", timeout=120_000)
        seen["seconds"] = time.monotonic() - start
        seen["output"] = page.locator(OUTPUT).inner_text()
        page.evaluate(EDIT, source.replace("s=0.3", "s=-0.5"))
        page.click("#live-test-cell .thebe-run-button")
        page.wait_for_selector(f"{OUTPUT}:has-text('ValueError')", timeout=60_000)
        seen["error"] = page.locator(OUTPUT).inner_text()
        print(f"key press to first output: {seen['seconds']:.1f} s")
        context.close()
    return seen


def test_edited_saving_rate_runs_on_the_local_kernel(live):
    # k* = (A s / delta)^(1 / (1 - alpha)) with s = 0.5, the other parameters as built
    assert f"k* = {(0.5 / 0.1) ** (1 / 0.6):.6f}" in live["output"]
    assert "token" not in live["address"]


def test_an_error_shows_as_the_cell_output(live):
    assert "ValueError" in live["error"] and "s" in live["error"]


def test_live_mode_requests_nothing_beyond_loopback(live):
    assert live["requests"]
    assert [u for u in live["requests"] if urlsplit(u).hostname != "127.0.0.1"] == []
    assert live["errors"] == [] and live["console"] == []


def test_deck_served_as_files_stays_static(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    requests, failures, console = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failures.append(r.url))
    page.on("pageerror", lambda e: console.append(str(e)))
    record_console_errors(page, console)
    page.goto(f"{server}/revealjs/book/history.html", wait_until="networkidle")
    page.evaluate(GO_TO_CELL, CELL)
    page.keyboard.press("e")
    page.wait_for_timeout(500)
    live = page.locator(".deck-live-button, .thebe-cell").count()
    context.close()
    host = urlsplit(server).netloc
    assert [u for u in requests if urlsplit(u).netloc != host] == []
    assert [u for u in requests if "/thebe/" in u or "/live/" in u] == []
    assert live == 0 and failures == [] and console == []
