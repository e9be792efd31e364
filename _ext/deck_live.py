"""What live decks need in the reveal build output: Thebe and each page's code cells.

Live mode (``decks.js``, key ``E``, only when ``make present`` opened the deck) turns a
deck's code cells into editors run by a local Jupyter kernel. It needs two things the
deck HTML does not carry, written here for reveal builders only (the site gets
nothing):

- Thebe's browser bundle, copied from ``node_modules/thebe/lib`` (installed from the
  pinned ``package-lock.json``) into ``_static/thebe/``, so live mode fetches nothing
  from the network; the decks load it only when live mode is switched on.
- ``_static/live/<docname>.json``: every code cell of the page in order, hidden ones
  included, with its tags, and the page's source path, so the kernel can run the page's
  cells up to a slide with the state they had at build time, in the page's folder.

Without ``node_modules/thebe`` (a book built before ``tools/npm_packages.py`` ran) the
decks are built as always and live mode is unavailable; the build says so once.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
from myst_nb.core.read import read_myst_markdown_notebook
from sphinx.util import logging
from sphinx_revealjs.builders import RevealjsHTMLBuilder

logger = logging.getLogger(__name__)
THEBE = Path("node_modules", "thebe", "lib")


def page_cells(source: Path) -> list[dict]:
    """The code cells of a MyST or .ipynb page, in order: source and tags."""
    if source.suffix == ".ipynb":
        notebook = nbformat.read(source, as_version=4)
    else:
        notebook = read_myst_markdown_notebook(source.read_text(encoding="utf-8"))
    return [{"source": cell.source, "tags": list(cell.metadata.get("tags", []))}
            for cell in notebook.cells if cell.cell_type == "code"]


def write_live_files(app, exception):
    if exception is not None or not isinstance(app.builder, RevealjsHTMLBuilder):
        return
    out = Path(app.outdir, "_static")
    thebe = Path(app.confdir, THEBE)
    if (thebe / "index.js").is_file():
        target = out / "thebe"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(thebe, target, ignore=shutil.ignore_patterns("*.map", "types"))
    else:
        logger.info("deck_live: no %s (run python3 tools/npm_packages.py); live mode is "
                    "unavailable", THEBE)
    env = app.builder.env
    for docname in sorted(env.found_docs):
        source = Path(env.doc2path(docname))
        if source.suffix not in {".md", ".ipynb"}:
            continue
        cells = page_cells(source)
        if not cells:
            continue
        record = {"path": source.relative_to(app.confdir).as_posix(), "cells": cells}
        path = out / "live" / f"{docname}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record), encoding="utf-8")


def setup(app):
    app.connect("build-finished", write_live_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
