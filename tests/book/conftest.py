"""Helpers for tests that run Jupyter Book: the gated build and small temporary books."""

from __future__ import annotations

import fcntl
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import readings

ROOT = Path(__file__).resolve().parents[2]
# The book's pages by name; each is built as a page of the site and as a deck.
PAGES = sorted(p.stem for p in (ROOT / "book").glob("*.md"))
JB = str(Path(sys.executable).parent / "jb")
# The gated build's flags, as the Makefile passes them (one place: its JB_FLAGS).
GATE = subprocess.run(["make", "-s", "--no-print-directory", "jb-flags"], cwd=ROOT, check=True,
                      capture_output=True, text=True).stdout.split()
# The real book is built as make book builds it: the site and the decks in turn by
# tools/build.py, from one interpreter.
BOOK_BUILD = [sys.executable, str(ROOT / "tools" / "build.py")]
REVEALJS = ["--builder", "custom", "--custom-builder", "revealjs"]
# The build runs as on GitHub Actions, for a repository of this name: the pages link to
# Colab and the notebooks install the package from it.
REPOSITORY = "example-org/jax-lectures"
PAGE_HEADER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
"""


def jb_build(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``jb build <root> <args>``; stdout and stderr together in ``.stdout``."""
    return _run([JB, "build", str(root), *args], root, env)


