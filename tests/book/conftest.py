"""Helpers for tests that run Jupyter Book: the gated build and small temporary books."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JB = str(Path(sys.executable).parent / "jb")
GATE = ["-W", "-n", "--keep-going"]
REVEALJS = ["--builder", "custom", "--custom-builder", "revealjs"]
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
        env={**os.environ, "XLA_PYTHON_CLIENT_PREALLOCATE": "false", **(env or {})},
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
    """The gated build of the real book, site and decks, exactly as `make book` runs it."""
    html = check(jb_build(ROOT, *GATE, "--all"))
    slides = check(jb_build(ROOT, *GATE, "--all", *REVEALJS))
    return {"html": html, "revealjs": slides}


@pytest.fixture
def make_book(tmp_path):
    """Factory for a small book that uses the project's real configuration and extensions.

    ``make_book({"book/a.md": body, ...})`` writes the pages (with jupytext front matter),
    a table of contents listing them in order, and copies ``_config.yml``, ``_ext/``,
    ``book/_decks`` and the package source, so the temporary book builds like the real one.
    """

    def make(pages: dict[str, str]) -> Path:
        root = tmp_path / "book-root"
        shutil.copytree(ROOT / "_ext", root / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "book" / "_decks", root / "book" / "_decks")
        shutil.copytree(ROOT / "code", root / "code", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "_config.yml", root / "_config.yml")
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
