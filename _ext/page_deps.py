"""What a page's outputs depend on besides its own text, read without running it.

A page's outputs change when the package source it uses changes (``module_deps``), when
a third-party library it imports, directly or through the package, changes version, when
JAX computes on another kind or number of devices, and when a file outside the code that
a library reads changes (``book/matplotlibrc`` for matplotlib). :func:`page_lines` states
all of these as comment lines; ``codedigest`` puts them in a hidden cell, so the
execution cache keys on them. Not a Sphinx extension.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

from myst_nb.core.read import read_myst_markdown_notebook

from module_deps import Package, closure, digest, external_imports, modules_used

MARKER = "# codedigest"
#: Distributions that a ``jax`` import runs besides ``jax`` itself (the compiler and any
#: accelerator plugin), by name prefix.
JAX_RUNTIME = ("jaxlib", "jax-cuda", "jax_cuda", "jax-rocm", "jax_rocm", "libtpu")


def imported_packages(source: str, names) -> list[str]:
    """The names in ``names`` that ``source`` imports (``import x`` or ``from x ...``)."""
    return [name for name in sorted(names)
            if re.search(rf"^\s*(?:import|from)\s+{re.escape(name)}\b", source, re.MULTILINE)]


def code_python(source: str) -> str:
    """The code cells of a MyST notebook as one Python text, magics blanked."""
    cells = read_myst_markdown_notebook(source).cells
    return "\n\n".join(
        "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line
                  for line in cell.source.split("\n"))
        for cell in cells if cell.cell_type == "code")


def page_tree(source: str) -> ast.Module | None:
    try:
        return ast.parse(code_python(source))
    except SyntaxError:
        return None  # counts as using every module of a package


def page_modules(source: str, package: Package) -> list[str]:
    """The modules of ``package`` that the code cells of ``source`` name directly."""
    return sorted(modules_used(package, page_tree(source)))


def externals(tree, packages: dict[str, Package], uses: dict[str, list[str]]) -> set[str]:
    """Third-party top-level modules the page imports, itself or through the modules of
    ``packages`` it uses (``uses``: package name -> modules named by the page)."""
    found = external_imports(tree, "")
    for name, modules in uses.items():
        package = packages[name]
        found |= set().union(*(package.externals.get(m, ()) for m in
                               closure(package, set(modules))))
    return found - set(packages)


def page_uses(source: str, packages: dict[str, Package]) -> tuple[dict[str, list[str]],
                                                                  list[str]]:
    """What the code of the MyST page ``source`` uses: package name -> the modules it names
    directly, and the third-party top-level modules it imports, itself or through them."""
    tree = page_tree(source)
    uses = {name: sorted(modules_used(packages[name], tree))
            for name in imported_packages(source, packages)}
    return uses, sorted(externals(tree, packages, uses))


@functools.cache
def installed() -> tuple[dict[str, list[str]], frozenset[str], dict[str, str]]:
    """Top-level module -> distributions, the installed JAX runtime distributions, and
    distribution -> version: read from site-packages once per build (``codedigest``
    clears it at the start)."""
    found = {d.metadata["Name"]: d.version for d in importlib.metadata.distributions()
             if d.metadata["Name"]}
    runtime = frozenset(name for name in found if name.lower().startswith(JAX_RUNTIME))
    return importlib.metadata.packages_distributions(), runtime, found


def versions(modules: set[str]) -> dict[str, str]:
    """Installed distribution -> version for the top-level ``modules`` (JAX's runtime
    included with ``jax``); modules that are not installed are left out."""
    of, runtime, version = installed()
    names = {dist for module in modules for dist in of.get(module, ())}
    if "jax" in modules:
        names |= runtime
    return {name: version[name] for name in sorted(names, key=str.lower) if name in version}


_DEVICES = ("import jax; d = jax.devices(); "
            "print(f'{jax.default_backend()} {d[0].device_kind}x{len(d)}')")
_probe: subprocess.Popen | None = None  # started by start_jax_devices, not yet read


def start_jax_devices() -> None:
    """Start the interpreter that :func:`jax_devices` reads, so that its start-up (half
    a second of a no-change build) runs while the build does other work."""
    global _probe
    stop_jax_devices()
    jax_devices.cache_clear()  # a new probe: the answer is read afresh
    _probe = subprocess.Popen([sys.executable, "-c", _DEVICES], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)


def stop_jax_devices() -> None:
    """End a started interpreter whose answer nobody read."""
    global _probe
    if _probe is not None:
        _probe.kill()
        _probe.wait()
        _probe = None


@functools.cache
def jax_devices() -> str:
    """``backend kind×count`` of the devices JAX sees in a fresh interpreter, as a page's
    kernel would (it reads the same environment: XLA_FLAGS, JAX_PLATFORMS, ...)."""
    global _probe
    if _probe is None:
        start_jax_devices()
    probe, _probe = _probe, None
    out, _ = probe.communicate()
    return out.strip().replace(" ", "_", 1) if probe.returncode == 0 else "unavailable"


@functools.cache
def file_digest(paths: tuple[Path, ...]) -> str:
    """A digest of the names and contents of ``paths``, read once per build (``codedigest``
    clears it at the start)."""
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.name.encode() + b"\0" + (path.read_bytes() if path.exists() else b""))
    return sha.hexdigest()[:16]


def page_lines(packages: dict[str, Package], uses: dict[str, list[str]], imports: set[str],
               files: dict[str, tuple[Path, ...]]) -> list[str]:
    """The comment lines that key a page's cache: package digests, library versions, the
    JAX devices (for pages that import jax), and the files that imported libraries read."""
    lines = [f"{MARKER} {name} {digest(packages[name], closure(packages[name], set(m)))}"
             for name, m in sorted(uses.items())]
    found = versions(imports)
    if found:
        lines.append(f"{MARKER} versions " + " ".join(f"{k}={v}" for k, v in found.items()))
    if "jax" in imports:
        lines.append(f"{MARKER} devices {jax_devices()}")
    lines += [f"{MARKER} files {module} {file_digest(paths)}"
              for module, paths in sorted(files.items()) if module in imports]
    return lines
