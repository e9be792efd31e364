"""Re-execute exactly the pages whose imported package source changed.

jupyter-cache keys an executed notebook on its cell text alone, so an edit to the
package a page imports would be served stale outputs. For every page that imports a
configured package this extension appends a hidden ``remove-cell`` code cell carrying
a digest of the source files of the modules the page depends on (read statically by
``module_deps``: the modules its cells name and all they import): the cell text changes
exactly when that source does, so editing one module re-executes only the pages that
use it, and a revert hits the old entry again. Pages whose digest changed since the
last build are also marked outdated for Sphinx.

Config keys: ``codedigest_packages`` (dict, import name -> source folder relative to
the configuration directory) and ``codedigest_suffixes`` (file suffixes that count).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from myst_nb.core.read import read_myst_markdown_notebook
from sphinx.errors import ExtensionError

from module_deps import Package, closure, digest, modules_used, read_package

MARKER = "# codedigest"
_FENCE = re.compile(r"^(`{3,}|:{3,})\{code-cell\}[ \t]*(\S*)", re.MULTILINE)


def imported_packages(source: str, names) -> list[str]:
    """The names in ``names`` that ``source`` imports (``import x`` or ``from x ...``)."""
    return [
        name
        for name in sorted(names)
        if re.search(rf"^\s*(?:import|from)\s+{re.escape(name)}\b", source, re.MULTILINE)
    ]


def code_python(source: str) -> str:
    """The code cells of a MyST notebook as one Python text, magics blanked."""
    cells = read_myst_markdown_notebook(source).cells
    return "\n\n".join(
        "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line
                  for line in cell.source.split("\n"))
        for cell in cells if cell.cell_type == "code")


def page_modules(source: str, package: Package) -> list[str]:
    """The modules of ``package`` that the code cells of ``source`` name directly."""
    try:
        tree = ast.parse(code_python(source))
    except SyntaxError:
        tree = None  # counts as using every module
    return sorted(modules_used(package, tree))


def digest_cell(source: str, digests: dict[str, str]) -> str:
    """The hidden code cell to append to a MyST notebook ``source`` for ``digests``."""
    match = _FENCE.search(source)
    lexer = (match.group(2) if match else "") or "ipython3"
    lines = [f"{MARKER} {name} {digest}" for name, digest in sorted(digests.items())]
    body = "\n".join(lines)
    return f"\n\n```{{code-cell}} {lexer}\n:tags: [remove-cell]\n\n{body}\n```\n"


def _packages(app) -> dict[str, Package]:
    """The configured packages as they are now, read once per build."""
    if getattr(app, "codedigest_packages", None) is None:
        packages = {}
        for name, folder in app.config.codedigest_packages.items():
            path = Path(app.confdir, folder)
            if not path.is_dir():
                raise ExtensionError(
                    f"codedigest_packages[{name!r}] must be a folder; got {folder!r}"
                )
            packages[name] = read_package(name, path, tuple(app.config.codedigest_suffixes))
        app.codedigest_packages = packages
    return app.codedigest_packages


def _digest(app, name: str, modules: list[str]) -> str:
    package = _packages(app)[name]
    return digest(package, closure(package, set(modules)))


def on_source_read(app, docname, source):
    if not _FENCE.search(source[0]):
        return
    packages = _packages(app)
    names = imported_packages(source[0], packages)
    if names:
        uses = {name: page_modules(source[0], packages[name]) for name in names}
        digests = {name: _digest(app, name, modules) for name, modules in uses.items()}
        app.env.codedigest_docs[docname] = {name: (uses[name], digests[name]) for name in names}
        source[0] += digest_cell(source[0], digests)


def on_get_outdated(app, env, added, changed, removed):
    app.codedigest_packages = None  # read the sources afresh for this build
    return [
        docname
        for docname, recorded in env.codedigest_docs.items()
        if any(name not in _packages(app) or _digest(app, name, modules) != digest
               for name, (modules, digest) in recorded.items())
    ]


def on_builder_inited(app):
    if not hasattr(app.env, "codedigest_docs"):
        app.env.codedigest_docs = {}


def on_purge_doc(app, env, docname):
    getattr(env, "codedigest_docs", {}).pop(docname, None)


def on_merge_info(app, env, docnames, other):
    theirs = other.codedigest_docs
    env.codedigest_docs.update({d: theirs[d] for d in docnames if d in theirs})


def setup(app):
    app.add_config_value("codedigest_packages", {}, "env", types=[dict])
    suffixes = [".py", ".c", ".f90", ".jl", ".m"]
    app.add_config_value("codedigest_suffixes", suffixes, "env", types=[list])
    app.connect("builder-inited", on_builder_inited)
    app.connect("env-get-outdated", on_get_outdated)
    app.connect("source-read", on_source_read)
    app.connect("env-purge-doc", on_purge_doc)
    app.connect("env-merge-info", on_merge_info)
    return {
        "version": "2.0",
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
