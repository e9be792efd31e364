"""Reference implementations for the lectures of "JAX for computational economics".

Every model a lecture runs, and every solver and benchmark it times, lives here and is
tested in ``tests/``; the pages import it rather than defining models inline. Models and
the dynamic-programming layer are the top-level modules; other languages and libraries
are in :mod:`jaxecon.backends`, the benchmarks in :mod:`jaxecon.bench`.

The public names, listed with their modules in ``__init__.pyi`` (which editors and type
checkers read), are loaded on first use: ``import jaxecon`` imports no submodule, so a
page (and the build's execution cache) depends only on the modules it touches.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

__version__ = "0.1.0"


def _read_stub() -> dict[str, str]:
    """Public name -> the module that provides it, read from ``__init__.pyi``."""
    tree = ast.parse(Path(__file__).with_name("__init__.pyi").read_text())
    return {alias.asname or alias.name: node.module for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module != "__future__"
            for alias in node.names}


_MODULE_OF = _read_stub()
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    """Import the submodule that provides ``name`` (or is ``name``) on first use."""
    if name in _MODULE_OF:
        value = getattr(importlib.import_module(_MODULE_OF[name]), name)
    elif importlib.util.find_spec(f"jaxecon.{name}") is not None:
        value = importlib.import_module(f"jaxecon.{name}")
    else:
        raise AttributeError(f"module 'jaxecon' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
