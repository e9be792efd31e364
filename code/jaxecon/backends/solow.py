"""The Solow loop k_{t+1} = A s k_t^α + (1 − δ) k_t in every language of the first lecture.

Each entry point ``solow_<backend>(model, *, k0, steps)`` returns k_steps from k_0 in
float64, validating its inputs first. The loop over time is a dependent chain (each step
needs the last), so no backend can vectorise it; the ``*_many`` variants instead run
many independent initial conditions at once, which is where vectorisation pays. C and
Fortran are compiled from ``native/`` and called through ctypes (see ``native``); Julia
and GNU Octave run ``native/solow.jl`` and ``native/solow.m`` in a subprocess that times
itself, and are reported as unavailable where not installed; ``native/solow_many.m``
runs MATLAB's vectorization trick, many initial conditions at once, in Octave.
"""

from __future__ import annotations

import ctypes
import functools
import shutil
import subprocess
import tempfile
from functools import partial
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from jaxecon.backends.native import NATIVE_DIR, load_library
from jaxecon.checks import check_choice, check_integer
from jaxecon.solow import SolowModel, check_inputs

__all__ = [
    "solow_python", "solow_numpy", "solow_numba", "solow_jax", "solow_c", "solow_fortran",
    "solow_numpy_many", "solow_jax_many", "solow_octave_many", "run_external", "EXTERNAL",
]

C_FLAGS = ("-O2",)
_ARGTYPES = [ctypes.c_double] * 5 + [ctypes.c_long]


def solow_python(model: SolowModel, *, k0: float, steps: int) -> float:
    """Pure Python: one interpreted iteration per step."""
    check_inputs(model, k0, steps)
    s, α, δ, a = model.s, model.alpha, model.delta, model.a
    k = float(k0)
    for _ in range(steps):
        k = a * s * k**α + (1 - δ) * k
    return k


def solow_numpy(model: SolowModel, *, k0: float, steps: int) -> float:
    """The same loop on NumPy float64 scalars: NumPy cannot speed up a sequential loop."""
    check_inputs(model, k0, steps)
    s, α, δ, a = (np.float64(v) for v in (model.s, model.alpha, model.delta, model.a))
    k = np.float64(k0)
    for _ in range(steps):
        k = a * s * k**α + (1 - δ) * k
    return float(k)


def solow_numpy_many(model: SolowModel, *, k0, steps: int) -> np.ndarray:
    """All initial conditions in ``k0`` at once: one array operation per step."""
    check_inputs(model, k0, steps)
    k = np.array(k0, dtype=np.float64)
    for _ in range(steps):
        k = model.a * model.s * k**model.alpha + (1 - model.delta) * k
    return k


@functools.cache
def _numba_loop():
    from numba import njit  # imported on first use: it costs a page that never calls it

    @njit
    def loop(k, s, α, δ, a, n):
        for _ in range(n):
            k = a * s * k**α + (1 - δ) * k
        return k

    return loop


def solow_numba(model: SolowModel, *, k0: float, steps: int) -> float:
    """Numba: the Python loop compiled by LLVM on its first call."""
    check_inputs(model, k0, steps)
    return _numba_loop()(float(k0), model.s, model.alpha, model.delta, model.a, steps)


@partial(jax.jit, static_argnames="steps")
def _jax_loop(k0, model: SolowModel, steps: int):
    def step(_, k):
        return model.a * model.s * k**model.alpha + (1 - model.delta) * k

    return jax.lax.fori_loop(0, steps, step, k0)


def _require_x64() -> None:
    if not jax.config.jax_enable_x64:
        raise RuntimeError(
            "the Solow backends compare float64 results; enable it first with "
            'jax.config.update("jax_enable_x64", True)'
        )


def solow_jax(model: SolowModel, *, k0: float, steps: int) -> float:
    """JAX: the loop as ``lax.fori_loop``, compiled by XLA on the first call."""
    check_inputs(model, k0, steps)
    _require_x64()
    return float(_jax_loop(jnp.float64(k0), model, steps))


def solow_jax_many(model: SolowModel, *, k0, steps: int) -> jax.Array:
    """JAX across initial conditions: ``vmap`` of the ``fori_loop`` over ``k0``."""
    check_inputs(model, k0, steps)
    _require_x64()
    return jax.vmap(_jax_loop, in_axes=(0, None, None))(jnp.asarray(k0, jnp.float64), model, steps)


