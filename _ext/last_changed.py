"""Show under each page the date its source last changed, from git history.

The date is the committer date of the last commit touching the page's source file,
read with ``git log``; a page with uncommitted edits says so. Outside a git work tree
(an unpacked archive) the line is left out and an info message says why.

Config keys: ``last_changed_format`` (strftime-style format of the date, as git's
``--date=format:``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx_revealjs.builders import RevealjsHTMLBuilder

logger = logging.getLogger(__name__)


def git_last_changed(path: Path, date_format: str = "%Y-%m-%d") -> str | None:
    """Date of the last commit touching ``path`` ('uncommitted' if it has local edits).

    Returns None when ``path`` is not in a git work tree or has never been committed.
    """
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=path.parent, capture_output=True, text=True)

    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        return None
    if git("status", "--porcelain", "--", path.name).stdout.strip():
        return "uncommitted"
    date = git("log", "-1", f"--date=format:{date_format}", "--format=%cd", "--", path.name)
    return date.stdout.strip() or None


def add_last_changed(app, doctree, docname):
    if isinstance(app.builder, RevealjsHTMLBuilder):
        return
    changed = git_last_changed(Path(app.env.doc2path(docname)), app.config.last_changed_format)
    if changed is None:
        logger.info(f"last_changed: {docname} is not in git history; no date shown")
        return
    text = ("This page has edits not yet committed." if changed == "uncommitted"
            else f"Last changed {changed}.")
    doctree += nodes.paragraph(text=text, classes=["last-changed"])


def setup(app):
    app.add_config_value("last_changed_format", "%Y-%m-%d", "html", types=[str])
    app.connect("doctree-resolved", add_last_changed)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
