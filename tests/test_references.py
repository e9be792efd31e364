"""Every lecture cites its sources: it cites works that references.bib holds, and it ends
with a References section whose bibliography lists this page's citations only."""

import re
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
ENTRIES = {key for bib in CONFIG["bibtex_bibfiles"] for key in parse_file(ROOT / bib).entries}
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
LECTURES = [chapter["file"] for part in TOC["parts"] for chapter in part["chapters"]
            if Path(chapter["file"]).name not in {"index", "status"}]
CITE = re.compile(r"\{cite(?::\w+)?\}`(?P<keys>[^`]+)`")
ENDING = re.compile(r"\n## References\n(?:(?!\n## ).)*\n```\{bibliography\}\n"
                    r":filter: docname in docnames\n```\s*\Z", re.DOTALL)


def _source(page: str) -> str:
    return (ROOT / f"{page}.md").read_text()


def test_the_bibliography_holds_entries():
    assert len(ENTRIES) >= 10


@pytest.mark.parametrize("page", LECTURES)
def test_every_lecture_cites_works_in_the_bibliography(page):
    cited = {key.strip() for m in CITE.finditer(_source(page)) for key in m["keys"].split(",")}
    assert cited, f"{page} cites nothing"
    assert cited <= ENTRIES, sorted(cited - ENTRIES)


@pytest.mark.parametrize("page", LECTURES)
def test_every_lecture_ends_with_its_own_references(page):
    assert ENDING.search(_source(page)), f"{page} does not end with its References"
