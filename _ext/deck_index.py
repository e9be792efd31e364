"""Write the deck index: one page listing every deck with its PDF and its book page.

For the reveal builder only, once the build has succeeded, this extension writes a
self-contained HTML page (no scripts, no external assets) into the decks folder, listing
the documents in table-of-contents order. It reads the ``deck_links_*`` config keys of
``deck_links`` so the two extensions agree on where things are.
"""

from __future__ import annotations

import html
from pathlib import Path

from sphinx_revealjs.builders import RevealjsHTMLBuilder

from deck_links import course_title

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Decks: {project}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1f2328; }}
a {{ color: #0b57d0; }} li {{ margin: 0.5rem 0; }} .links {{ font-size: 0.9rem; }}
</style></head>
<body><main>
<h1>Slide decks: {project}</h1>
<p>Every lecture as a reveal.js deck. Press <kbd>S</kbd> in a deck for the speaker view
(the page's prose is in its notes), <kbd>F</kbd> for full screen, <kbd>D</kbd> for the dark
theme; add <code>?view=scroll</code> for the handout. The PDFs have one page per slide,
without notes.</p>
<ol>
{items}
</ol>
<p><a href="../{html_dir}/index.html">Back to the book</a></p>
</main></body></html>
"""


def toc_order(env, root: str) -> list[str]:
    """Documents in depth-first table-of-contents order from ``root``."""
    order, stack = [], [root]
    while stack:
        docname = stack.pop(0)
        if docname in order:
            continue
        order.append(docname)
        stack[:0] = env.toctree_includes.get(docname, [])
    return order


def write_index(app, exception):
    if exception is not None or not isinstance(app.builder, RevealjsHTMLBuilder):
        return
    config, env = app.config, app.env
    items = []
    for docname in toc_order(env, config.root_doc):
        title = html.escape(env.titles[docname].astext())
        pdf = f"{config.deck_links_pdf_dir}/{docname}.pdf"
        page = f"../{config.deck_links_html_dir}/{docname}.html"
        items.append(f'<li><a class="deck" href="{docname}.html">{title}</a> '
                     f'<span class="links">(<a class="pdf" href="{pdf}">PDF</a> · '
                     f'<a class="page" href="{page}">page</a>)</span></li>')
    text = PAGE.format(project=html.escape(course_title(config)), items="\n".join(items),
                       html_dir=config.deck_links_html_dir)
    Path(app.outdir, config.deck_links_index).write_text(text, encoding="utf-8")


def setup(app):
    app.setup_extension("deck_links")
    app.connect("build-finished", write_index)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
