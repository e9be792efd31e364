"""The opt_savings page's solvers: ``python -m jaxecon bench opt_savings``.

VFI in NumPy, Numba and JAX, then HPI and OPI over m in JAX. Every solver starts from
v = 0 and runs in float64 with the same tolerance, so their iteration counts and values
agree and the records show it.
"""

from __future__ import annotations

import numpy as np

from jaxecon import solvers
from jaxecon.backends.savings import vfi_numba, vfi_numpy, vfi_numpy_naive
from jaxecon.bench import Benchmark
from jaxecon.checks import check_integer, check_positive
from jaxecon.devices import cpu_label, jax_device_label
from jaxecon.results import Record, format_records
from jaxecon.savings import create_savings_model
from jaxecon.savings_stored import store_utility
from jaxecon.timing import MIN_REPEATS, measure

__all__ = ["BENCHMARK", "bench_savings", "format_savings_table"]


_PACKAGES = {"numpy": ("numpy",), "numpy-naive": ("numpy",), "numba": ("numpy", "numba"),
             "jax": ("jax", "jaxlib", "numpy")}


def _runs(stored, tol, ms, naive):
    """(method, backend, m, solve) for every solve of the benchmark, in table order.

    Every solve but the naive draft reads a stored u: NumPy and Numba compute their own
    from ``stored.model`` before the loop, JAX reads ``stored.u``.
    """
    model = stored.model
    runs = [("vfi", "numpy", None, lambda: vfi_numpy(model, tol=tol))]
    if naive:
        runs.append(("vfi", "numpy-naive", None, lambda: vfi_numpy_naive(model, tol=tol)))
    runs += [("vfi", "numba", None, lambda: vfi_numba(model, tol=tol)),
             ("vfi", "jax", None, lambda: solvers.vfi(stored, tol=tol)),
             ("hpi", "jax", None, lambda: solvers.hpi(stored, tol=tol))]
    return runs + [("opi", "jax", m, lambda m=m: solvers.opi(stored, m=m, tol=tol)) for m in ms]


def bench_savings(*, w_size: int = 150, y_size: int = 100, tol: float = solvers.TOL,
                  repeats: int = MIN_REPEATS, ms: tuple[int, ...] = (1, 10, 20, 50, 100, 200),
                  naive: bool = False) -> list[Record]:
    """Time VFI in NumPy, Numba and JAX, then HPI and OPI(m) in JAX, on one model.

    All solvers start from v = 0 and run in float64 with the same ``tol``; the NumPy
    and Numba VFIs take as many iterations as JAX's, and the records show it.

    Args:
        w_size: wealth grid points, at least 2.
        y_size: income states, at least 2.
        tol: tolerance of every solver, positive.
        repeats: timed repeats after a first (compiling) call, at least 1; pages that
            compare the records use at least :data:`~jaxecon.timing.MIN_REPEATS`.
        ms: the values of m for OPI, each an integer ≥ 1.
        naive: also time the NumPy VFI that recomputes the utility array every step.

    Returns:
        One :class:`~jaxecon.results.Record` per solve, times per solve.

    Raises:
        ValueError: for bad sizes, ``tol``, ``repeats`` or ``ms``.
    """
    # u stored, as NumPy and Numba store it, so that every backend does the same work
    stored = store_utility(create_savings_model(w_size=w_size, y_size=y_size))
    check_positive("tol", tol)
    ms = tuple(check_integer("ms", m) for m in ms)
    reference = np.asarray(solvers.vfi(stored, tol=tol).v)
    records = []
    for method, backend, m, solve in _runs(stored, tol, ms, naive):
        device = jax_device_label() if backend == "jax" else cpu_label()
        timing, sol = measure(solve, name=f"{method} {backend}", size=w_size * y_size,
                              repeats=repeats, device=device, packages=_PACKAGES[backend])
        gap = float(np.max(np.abs(np.asarray(sol.v) - reference)))
        records.append(Record(timing, {
            "method": method, "backend": backend, "m": m, "num_iter": int(sol.num_iter),
            "value_gap": gap, "w_size": w_size, "y_size": y_size, "tol": tol}))
    return records


def format_savings_table(records: list[Record]) -> str:
    """A plain-text table: method, backend, m, iterations, seconds, ÷ JAX VFI, value gap.

    The ratio column divides minima (the site's one statistic); the median and the
    slowest repeat stand beside the minimum.
    """
    base = next((r.seconds_min for r in records if (r.method, r.backend) == ("vfi", "jax")),
                None)
    return format_records(records, [
        ("method", "<7", lambda r: r.method), ("backend", "<12", lambda r: r.backend),
        ("m", ">4", lambda r: r.m or ""), ("iter", ">6", lambda r: r.num_iter),
        ("s min", ">8.3f", lambda r: r.seconds_min),
        ("s med", ">8.3f", lambda r: r.seconds_median),
        ("s max", ">8.3f", lambda r: r.seconds_max),
        ("÷ VFI", ">7.2f", lambda r: r.seconds_min / base if base else None),
        ("compile", ">9.3f", lambda r: r.compile_seconds),
        ("|v − v_VFI|", ">12.1e", lambda r: r.value_gap)])


def _arguments(parser) -> None:
    parser.add_argument("--w-size", type=int, default=150, help="wealth grid points (150)")
    parser.add_argument("--y-size", type=int, default=100, help="income states (100)")
    parser.add_argument("--tol", type=float, default=solvers.TOL,
                        help=f"tolerance ({solvers.TOL:g})")
    parser.add_argument("--m", default="1,10,20,50,100,200",
                        help="comma-separated values of m for OPI")
    parser.add_argument("--naive", action="store_true",
                        help="also time the NumPy VFI that recomputes the utility array")


def _run(args) -> tuple[str, list[Record]]:
    ms = tuple(int(m) for m in args.m.split(",") if m)
    records = bench_savings(w_size=args.w_size, y_size=args.y_size, tol=args.tol,
                            repeats=args.repeats, ms=ms, naive=args.naive)
    return (f"Optimal savings, {args.w_size} × {args.y_size} states, float64, tol "
            f"{args.tol:g}, JAX on {jax_device_label()}, NumPy and Numba on {cpu_label()}",
            records)


#: ``python -m jaxecon bench opt_savings``: the solver tables of the opt_savings page.
BENCHMARK = Benchmark("optimal savings: VFI in NumPy, Numba and JAX; HPI; OPI over m",
                      _arguments, _run, format_savings_table)
