"""Re-execute exactly the pages whose inputs outside their own text changed.

jupyter-cache keys an executed notebook on its cell text alone. For every page with code
cells this extension appends a hidden ``remove-cell`` code cell listing what its outputs
depend on (``page_deps.page_lines``: the package modules it uses and all they import,
library versions, the JAX devices, files libraries read). The cell changes exactly when
one of them does, so only those pages re-execute and restoring the old state hits the
old cache entry; pages whose lines changed are also marked outdated for Sphinx.

Config (paths relative to the configuration directory): ``codedigest_packages`` (import
name -> source folder), ``codedigest_suffixes`` (file suffixes that count in a package),
``codedigest_files`` (import name -> files that count for pages importing it).
"""

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
    return f"\n\n```{{code-cell}} {lexer}\n:tags: [remove-cell]\n\n" + "\n".join(lines) + "\n```\n"


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
    files = {name: tuple(Path(app.confdir, f) for f in paths)
             for name, paths in app.config.codedigest_files.items()}
    return page_deps.page_lines(_packages(app), uses, set(imports), files)


def on_source_read(app, docname, source):
    if not _FENCE.search(source[0]):
        return
    uses, imports = page_deps.page_uses(source[0], _packages(app))
    lines = _lines(app, uses, imports)
    _docs(app.env)[docname] = (uses, imports, lines)
    source[0] += digest_cell(source[0], lines)


def on_get_outdated(app, env, added, changed, removed):
    _PACKAGES.pop(str(app.confdir), None)  # read the sources afresh for this build
    page_deps.installed.cache_clear()
    page_deps.file_digest.cache_clear()
    return [docname for docname, (uses, imports, lines) in _docs(env).items()
            if any(name not in _packages(app) for name in uses)
            or _lines(app, uses, imports) != lines]


def _docs(env) -> dict:
    """docname -> (modules used, imports, lines), kept on the environment between builds."""
    if not hasattr(env, "codedigest_docs"):
        env.codedigest_docs = {}
    return env.codedigest_docs


def on_merge_info(app, env, docnames, other):
    _docs(env).update({d: _docs(other)[d] for d in docnames if d in _docs(other)})


def setup(app):
    app.setup_extension("myst_nb")
    app.add_config_value("codedigest_packages", {}, "env", types=[dict])
    app.add_config_value("codedigest_suffixes", [".py", ".pyi", ".c", ".f90", ".jl", ".m"],
                         "env", types=[list])
    app.add_config_value("codedigest_files", {}, "env", types=[dict])
    # read afresh for each build, started before the slower extensions' own set-up
    app.connect("config-inited", lambda app, config: page_deps.start_jax_devices(), priority=100)
    app.connect("build-finished", lambda app, exception: page_deps.stop_jax_devices())
    app.connect("env-get-outdated", on_get_outdated)
    app.connect("source-read", on_source_read)
    app.connect("env-purge-doc", lambda app, env, docname: _docs(env).pop(docname, None))
    app.connect("env-merge-info", on_merge_info)
    return {"version": "3.0", "env_version": 3, "parallel_read_safe": True,
            "parallel_write_safe": True}
