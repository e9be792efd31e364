"""Print every deck to PDF, one page per slide, once the reveal build has succeeded.

Each deck is opened in headless Chromium (driven by Playwright, with the browser given
by the config, never downloaded) in reveal's print mode (``?print-pdf``); once
reveal has laid out its print pages and MathJax has typeset, ``page.pdf`` writes a 1280×720 page per
slide. Speaker notes are not printed: the decks set reveal's ``showNotes`` to false, so
a PDF holds the slides as the room sees them (the notes are in the deck's speaker view
and on the page). A missing browser is a build error, never a silent skip. A PDF newer
than its deck and than every file of the decks' theme is up to date and kept.

Config keys: ``deck_pdf_enabled`` (bool), ``deck_pdf_browser`` (path or name of the
Chromium executable), ``deck_links_pdf_dir`` (output folder, from ``deck_links``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx_revealjs.builders import RevealjsHTMLBuilder

logger = logging.getLogger(__name__)
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
# reveal.js 5 emits 'pdf-ready' once the print layout is done; its pages carry .pdf-page
READY = "() => window.Reveal && Reveal.isReady() && document.querySelector('.pdf-page')"
TYPESET = "() => window.MathJax?.startup?.promise ?? Promise.resolve()"


def _browser(app) -> str:
    name = app.config.deck_pdf_browser
    path = shutil.which(name)
    if path is None:
        raise ExtensionError(f"deck_pdf_browser must name an installed Chromium; got {name!r} "
                             "(install Debian's chromium, or set deck_pdf_enabled: false)")
    return path


def print_decks(app, exception):
    if exception is not None or not isinstance(app.builder, RevealjsHTMLBuilder):
        return
    if not app.config.deck_pdf_enabled:
        return
    from playwright.sync_api import sync_playwright  # only reveal builds need it

    out = Path(app.outdir)
    theme = [p.stat().st_mtime for folder in app.config.revealjs_static_path
             for p in Path(app.confdir, folder).rglob("*") if p.is_file()]
    stale = [d for d in sorted(app.env.found_docs)
             if not _current(out / app.config.deck_links_pdf_dir / f"{d}.pdf",
                             max([(out / f"{d}.html").stat().st_mtime, *theme]))]
    browser_path = _browser(app)
    if not stale:
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=ARGS)
        for docname in stale:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            target = out / app.config.deck_links_pdf_dir / f"{docname}.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            page.goto((out / f"{docname}.html").as_uri() + "?print-pdf")
            page.wait_for_function(READY, timeout=60_000)
            page.evaluate(TYPESET)
            page.pdf(path=str(target), width="1280px", height="720px", print_background=True)
            page.close()
        browser.close()
    logger.info(f"deck_pdf: printed {len(stale)} decks")


def _current(pdf: Path, newest_input: float) -> bool:
    return pdf.exists() and pdf.stat().st_mtime > newest_input


def setup(app):
    app.setup_extension("deck_links")
    app.add_config_value("deck_pdf_enabled", True, "env", types=[bool])
    app.add_config_value("deck_pdf_browser", "chromium", "env", types=[str])
    app.connect("build-finished", print_decks)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
