"""Every page and deck in a real browser (Debian chromium driven by Playwright):
no request leaves the machine, none fails, math is typeset, decks navigate, and
speaker notes are in the decks only."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep chromium's own background traffic (updates, sync) from masking the pages'.
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
BUILD = ROOT / "_build"
PAGES = sorted(p.stem for p in (ROOT / "book").glob("*.md"))
WAIT_FOR_MATH = "() => window.MathJax?.startup?.promise ?? Promise.resolve()"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the server runs silently inside pytest
        pass


@pytest.fixture(scope="module")
def server(built_book):
    handler = functools.partial(_QuietHandler, directory=str(BUILD))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Visit:
    """A page opened in a fresh context, with every request and failure recorded."""

    def __init__(self, browser, url):
        self.context = browser.new_context(viewport={"width": 1280, "height": 720})
        self.page = self.context.new_page()
        self.requests, self.failures, self.errors = [], [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failures.append(f"{r.url} {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.failures.append(
            f"{r.url} HTTP {r.status}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url, wait_until="networkidle")
        self.page.evaluate(WAIT_FOR_MATH)

    def off_host(self):
        return [u for u in self.requests if urlsplit(u).hostname not in {"127.0.0.1", None}]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_(url):
        opened.append(Visit(browser, url))
        return opened[-1]

    yield open_
    for v in opened:
        v.close()


@pytest.mark.parametrize("builder", ["html", "revealjs"])
@pytest.mark.parametrize("page", PAGES)
def test_page_loads_with_no_off_host_or_failed_request(server, visit, builder, page):
    v = visit(f"{server}/{builder}/book/{page}.html")
    assert v.off_host() == []
    assert v.failures == []
    assert v.errors == []


@pytest.mark.parametrize("builder", ["html", "revealjs"])
def test_math_is_typeset_not_left_as_tex(server, visit, builder):
    v = visit(f"{server}/{builder}/book/history.html")
    assert v.page.locator("mjx-container").count() > 5
    text = v.page.evaluate("() => document.querySelector('.reveal, main, body').innerText")
    for raw in ("\\(", "\\[", "$$", "k_{t+1}", "\\alpha"):
        assert raw not in text


def test_deck_navigates_slide_by_slide(server, visit):
    v = visit(f"{server}/revealjs/book/history.html")
    total = v.page.evaluate("() => Reveal.getTotalSlides()")
    headings = (ROOT / "book" / "history.md").read_text().count("\n## ")
    assert total == headings + 1
    for expected in range(1, total):
        for _ in range(10):  # fragments take a key press each before the slide advances
            v.page.keyboard.press("ArrowRight")
            if v.page.evaluate("() => Reveal.getIndices().h") == expected:
                break
        assert v.page.evaluate("() => Reveal.getIndices().h") == expected
    v.page.wait_for_function("() => Reveal.isLastSlide()", timeout=5000)
    assert v.page.locator(".slide-number").inner_text().split() == [str(total), "/", str(total)]


def test_speaker_notes_exist_in_the_deck_and_not_in_the_book(server, visit):
    deck = visit(f"{server}/revealjs/book/history.html")
    notes = deck.page.locator("aside.notes")
    assert notes.count() == deck.page.evaluate("() => Reveal.getTotalSlides()")
    assert not notes.first.is_visible()  # notes belong to the speaker view
    book = visit(f"{server}/html/book/history.html")
    assert book.page.locator("aside.notes").count() == 0
    assert "Every program in this lecture must land on k*" not in book.page.inner_text("body")
