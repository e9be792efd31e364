"""Helpers for tests that run Jupyter Book: the gated build and small temporary books."""

from __future__ import annotations

import functools
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

ROOT = Path(__file__).resolve().parents[2]
JB = str(Path(sys.executable).parent / "jb")
# The gated build's flags, as the Makefile passes them (one place: its JB_FLAGS).
GATE = re.search(r"^JB_FLAGS := (.+)$", (ROOT / "Makefile").read_text(), re.M).group(1).split()
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
    return subprocess.run(
        [JB, "build", str(root), *args],
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


def check(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stdout[-6000:]
    return result


@pytest.fixture(scope="session")
def built_book() -> dict[str, subprocess.CompletedProcess]:
    """The gated build of the real book, site and decks, exactly as `make book` runs it
    in the publish workflow (which names the repository in ``GITHUB_REPOSITORY``)."""
    html = check(jb_build(ROOT, *GATE, "--all"))
    slides = check(jb_build(ROOT, *GATE, "--all", *REVEALJS))
    return {"html": html, "revealjs": slides}


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
WAIT_FOR_MATH = "() => window.MathJax?.startup?.promise ?? Promise.resolve()"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the server runs silently inside pytest
        pass


@pytest.fixture(scope="session")
def server(built_book):
    handler = functools.partial(_QuietHandler, directory=str(BUILD))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
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


@pytest.fixture
def visit(browser):
    opened = []

    def open_(url):
        opened.append(Visit(browser, url))
        return opened[-1]

    yield open_
    for v in opened:
        v.close()
