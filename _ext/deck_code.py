"""Code in the decks coloured as on the site.

sphinx-revealjs writes every code block as plain ``<pre><code>`` for reveal's highlight
plugin, so without that plugin the decks show uncoloured code. For reveal builders this
extension writes code blocks through Sphinx's own Pygments path (the spans the site has)
and keeps reveal's form only for blocks that step through lines (``data-line-numbers``,
from ``{revealjs-code-block}`` or ``{revealjs-literalinclude}``), which reveal's bundled
highlight plugin numbers and steps. It writes one stylesheet, ``deck-pygments.css``,
colouring both in the site's Pygments styles: the light one, and the dark one under
``html.deck-dark``.

Config keys: ``deck_code_styles`` (light and dark Pygments style names, the site theme's).
"""

from __future__ import annotations

from pathlib import Path

from pygments.formatters import HtmlFormatter
from pygments.styles import get_style_by_name
from pygments.token import Token
from sphinx.writers.html5 import HTML5Translator
from sphinx_revealjs.builders import RevealjsHTMLBuilder
from sphinx_revealjs.writers import RevealjsSlideTranslator

# reveal's highlight plugin (highlight.js) classes and the Pygments tokens they match.
HLJS = {"keyword": Token.Keyword, "built_in": Token.Name.Builtin, "literal": Token.Keyword.Constant,
        "string": Token.String, "number": Token.Number, "comment": Token.Comment,
        "title": Token.Name.Function, "params": Token.Name, "meta": Token.Name.Decorator,
        "operator": Token.Operator, "type": Token.Name.Class}


class DeckTranslator(RevealjsSlideTranslator):
    """Pygments for every code block but those whose lines reveal steps through."""

    def visit_literal_block(self, node):
        if "data-line-numbers" in node:
            return super().visit_literal_block(node)
        return HTML5Translator.visit_literal_block(self, node)

    def depart_literal_block(self, node):
        if "data-line-numbers" in node:
            return super().depart_literal_block(node)
        return HTML5Translator.depart_literal_block(self, node)


def stylesheet(light: str, dark: str) -> str:
    """CSS for Pygments spans and highlight.js classes in both styles."""
    parts = []
    for name, scope in ((light, ".reveal"), (dark, "html.deck-dark .reveal")):
        style = get_style_by_name(name)
        parts.append(HtmlFormatter(style=style).get_style_defs(f"{scope} .highlight"))
        text = style.style_for_token(Token.Text)["color"] or "000000"
        back = style.background_color
        parts.append(f"{scope} pre code.hljs {{ color: #{text}; background: {back}; }}")
        for cls, token in HLJS.items():
            colour = style.style_for_token(token)["color"]
            if colour:
                parts.append(f"{scope} .hljs-{cls} {{ color: #{colour}; }}")
    return "\n".join(parts) + "\n"


def write_stylesheet(app, exception):
    if exception is None and isinstance(app.builder, RevealjsHTMLBuilder):
        target = Path(app.outdir, "_static", "deck-pygments.css")
        target.write_text(stylesheet(*app.config.deck_code_styles), encoding="utf-8")


def setup(app):
    app.setup_extension("sphinx_revealjs")
    app.add_config_value("deck_code_styles",
                         ["a11y-high-contrast-light", "a11y-high-contrast-dark"], "html",
                         types=[list])
    app.set_translator("revealjs", DeckTranslator, override=True)
    app.connect("build-finished", write_stylesheet, priority=100)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
