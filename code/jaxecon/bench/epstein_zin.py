"""Epstein–Zin lifetime utility, successive approximation vs Newton: ``bench ez`` (Lecture 8).
"""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp

from jaxecon.bench import Benchmark
from jaxecon.checks import check_positive
from jaxecon.recursive_utility import (
    create_epstein_zin_model,
    lifetime_utility_newton,
    lifetime_utility_successive,
)
from jaxecon.timing import jax_device_label, measure

__all__ = ["EpsteinZinRecord", "bench_epstein_zin", "format_epstein_zin_table"]


class EpsteinZinRecord(NamedTuple):
    """One timed solve of v = K v; ``_asdict()`` is the JSON the CLI prints."""

    method: str  # 'successive' or 'newton'
    seconds_min: float  # fastest repeat, seconds per solve
    seconds_median: float  # median repeat, seconds per solve
    compile_seconds: float  # first-call overhead (JIT compilation)
    num_iter: int  # iterations to convergence
    error: float  # last step ‖v_{k+1} − v_k‖_∞
    value_gap: float  # sup |v − v_Newton|
    n: int  # states of the chain
    tol: float  # tolerance of the stopping rule
    device: str  # hardware that ran the solve
    versions: dict[str, str]  # library versions


def bench_epstein_zin(*, n: int = 1000, tol: float = 1e-5,
                      repeats: int = 3) -> list[EpsteinZinRecord]:
    """Time successive approximation and Newton's method on the same model and ``tol``.

    Args:
        n: states of the Tauchen chain, at least 2 (the other parameters are defaults).
        tol: tolerance on the step of both methods, positive.
        repeats: timed repeats after a first (compiling) call, at least 1.

    Returns:
        Two :class:`EpsteinZinRecord`, Newton's first.

    Raises:
        ValueError: for a bad ``n``, ``tol`` or ``repeats``.
    """
    model = create_epstein_zin_model(n=n)
    check_positive("tol", tol)
    records, reference = [], None
    for method, solve in (("newton", lifetime_utility_newton),
                          ("successive", lifetime_utility_successive)):
        timing, out = measure(lambda solve=solve: solve(model, tol=tol), name=method, size=n,
                              repeats=repeats, device=jax_device_label())
        reference = out.x if reference is None else reference
        records.append(EpsteinZinRecord(
            method, timing.seconds_min, timing.seconds_median, timing.compile_seconds,
            out.num_iter, out.error, float(jnp.max(jnp.abs(out.x - reference))), n, tol,
            timing.device, timing.versions))
    return records


def format_epstein_zin_table(records: list[EpsteinZinRecord]) -> str:
    """A plain-text table: method, iterations, seconds, × Newton, gap to Newton."""
    base = records[0].seconds_median
    lines = [f"{'method':<12}{'iter':>7}{'s min':>9}{'s median':>10}{'÷ Newton':>10}"
             f"{'compile s':>11}{'|v − v_N|':>11}"]
    for r in records:
        lines.append(f"{r.method:<12}{r.num_iter:>7}{r.seconds_min:>9.3f}"
                     f"{r.seconds_median:>10.3f}{r.seconds_median / base:>10.2f}"
                     f"{r.compile_seconds:>11.3f}{r.value_gap:>11.1e}")
    return "\n".join(lines)


def _arguments(parser) -> None:
    parser.add_argument("--n", type=int, default=1000, help="states of the chain (1000)")
    parser.add_argument("--tol", type=float, default=1e-5, help="tolerance (1e-5)")


def _run(args) -> tuple[str, list[EpsteinZinRecord]]:
    records = bench_epstein_zin(n=args.n, tol=args.tol, repeats=args.repeats)
    return (f"Epstein–Zin lifetime utility, n = {args.n}, float64, tol {args.tol:g}, on "
            f"{jax_device_label()}", records)


#: ``python -m jaxecon bench ez``: the table of the Epstein–Zin lecture.
EPSTEIN_ZIN = Benchmark("Epstein–Zin utility: successive approximation vs Newton (Lecture 8)",
                        _arguments, _run, format_epstein_zin_table)
