"""Which modules of a package a piece of code depends on, read without running it.

Code depends on the modules it names (``from pkg.mod import f``, ``pkg.sub.mod.f``,
``pkg.f``, ``from pkg import f``), resolved to the longest dotted prefix that is a module;
on every module those import in turn; on the packages above each (Python runs their
``__init__``); and on the data files kept in a folder named like a module (``native/``
for ``native.py``, ``sub/native/`` for ``sub/native.py``). What the reading cannot pin
down (the package object passed around whole, a name that no module defines, code that
does not parse) counts as depending on every module: a wrong guess may re-execute a page
needlessly, but never serves it stale. It also records the third-party top-level modules
each module imports, so a caller can key on their versions.

Not a Sphinx extension: ``codedigest.py`` uses it.
"""

from __future__ import annotations

import ast
import hashlib
import sys
from pathlib import Path
from typing import NamedTuple

INIT = "__init__"


class Package(NamedTuple):
    """The static picture of a package: its modules, what each provides and imports."""

    name: str
    folder: Path
    modules: dict[str, Path]  # "sub.mod" -> .../sub/mod.py; "sub" -> .../sub/__init__.py
    provides: dict[str, frozenset[str]]  # top-level name -> the modules that define it
    imports: dict[str, frozenset[str]]  # module -> the package modules it imports
    externals: dict[str, frozenset[str]]  # module -> third-party top-level modules it imports
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


def external_imports(tree: ast.Module | None, package: str) -> set[str]:
    """Top-level names of the modules outside ``package`` and the standard library that
    ``tree`` imports anywhere (``import numpy.linalg`` gives ``numpy``)."""
    found = set()
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {package, "__future__"}


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _owner(relative: Path, modules: dict[str, Path]) -> str:
    """The module a file belongs to: its own module, else the longest module named like
    the folders it sits in, else the package ``__init__``."""
    folders = relative.parts[:-1]
    for end in range(len(folders), 0, -1):
        if ".".join(folders[:end]) in modules:
            return ".".join(folders[:end])
    return INIT


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
    owner_of = {path: module for module, path in modules.items()}
    files: dict[str, list] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes):
        relative = path.relative_to(folder)
        if "__pycache__" not in relative.parts:
            owner = owner_of.get(path) or _owner(relative, modules)
            digest_ = hashlib.sha256(path.read_bytes()).hexdigest()
            files.setdefault(owner, []).append((relative.as_posix(), digest_))
    package = Package(name, folder, modules, {k: frozenset(v) for k, v in provides.items()},
                      {}, {m: frozenset(external_imports(t, name)) for m, t in trees.items()},
                      files)
    for module, tree in trees.items():
        package.imports[module] = frozenset(modules_used(package, tree, module) - {module})
    return package


def is_subpackage(package: Package, module: str) -> bool:
    return module != INIT and package.modules[module].stem == INIT


def resolve(package: Package, dotted: str) -> set[str] | None:
    """The modules behind ``pkg.<dotted>``: the longest prefix of ``dotted`` that is a
    module (a bare subpackage counts with all its modules), else the modules providing
    its first name; None when no module accounts for it."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        module = ".".join(parts[:end])
        if module in package.modules:
            if end == len(parts) and is_subpackage(package, module):
                return {m for m in package.modules if m == module or
                        m.startswith(module + ".")}
            return {module}
    return set(package.provides.get(parts[0], ())) or None


def _relative_base(current: str, level: int, package: Package) -> str:
    """The dotted package that ``from <level dots>`` means inside module ``current``."""
    parts = [] if current in ("", INIT) else current.split(".")
    if parts and not is_subpackage(package, current):
        parts = parts[:-1]  # a plain module's own package
    return ".".join(parts[:len(parts) - (level - 1)] if level > 1 else parts)


def _from_import(package: Package, node: ast.ImportFrom, current: str) -> set[str] | None:
    top, _, rest = (node.module or "").partition(".")
    if node.level == 0 and top != package.name:
        return set()
    base = rest if node.level == 0 else ".".join(
        p for p in (_relative_base(current, node.level, package), node.module or "") if p)
    used = set()
    for alias in node.names:
        found = resolve(package, f"{base}.{alias.name}" if base else alias.name)
        if found is None:
            return None
        used |= found
    return used


def _chains(tree: ast.Module, aliases: set[str]):
    """(outermost attribute node, dotted chain after the alias) for ``alias.a.b`` uses."""
    parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and not (
                isinstance(parent.get(node), ast.Attribute) and parent[node].value is node):
            names, inner = [], node
            while isinstance(inner, ast.Attribute):
                names.append(inner.attr)
                inner = inner.value
            if isinstance(inner, ast.Name) and inner.id in aliases:
                yield inner, ".".join(reversed(names))


def modules_used(package: Package, tree: ast.Module | None, current: str = "") -> set[str]:
    """The package modules that ``tree`` (code in module ``current``, or outside the
    package) names directly; every module when unsure."""
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
                if rest:  # `import pkg.a.b`: the module, and `pkg` is bound too
                    used |= resolve(package, rest) or everything
                if not (rest and alias.asname):
                    aliases.add(alias.asname or top)
        elif isinstance(node, ast.ImportFrom):
            found = _from_import(package, node, current)
            used |= everything if found is None else found
    bases = set()
    for base, chain in _chains(tree, aliases):
        bases.add(id(base))
        used |= resolve(package, chain) or everything
    if any(isinstance(n, ast.Name) and n.id in aliases and isinstance(n.ctx, ast.Load)
           and id(n) not in bases for n in ast.walk(tree)):
        return everything  # the package itself is handed on: anything may be reached
    return used


def closure(package: Package, modules: set[str]) -> set[str]:
    """``modules``, everything they import, transitively, the packages above each of them
    and the package ``__init__``."""
    seen, todo = set(), set(modules) | ({INIT} & set(package.modules))
    while todo:
        module = todo.pop()
        seen.add(module)
        parts = module.split(".")
        parents = {".".join(parts[:end]) for end in range(1, len(parts))}
        todo |= (package.imports.get(module, frozenset()) | (parents & set(package.modules))
                 ) - seen
    return seen


def digest(package: Package, modules: set[str]) -> str:
    """SHA-256 over the path and content hash of every file that ``modules`` own."""
    sha = hashlib.sha256()
    for relative, content in sorted(e for m in modules for e in package.files.get(m, ())):
        sha.update(f"{relative}\0{content}\0".encode())
    return sha.hexdigest()