def book_build(*builders: str, flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Build the real book with ``builders`` (html, revealjs) in turn, as make book does."""
    return _run([*BOOK_BUILD, *builders, "--", str(ROOT), *GATE, *flags], ROOT, None)


def _run(command: list[str], root: Path, env: dict | None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=root,
        env={**os.environ, "XLA_PYTHON_CLIENT_PREALLOCATE": "false",
             "GITHUB_REPOSITORY": REPOSITORY, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1800,
    )


def executed_pages(log: str, root: Path) -> set[str]:
    """Pages (paths relative to ``root``) that the build's kernel executed, from its log."""
    found = re.findall(r"^(\S+\.(?:md|ipynb)): Executing notebook", log, re.MULTILINE)
    return {Path(p).resolve().relative_to(root.resolve()).as_posix() for p in found}


def plain(log: str) -> str:
    """A build log without its terminal colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", log)


def check(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stdout[-6000:]
    return result


def _builds() -> dict[str, str]:
    """The real book's builds, each one's log by name; stops at the first that fails."""
    steps = {
        # the gate: every page read afresh (each one's warnings raised again), executed
        # unless the cache holds its code, then the decks from the same environment
        "html": lambda: book_build("html", flags=("--all",)),
        # read afresh once more, every page from the cache: nothing may execute
        "html again": lambda: book_build("html", flags=("--all",)),
        "revealjs": lambda: book_build("revealjs"),
        # then make book with nothing changed: neither builder reads or prints anything
        "no change": lambda: book_build("html", "revealjs"),
    }
    logs = {}
    for name, step in steps.items():
        result = step()
        logs[name] = result.stdout
        if result.returncode != 0:
            logs["failed"] = name
            break
    return logs


@pytest.fixture(scope="session")
def built_book(tmp_path_factory, worker_id) -> dict[str, str]:
    """The gated build of the real book, site and decks, as `make book` runs it in the
    publish workflow (which names the repository in ``GITHUB_REPOSITORY``), then the
    rebuilds that must find nothing to do; their logs by name.

    Built once per test run: under pytest-xdist the first worker to need it builds while
    the others wait, so no test reads ``_build`` while a build writes it, and every
    worker gets the same logs."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the folder of this run, above each worker's own
    with open(shared / "built_book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = shared / "built_book.json"
        if not record.exists():
            record.write_text(json.dumps(_builds()))
        logs = json.loads(record.read_text())
    if "failed" in logs:
        pytest.fail(f"the {logs['failed']} build failed:\n{logs[logs['failed']][-6000:]}")
    return logs


@pytest.fixture
def make_book(tmp_path):
    """Factory for a small book that uses the project's real configuration and extensions.

    ``make_book({"book/a.md": body, ...})`` writes the pages (with jupytext front matter),
    a table of contents listing them in order, and copies ``_config.yml``, ``_ext/``,
    ``book/_decks``, ``book/_static``, the bibliography and the package source, so the
    temporary book builds like the real one.
    """

    def make(pages: dict[str, str]) -> Path:
        root = tmp_path / "book-root"
        shutil.copytree(ROOT / "_ext", root / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
        for folder in ("_decks", "_static"):
            shutil.copytree(ROOT / "book" / folder, root / "book" / folder)
        shutil.copytree(ROOT / "code", root / "code", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "_config.yml", root / "_config.yml")
        shutil.copy(ROOT / "book" / "references.bib", root / "book" / "references.bib")
        names = list(pages)
        for name, body in pages.items():
            (root / name).write_text(PAGE_HEADER + body)
        stems = [Path(name).with_suffix("").as_posix() for name in names]
        toc = [f"root: {stems[0]}", "format: jb-book"]
        if len(stems) > 1:
            toc += ["chapters:"] + [f"  - file: {stem}" for stem in stems[1:]]
        (root / "_toc.yml").write_text("\n".join(toc) + "\n")
        return root

    return make


# Browser: Debian chromium driven by Playwright, over the build served on loopback.

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep chromium's own background traffic (updates, sync) from masking the pages'.
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
BUILD = ROOT / "_build"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WAIT_FOR_MATH = "() => window.MathJax?.startup?.promise ?? Promise.resolve()"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the server runs silently inside pytest
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A page closed while a file was still being sent is the browser's choice, not a
        failure (the visit records failed requests itself); anything else is printed."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def server(built_book):
    handler = functools.partial(_QuietHandler, directory=str(BUILD))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright  # in the lock: never skipped

    with sync_playwright() as playwright:
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


class Seen:
    """Each page and deck of the built book opened once in this worker, as ``Visit`` opens
    it, and read by ``readings``: ``seen("html" | "revealjs", name)`` is its record, with
    the requests that left the host, failed, or raised, over the whole visit."""

    def __init__(self, browser, server):
        self.browser, self.server, self.records = browser, server, {}

    def __call__(self, builder: str, name: str) -> dict:
        if (builder, name) not in self.records:
            url = f"{self.server}/{builder}/book/{name}.html"
            v = Visit(self.browser, url)
            try:
                found = (readings.read_deck(v.page) if builder == "revealjs"
                         else readings.read_page(v.page, str(AXE)))
                self.records[builder, name] = {"url": url, **found, "off_host": v.off_host(),
                                               "failures": v.failures, "errors": v.errors}
            finally:
                v.close()
        return self.records[builder, name]


@pytest.fixture(scope="session")
def seen(server, browser):
    return Seen(browser, server)


@pytest.fixture
def visit(browser):
    opened = []

    def open_(url):
        opened.append(Visit(browser, url))
        return opened[-1]

    yield open_
    for v in opened:
        v.close()


# Under pytest-xdist (make test runs every test on two workers, in the order given here):
# the test that runs the notebooks comes first, so its worker builds the book while the
# other worker runs every test that needs no build; the tests that read the build come
# last. The tests that read one page's or deck's record from ``seen`` run on one worker,
# which opens it once; tests that share a module's fixture, which drives a kernel, too.
SHARED_FIXTURES = ("live",)
FIRST = "test_every_notebook_installs_the_package_and_runs_without_compilers"


def _group(item) -> str | None:
    names = getattr(item, "fixturenames", ())
    if "seen" in names:
        params = getattr(item, "callspec", None)
        params = params.params if params else {}
        return f"seen-{params.get('deck') or params.get('page') or 'history'}"
    shared = [name for name in SHARED_FIXTURES if name in names]
    return f"{item.module.__name__}-{shared[0]}" if shared else None


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        group = _group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: (item.name != FIRST,
                                 "built_book" in getattr(item, "fixturenames", ())))
