"""The same models written in other languages and libraries, for comparison.

``solow`` runs the Solow loop in pure Python, NumPy, Numba, JAX, C, Fortran, Julia and
GNU Octave (``native`` compiles and loads the C and Fortran sources kept in
``native/``); ``savings`` solves the optimal savings model by value function iteration
in NumPy and Numba. The JAX reference implementations live in the package's top-level
modules; the benchmarks in :mod:`jaxecon.bench` time one against the other.
"""

import importlib
import importlib.util


def __getattr__(name: str):
    """``jaxecon.backends.solow`` after ``import jaxecon``: submodules load on first use."""
    if importlib.util.find_spec(f"{__name__}.{name}") is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return importlib.import_module(f"{__name__}.{name}")
