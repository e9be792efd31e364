"""The same models written in other languages and libraries, for comparison.

``solow`` runs the Solow loop in pure Python, NumPy, Numba, JAX, C, Fortran, Julia and
GNU Octave (``native`` compiles and loads the C and Fortran sources kept in
``native/``); ``savings`` solves the optimal savings model by value function iteration
in NumPy and Numba. The JAX reference implementations live in the package's top-level
modules; the benchmarks in :mod:`jaxecon.bench` time one against the other.
"""

from jaxecon import _submodules_on_first_use

# jaxecon.backends.NAME after import jaxecon: submodules load on first use.
__getattr__ = _submodules_on_first_use(__name__)
