"""In the decks an included Python function shows its code; its docstring, which is the
page's prose about it, moves into the slide's speaker notes.

The page keeps every included function whole. On a slide the docstring of a
``literalinclude`` of a function or class (the Args, Returns and Example blocks) would
double the code's length and is read, not shown, so for reveal builders it is cut from
the code block and put, as text, in speaker notes placed right after the block. Blocks
whose lines reveal steps through (``data-line-numbers``) keep their text, since the
steps count its lines.

It reads no config keys.
"""

from __future__ import annotations

import ast
import textwrap

from docutils import nodes
from sphinx_revealjs.builders import RevealjsHTMLBuilder

from prose_notes import slide_notes


def split_docstring(code: str) -> tuple[str, str] | None:
    """``code`` (one function or class) without its docstring, and the docstring; None if
    it has none or is not Python.

    >>> split_docstring('def f(x):\\n    \"\"\"Twice x.\"\"\"\\n    return 2 * x\\n')
    ('def f(x):\\n    return 2 * x\\n', 'Twice x.')
    """
    try:
        body = ast.parse(textwrap.dedent(code)).body
    except SyntaxError:
        return None
    if len(body) != 1 or not isinstance(body[0], (ast.FunctionDef, ast.ClassDef)):
        return None
    first = body[0].body[0]
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return None
    lines = code.splitlines(keepends=True)
    kept = lines[:first.lineno - 1] + lines[first.end_lineno:]
    return "".join(kept), ast.get_docstring(body[0])


def move_docstrings(app, doctree, docname):
    if not isinstance(app.builder, RevealjsHTMLBuilder):
        return
    for block in list(doctree.findall(nodes.literal_block)):
        if "data-line-numbers" in block or not str(block.get("source", "")).endswith(".py"):
            continue  # only code included from a Python file, and not one stepped through
        split = split_docstring(block.astext())
        if split is None:
            continue
        code, docstring = split
        block.children = [nodes.Text(code)]
        block.rawsource = code
        notes = slide_notes()
        notes += [nodes.paragraph(text=part) for part in docstring.split("\n\n")]
        block.parent.insert(block.parent.index(block) + 1, notes)


def setup(app):
    app.setup_extension("slide_text")  # its notes node renders the moved docstring
    app.connect("doctree-resolved", move_docstrings, priority=410)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
