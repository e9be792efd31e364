"""Re-execute exactly the pages whose imported package source changed.

jupyter-cache keys an executed notebook on its cell text alone, so an edit to the
package a page imports would be served stale outputs. For every page that imports a
configured package this extension appends a hidden ``remove-cell`` code cell carrying
a digest of that package's source files: the cell text changes exactly when the source
does, so only those pages miss the cache, and a revert hits the old entry again. Pages
whose digest changed since the last build are also marked outdated for Sphinx.

Config keys: ``codedigest_packages`` (dict, import name -> source folder relative to
the configuration directory) and ``codedigest_suffixes`` (file suffixes that count).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sphinx.errors import ExtensionError

MARKER = "# codedigest"
_FENCE = re.compile(r"^(`{3,}|:{3,})\{code-cell\}[ \t]*(\S*)", re.MULTILINE)


def package_digest(folder: Path, suffixes: tuple[str, ...]) -> str:
    """SHA-256 over the relative path and bytes of every source file below ``folder``."""
    sha = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes)
    for path in files:
        if "__pycache__" in path.parts:
            continue
        sha.update(path.relative_to(folder).as_posix().encode() + b"\0")
        sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()


def imported_packages(source: str, names) -> list[str]:
    """The names in ``names`` that ``source`` imports (``import x`` or ``from x ...``)."""
    return [
        name
        for name in sorted(names)
        if re.search(rf"^\s*(?:import|from)\s+{re.escape(name)}\b", source, re.MULTILINE)
    ]


def digest_cell(source: str, digests: dict[str, str]) -> str:
    """The hidden code cell to append to a MyST notebook ``source`` for ``digests``."""
    match = _FENCE.search(source)
    lexer = (match.group(2) if match else "") or "ipython3"
    lines = [f"{MARKER} {name} {digest}" for name, digest in sorted(digests.items())]
    body = "\n".join(lines)
    return f"\n\n```{{code-cell}} {lexer}\n:tags: [remove-cell]\n\n{body}\n```\n"


def _current(app) -> dict[str, str]:
    env = app.env
    if getattr(env, "codedigest_current", None) is None:
        suffixes = tuple(app.config.codedigest_suffixes)
        current = {}
        for name, folder in app.config.codedigest_packages.items():
            path = Path(app.confdir, folder)
            if not path.is_dir():
                raise ExtensionError(
                    f"codedigest_packages[{name!r}] must be a folder; got {folder!r}"
                )
            current[name] = package_digest(path, suffixes)
        env.codedigest_current = current
    return env.codedigest_current


def on_source_read(app, docname, source):
    if not _FENCE.search(source[0]):
        return
    current = _current(app)
    names = imported_packages(source[0], current)
    if names:
        digests = {name: current[name] for name in names}
        app.env.codedigest_docs[docname] = digests
        source[0] += digest_cell(source[0], digests)


def on_get_outdated(app, env, added, changed, removed):
    env.codedigest_current = None
    current = _current(app)
    return [
        docname
        for docname, digests in env.codedigest_docs.items()
        if any(current.get(name) != digest for name, digest in digests.items())
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
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
