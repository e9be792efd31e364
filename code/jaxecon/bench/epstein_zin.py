"""Epstein–Zin lifetime utility, successive approximation vs Newton: ``bench epstein_zin``.

Like for like: both methods are timed to the same sup-norm distance ``accuracy`` from the
fixed point, measured against a tight reference (Newton at tol 1e-12). Newton stops when
its step is within ``accuracy`` (its error then is far smaller, since it converges
quadratically); successive approximation stops when its distance to the reference is
within ``accuracy``. The cost model counts Newton's Jacobian and linear solve.
"""

from __future__ import annotations

import jax.numpy as jnp

from jaxecon.bench import Benchmark
from jaxecon.checks import check_positive
from jaxecon.devices import jax_device_label
from jaxecon.epstein_zin import (
    create_epstein_zin_model,
    lifetime_utility_newton,
    lifetime_utility_within,
    newton_step_products,
)
from jaxecon.results import Record, format_records
from jaxecon.timing import MIN_REPEATS, measure

__all__ = ["BENCHMARK", "bench_epstein_zin", "format_epstein_zin_table"]

#: Newton's tolerance for the reference fixed point both methods are measured against.
REFERENCE_TOL = 1e-12


def bench_epstein_zin(*, n: int = 1000, accuracy: float = 1e-8,
                      repeats: int = MIN_REPEATS) -> list[Record]:
    """Time Newton and successive approximation to the same distance from the fixed point.

    Args:
        n: states of the Tauchen chain, at least 2 (the other parameters are defaults).
        accuracy: the sup-norm distance to the fixed point both must reach, positive.
        repeats: timed repeats after a first (compiling) call, at least 1.

    Returns:
        Two :class:`~jaxecon.results.Record`, Newton's first, times per solve. Facts:
        ``method``, ``num_iter``, ``products`` (cost in applications of K),
        ``distance`` (sup |v − v_ref|), ``accuracy`` and ``n``.

    Raises:
        ValueError: for a bad ``n``, ``accuracy`` or ``repeats``.
    """
    model = create_epstein_zin_model(n=n)
    check_positive("accuracy", accuracy)
    reference = lifetime_utility_newton(model, tol=REFERENCE_TOL).x
    solves = (("newton", lambda: lifetime_utility_newton(model, tol=accuracy),
               newton_step_products(n)),
              ("successive", lambda: lifetime_utility_within(model, reference,
                                                             accuracy=accuracy), 1.0))
    records = []
    for method, solve, per_step in solves:
        timing, out = measure(solve, name=method, size=n, repeats=repeats,
                              device=jax_device_label())
        records.append(Record(timing, {
            "method": method, "num_iter": int(out.num_iter),
            "products": float(out.num_iter * per_step),
            "distance": float(jnp.max(jnp.abs(out.x - reference))), "accuracy": accuracy,
            "n": n}))
    return records


def format_epstein_zin_table(records: list[Record]) -> str:
    """A plain-text table: iterations, cost in products, seconds, ÷ Newton (of minima)."""
    base, work = records[0].seconds_min, records[0].products
    return format_records(records, [
        ("method", "<12", lambda r: r.method), ("iter", ">7", lambda r: r.num_iter),
        ("products", ">10.0f", lambda r: r.products),
        ("÷ N", ">7.2f", lambda r: r.products / work),
        ("s min", ">9.3f", lambda r: r.seconds_min),
        ("s med", ">9.3f", lambda r: r.seconds_median),
        ("s max", ">9.3f", lambda r: r.seconds_max),
        ("÷ Newton", ">10.2f", lambda r: r.seconds_min / base),
        ("compile s", ">11.3f", lambda r: r.compile_seconds),
        ("|v − v*|", ">10.1e", lambda r: r.distance)])


def _arguments(parser) -> None:
    parser.add_argument("--n", type=int, default=1000, help="states of the chain (1000)")
    parser.add_argument("--accuracy", type=float, default=1e-8,
                        help="distance to the fixed point both methods reach (1e-8)")


def _run(args) -> tuple[str, list[Record]]:
    records = bench_epstein_zin(n=args.n, accuracy=args.accuracy, repeats=args.repeats)
    return (f"Epstein–Zin lifetime utility, n = {args.n}, float64, both within "
            f"{args.accuracy:g} of the fixed point, on {jax_device_label()}", records)


#: ``python -m jaxecon bench epstein_zin``: the table of the epstein_zin page.
BENCHMARK = Benchmark("Epstein–Zin utility: successive approximation vs Newton at equal "
                        "accuracy", _arguments, _run, format_epstein_zin_table)
