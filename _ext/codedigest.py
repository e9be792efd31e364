"""Re-execute exactly the pages whose inputs outside their own text changed.

jupyter-cache keys an executed notebook on its cell text alone, so an edit to the
package a page imports, an upgraded library or another device would be served stale
outputs. For every page with code cells this extension appends a hidden ``remove-cell``
code cell listing what its outputs depend on (``page_deps.page_lines``): a digest of the
package modules it uses and all they import, the versions of the third-party libraries
it imports directly or through them, the JAX devices, and the files those libraries
read. The cell text changes exactly when one of them does, so only those pages
re-execute, and restoring the old state hits the old cache entry. Pages whose lines
changed since the last build are also marked outdated for Sphinx.

Config: ``codedigest_packages`` (import name -> source folder, relative to the
configuration directory), ``codedigest_suffixes`` (file suffixes that count in a
package), ``codedigest_files`` (import name -> files, relative to the configuration
directory, that count for every page importing that library).
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.errors import ExtensionError

import page_deps
from module_deps import Package, read_package

_FENCE = re.compile(r"^(`{3,}|:{3,})\{code-cell\}[ \t]*(\S*)", re.MULTILINE)
_PACKAGES: dict[str, dict[str, Package]] = {}  # configuration folder -> packages, per build


def digest_cell(source: str, lines: list[str]) -> str:
    """The hidden code cell holding ``lines``, in the kernel language of ``source``."""
    match = _FENCE.search(source)
    lexer = (match.group(2) if match else "") or "ipython3"
    return "\n\n```{code-cell} " + lexer + "\n:tags: [remove-cell]\n\n" + "\n".join(lines) \
        + "\n```\n"


def _packages(app) -> dict[str, Package]:
    """The configured packages as they are now, read once per build."""
    confdir = str(app.confdir)
    if confdir not in _PACKAGES:
        packages = {}
        for name, folder in app.config.codedigest_packages.items():
            path = Path(confdir, folder)
            if not path.is_dir():
                raise ExtensionError(f"codedigest_packages[{name!r}] must be a folder; "
                                     f"got {folder!r}")
            packages[name] = read_package(name, path, tuple(app.config.codedigest_suffixes))
        _PACKAGES[confdir] = packages
    return _PACKAGES[confdir]


def _lines(app, uses: dict[str, list[str]], imports: list[str]) -> list[str]:
    files = {name: [Path(app.confdir, f) for f in paths]
             for name, paths in app.config.codedigest_files.items()}
    return page_deps.page_lines(_packages(app), uses, set(imports), files)


def on_source_read(app, docname, source):
    if not _FENCE.search(source[0]):
        return
    packages, tree = _packages(app), page_deps.page_tree(source[0])
    names = page_deps.imported_packages(source[0], packages)
    uses = {name: sorted(page_deps.modules_used(packages[name], tree)) for name in names}
    imports = sorted(page_deps.externals(tree, packages, uses))
    lines = _lines(app, uses, imports)
    app.env.codedigest_docs[docname] = (uses, imports, lines)
    source[0] += digest_cell(source[0], lines)


def on_get_outdated(app, env, added, changed, removed):
    _PACKAGES.pop(str(app.confdir), None)  # read the sources afresh for this build
    page_deps.jax_devices.cache_clear()
    page_deps.installed.cache_clear()
    return [docname for docname, (uses, imports, lines) in env.codedigest_docs.items()
            if any(name not in _packages(app) for name in uses)
            or _lines(app, uses, imports) != lines]


def on_builder_inited(app):
    if not hasattr(app.env, "codedigest_docs"):
        app.env.codedigest_docs = {}


def on_purge_doc(app, env, docname):
    getattr(env, "codedigest_docs", {}).pop(docname, None)


def on_merge_info(app, env, docnames, other):
    env.codedigest_docs.update({d: other.codedigest_docs[d] for d in docnames
                                if d in other.codedigest_docs})


def setup(app):
    app.setup_extension("myst_nb")
    app.add_config_value("codedigest_packages", {}, "env", types=[dict])
    app.add_config_value("codedigest_suffixes", [".py", ".pyi", ".c", ".f90", ".jl", ".m"],
                         "env", types=[list])
    app.add_config_value("codedigest_files", {}, "env", types=[dict])
    for event, handler in (("builder-inited", on_builder_inited),
                           ("env-get-outdated", on_get_outdated),
                           ("source-read", on_source_read), ("env-purge-doc", on_purge_doc),
                           ("env-merge-info", on_merge_info)):
        app.connect(event, handler)
    return {"version": "3.0", "env_version": 3, "parallel_read_safe": True,
            "parallel_write_safe": True}
