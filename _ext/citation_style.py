"""Cite as the notebooks do: "Epstein and Zin (1989)" and "(Epstein and Zin, 1989)".

sphinxcontrib-bibtex's ``author_year`` style puts years and parenthetical citations in
square brackets; this extension registers ``author_year_round``, the same style with
round brackets, so that the site, the decks and the notebooks (``jupyter_markdown``)
cite alike. Select it with ``bibtex_reference_style: author_year_round``.

It reads no config keys of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@dataclass
class RoundAuthorYearStyle(AuthorYearReferenceStyle):
    """``author_year`` with round brackets for textual and parenthetical citations."""

    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_author: BracketStyle = field(default_factory=_round)
    bracket_label: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)


def setup(app):
    app.setup_extension("sphinxcontrib.bibtex")
    register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_round",
                    RoundAuthorYearStyle, force=True)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
