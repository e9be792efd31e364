"""Which modules of a package a piece of code depends on, read without running it.

Code depends on the modules it names (``from pkg.mod import f``, ``pkg.f``, ``from pkg
import f``), on every module those import in turn, on the package's ``__init__``, and on
the data files kept in a folder named like a module (``native/`` for ``native.py``).
What the reading cannot pin down (the package object passed around whole, a name that
no module defines, code that does not parse) counts as depending on every module: a
wrong guess may re-execute a page needlessly, but never serves it stale.

Not a Sphinx extension: ``codedigest.py`` uses it.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path
from typing import NamedTuple

INIT = "__init__"


class Package(NamedTuple):
    """The static picture of a package: its modules, what each provides and imports."""

    name: str
    folder: Path
    modules: dict[str, Path]  # "solow" -> .../solow.py; "__init__" for the package
    provides: dict[str, frozenset[str]]  # top-level name -> the modules that define it
    imports: dict[str, frozenset[str]]  # module -> the package modules it imports
    files: dict[str, list[tuple[str, str]]]  # module -> (path, SHA-256) of the files it owns


def _defined(tree: ast.Module) -> set[str]:
    """Names a module defines at its top level: functions, classes, assignments."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def _imported(tree: ast.Module) -> set[str]:
    """Names a module binds at its top level by importing them."""
    return {(a.asname or a.name).split(".")[0] for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom) for a in node.names}


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _owned_files(folder: Path, modules: dict[str, Path], suffixes) -> dict[str, list]:
    """(relative path, SHA-256 of the bytes) of each file with one of ``suffixes``, by owner.

    A module owns its source; a data file belongs to the module named like the first
    folder it sits in (``native/`` to ``native``), else to the package's ``__init__``,
    which every closure holds.
    """
    owner_of = {path: module for module, path in modules.items()}
    files: dict[str, list] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes):
        relative = path.relative_to(folder)
        if "__pycache__" in relative.parts:
            continue
        owner = owner_of.get(path) or (relative.parts[0] if len(relative.parts) > 1 else INIT)
        owner = owner if owner in modules else INIT
        entry = (relative.as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
        files.setdefault(owner, []).append(entry)
    return files


def read_package(name: str, folder: Path, suffixes: tuple[str, ...] = (".py",)) -> Package:
    """Read every module below ``folder``, the source of the package ``name``, and hash
    the files with one of ``suffixes`` once, for :func:`digest`."""
    modules = {}
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" not in path.parts:
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == INIT and len(parts) > 1:
                parts = parts[:-1]  # a subpackage is named by its folder
            modules[".".join(parts)] = path
    trees = {module: _parse(path.read_text()) for module, path in modules.items()}
    provides: dict[str, set[str]] = {}
    # A name is provided by the modules that define it, or failing that by those that
    # import it (the package's __init__ only forwards names, so it provides none).
    for names_of in (_imported, _defined):
        found: dict[str, set[str]] = {}
        for module, tree in trees.items():
            for bound in names_of(tree) if tree and module != INIT else ():
                found.setdefault(bound, set()).add(module)
        provides.update(found)
    package = Package(name, folder, modules, {k: frozenset(v) for k, v in provides.items()},
                      {}, _owned_files(folder, modules, suffixes))
    for module, tree in trees.items():
        package.imports[module] = frozenset(modules_used(package, tree) - {module})
    return package


def _resolve(package: Package, name: str) -> set[str] | None:
    """The modules behind ``pkg.name``; None when no module accounts for it."""
    if name in package.modules:
        return {name}
    return set(package.provides.get(name, ())) or None


def modules_used(package: Package, tree: ast.Module | None) -> set[str]:
    """The package modules that ``tree`` names directly; every module when unsure."""
    everything = set(package.modules)
    if tree is None:
        return everything
    used, aliases = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top, _, rest = alias.name.partition(".")
                if top != package.name:
                    continue
                if rest:  # `import pkg.mod`: the module, and `pkg` is bound too
                    used |= _resolve(package, rest.split(".")[0]) or everything
                if not (rest and alias.asname):
                    aliases.add(alias.asname or top)
        elif isinstance(node, ast.ImportFrom):
            top, _, rest = (node.module or "").partition(".")
            if node.level == 0 and top != package.name:
                continue
            module = rest if node.level == 0 else (node.module or "")
            if module:  # `from pkg.mod import f` or `from .mod import f`
                used |= _resolve(package, module.split(".")[0]) or everything
            else:  # `from pkg import f` or `from . import mod`
                for alias in node.names:
                    used |= _resolve(package, alias.name) or everything
    attributes = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                  and isinstance(n.value, ast.Name) and n.value.id in aliases]
    for node in attributes:
        used |= _resolve(package, node.attr) or everything
    inside = {id(n.value) for n in attributes}
    if any(isinstance(n, ast.Name) and n.id in aliases and isinstance(n.ctx, ast.Load)
           and id(n) not in inside for n in ast.walk(tree)):
        return everything  # the package itself is handed on: anything may be reached
    return used


def closure(package: Package, modules: set[str]) -> set[str]:
    """``modules``, everything they import, transitively, and the package ``__init__``."""
    seen, todo = set(), set(modules) | ({INIT} & set(package.modules))
    while todo:
        module = todo.pop()
        seen.add(module)
        todo |= package.imports.get(module, frozenset()) - seen
    return seen


def digest(package: Package, modules: set[str]) -> str:
    """SHA-256 over the path and content hash of every file that ``modules`` own."""
    sha = hashlib.sha256()
    for relative, content in sorted(e for m in modules for e in package.files.get(m, ())):
        sha.update(f"{relative}\0{content}\0".encode())
    return sha.hexdigest()
