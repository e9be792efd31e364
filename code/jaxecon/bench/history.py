"""The Solow loop in every backend: ``python -m jaxecon bench history`` (the history page).

One record per backend, same model, same steps, float64, timed per step. A backend whose
toolchain is missing is recorded without a timing and with the reason; it never stops
the others.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
from typing import Any

import jax
import numpy as np

from jaxecon.backends import solow as sb
from jaxecon.backends.native import compiler_version
from jaxecon.bench import Benchmark
from jaxecon.checks import check_choice, check_integer
from jaxecon.devices import cpu_label, jax_device_label
from jaxecon.results import Record
from jaxecon.solow import SolowModel, create_solow_model
from jaxecon.timing import MIN_REPEATS, Timing, measure

__all__ = ["BENCHMARK", "SOLOW_BACKENDS", "bench_solow", "format_table"]


#: name -> (label, entry point); None marks an interpreter run by `run_external`.
SOLOW_BACKENDS: dict[str, tuple[str, Any]] = {
    "python": ("Pure Python", sb.solow_python),
    "numpy": ("NumPy (scalar loop)", sb.solow_numpy),
    "numba": ("Numba", sb.solow_numba),
    "jax": ("JAX (lax.fori_loop)", sb.solow_jax),
    "c": ("C (gcc -O2)", sb.solow_c),
    "fortran": ("Fortran (gfortran -O2)", sb.solow_fortran),
    "julia": ("Julia", None),
    "octave": ("GNU Octave", None),
}


def _versions(backend: str) -> dict[str, str]:
    if backend in ("c", "fortran"):
        compiler = "gcc" if backend == "c" else "gfortran"
        return {compiler: compiler_version(compiler)}
    if backend in sb.EXTERNAL:
        out = subprocess.run([backend, "--version"], capture_output=True, text=True)
        return {backend: (out.stdout.splitlines() or ["unknown"])[0]}
    versions = {"python": platform.python_version()}
    if backend in ("numpy", "numba", "jax"):
        versions["numpy"] = np.__version__
    if backend == "numba":
        import numba

        versions["numba"] = numba.__version__
    if backend == "jax":
        versions["jax"] = jax.__version__
    return versions


def _unavailable(backend: str, steps: int, reason: str) -> Record:
    return Record(None, {"backend": backend, "result": None, "steps": steps, "unit": "step",
                         "device": cpu_label(), "note": reason})


def _bench_one(backend: str, model: SolowModel, k0: float, steps: int, repeats: int):
    label, entry = SOLOW_BACKENDS[backend]
    device = jax_device_label() if backend == "jax" else cpu_label()
    if entry is None:
        result, compile_s, best, median = sb.run_external(
            backend, model, k0=k0, steps=steps, repeats=repeats)
        timing = Timing(label, best, median, None, compile_s, repeats, 1, steps, "float64",
                        device, _versions(backend))  # the interpreter reports no maximum
        note = "timed inside the interpreter; process start-up excluded"
    else:
        timing, result = measure(lambda: entry(model, k0=k0, steps=steps), name=label,
                                 size=steps, repeats=repeats, device=device)
        timing = timing._replace(versions=_versions(backend))
        note = "called in-process" + (" through ctypes" if backend in ("c", "fortran") else "")
    return Record(timing.scaled(steps), {"backend": backend, "result": float(result),
                                         "steps": steps, "unit": "step", "note": note})


def bench_solow(
    *, steps: int = 10**7, repeats: int = MIN_REPEATS, k0: float = 0.2,
    model: SolowModel | None = None, backends: tuple[str, ...] | None = None,
) -> list[Record]:
    """Time the Solow loop in every backend, same model, same steps, float64, per step.

    Args:
        steps: time steps per run (the loop length), at least 1.
        repeats: timed repeats per backend after a first (compiling) call, at least 1.
        k0: initial capital k_0, positive.
        model: the parameters; the talk's s = 0.3, α = 0.4, δ = 0.1, A = 1 by default.
        backends: names from :data:`SOLOW_BACKENDS`; all of them by default.

    Returns:
        One :class:`~jaxecon.results.Record` per backend, in the order of ``backends``; its
        times are seconds per step (``unit`` 'step').

    Raises:
        ValueError: for an unknown backend or bad ``steps``, ``repeats``, ``k0``.
    """
    model = model or create_solow_model()
    chosen = tuple(SOLOW_BACKENDS) if backends is None else tuple(backends)
    for backend in chosen:
        check_choice("backends", backend, SOLOW_BACKENDS)  # each drawn from them
    steps, repeats = check_integer("steps", steps), check_integer("repeats", repeats)
    sb.check_inputs(model, k0, steps)
    records = []
    for backend in chosen:
        tool = {"c": "gcc", "fortran": "gfortran"}.get(backend, backend)
        if backend in sb.EXTERNAL or backend in ("c", "fortran"):
            if shutil.which(tool) is None:
                records.append(_unavailable(backend, steps, f"{tool} is not installed"))
                continue
        records.append(_bench_one(backend, model, k0, steps, repeats))
    return records


def format_table(records: list[Record]) -> str:
    """A plain-text table of the records, fastest minimum first; unavailable ones last.

    "× fastest" divides minima (the site's one statistic); the median stands beside.
    """
    rows = sorted(records, key=lambda r: (not r.available, r.seconds_min or 0.0))
    fastest = min((r.seconds_min for r in rows if r.available), default=None)
    lines = [f"{'backend':<24}{'ns/step min':>12}{'ns/step med':>12}{'× fastest':>10}"
             f"{'compile s':>11}  result"]
    for r in rows:
        label = SOLOW_BACKENDS[r.backend][0]
        if not r.available:
            lines.append(f"{label:<24}{'not available: ' + r.note:>45}")
            continue
        lines.append(
            f"{label:<24}{r.seconds_min * 1e9:>12.2f}"
            f"{r.seconds_median * 1e9:>12.2f}"
            f"{r.seconds_min / fastest:>10.2f}"
            f"{r.compile_seconds:>11.3f}  {r.result:.12f}")
    return "\n".join(lines)


def _solow_arguments(parser) -> None:
    parser.add_argument("--steps", type=lambda t: int(float(t)), default=10**7,
                        help="time steps per run (default 1e7)")


def _solow_run(args) -> tuple[str, list[Record]]:
    records = bench_solow(steps=args.steps, repeats=args.repeats)
    return f"Solow model, {args.steps:,} steps, float64, on {cpu_label()}", records


#: ``python -m jaxecon bench history``: the table of the history page.
BENCHMARK = Benchmark("the Solow loop in every backend", _solow_arguments,
                      _solow_run, format_table)