def _native(source: str, compiler: str, symbol: str, model, k0, steps) -> float:
    check_inputs(model, k0, steps)
    function = getattr(load_library(source, compiler=compiler, flags=C_FLAGS), symbol)
    function.argtypes, function.restype = _ARGTYPES, ctypes.c_double
    return function(float(k0), model.s, model.alpha, model.delta, model.a, steps)


def solow_c(model: SolowModel, *, k0: float, steps: int) -> float:
    """C (``native/solow.c``) compiled by ``gcc -O2`` and called through ctypes."""
    return _native("solow.c", "gcc", "solow", model, k0, steps)


def solow_fortran(model: SolowModel, *, k0: float, steps: int) -> float:
    """Fortran (``native/solow_lib.f90``) compiled by ``gfortran -O2``, called via ctypes."""
    return _native("solow_lib.f90", "gfortran", "solow_fortran", model, k0, steps)


#: Interpreters run as subprocesses: name -> (executable, command-line builder).
EXTERNAL = {
    "julia": ("julia", lambda args: ["julia", "--startup-file=no", str(NATIVE_DIR / "solow.jl"),
                                     *args]),
    "octave": ("octave", lambda args: [
        "octave", "--no-gui", "--quiet", "--norc", "--eval",
        "k0={};s={};alpha={};delta={};a={};n={};repeats={};".format(*args)
        + f"source('{NATIVE_DIR / 'solow.m'}')",
    ]),
}


def run_external(name: str, model: SolowModel, *, k0: float, steps: int, repeats: int):
    """Run the Julia or Octave program, which times itself in-process.

    Returns:
        ``(result, compile_seconds, seconds_min, seconds_median)`` as the program printed.

    Raises:
        ValueError: if ``name`` is not one of :data:`EXTERNAL`.
        FileNotFoundError: if the interpreter is not installed.
    """
    check_choice("name", name, EXTERNAL)
    check_inputs(model, k0, steps)
    executable, command = EXTERNAL[name]
    if shutil.which(executable) is None:
        raise FileNotFoundError(f"{executable} is not installed (not on PATH).")
    args = [repr(float(v)) for v in (k0, model.s, model.alpha, model.delta, model.a)]
    out = subprocess.run(command([*args, str(steps), str(repeats)]), capture_output=True,
                         text=True, check=True, timeout=3600)
    result, compile_s, best, median = map(float, out.stdout.split()[-4:])
    return result, compile_s, best, median


def solow_octave_many(model: SolowModel, *, k0, steps: int, repeats: int = 3):
    """MATLAB's trick run in GNU Octave: ``native/solow_many.m``, all of ``k0`` at once.

        k_{t+1} = A s k_t^α + (1 − δ) k_t,  one array operation per t over every path

    Returns:
        ``(k_final, seconds_min, seconds_median)``: the final capital of every path, and
        the fastest and median of ``repeats`` runs timed inside Octave (start-up excluded).

    Raises:
        FileNotFoundError: if Octave is not installed.
        ValueError: for bad ``k0``, ``steps`` or ``repeats``.

    Example:
        >>> import shutil
        >>> from jaxecon.solow import create_solow_model
        >>> if shutil.which("octave"):
        ...     k, _, _ = solow_octave_many(create_solow_model(), k0=[1.0, 2.0], steps=1,
        ...                                 repeats=1)
        ...     assert np.allclose(k, solow_numpy_many(create_solow_model(), k0=[1.0, 2.0],
        ...                                            steps=1))
    """
    check_inputs(model, k0, steps)
    check_integer("repeats", repeats, minimum=1)
    if shutil.which("octave") is None:
        raise FileNotFoundError("octave is not installed (not on PATH).")
    k0 = np.atleast_1d(np.asarray(k0, dtype=np.float64))
    with tempfile.TemporaryDirectory() as folder:
        kfile = Path(folder, "k0.txt")
        np.savetxt(kfile, k0, fmt="%.17g")
        values = [repr(float(v)) for v in (model.s, model.alpha, model.delta, model.a)]
        setup = "kfile='{}';s={};alpha={};delta={};a={};n={};repeats={};".format(
            kfile, *values, steps, repeats)
        out = subprocess.run(["octave", "--no-gui", "--quiet", "--norc", "--eval",
                              setup + f"source('{NATIVE_DIR / 'solow_many.m'}')"],
                             capture_output=True, text=True, check=True, timeout=3600)
    lines = out.stdout.split("\n")
    best, median = map(float, lines[0].split())
    return np.array([float(line) for line in lines[1:] if line.strip()]), best, median
