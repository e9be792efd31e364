"""One savings solve on a grid whose stored utility would not fit in this machine's memory.

``python -m jaxecon bench opt_savings.big`` builds the savings model, whose operator
computes u(c) inside each fused step (memory O(w_size · y_size)), on a grid whose stored
u(w, y, w') would take w_size² · y_size · 8 bytes, more than the machine's memory, and
solves it once by HPI or OPI. Its record, like every benchmark's, carries the time,
iterations and peak memory (XLA's memory analysis of the compiled solve and the
process's peak resident set); ``--save results`` adds the provenance and stores it.
"""

from __future__ import annotations

import os
import resource
import time
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from jaxecon import solvers
from jaxecon.bench import Benchmark
from jaxecon.checks import check_integer, check_positive
from jaxecon.crra import stored_utility_bytes
from jaxecon.devices import jax_device_label
from jaxecon.machine import describe_machine, package_versions
from jaxecon.results import Record
from jaxecon.savings import consumption, create_savings_model
from jaxecon.timing import Timing, peak_bytes

__all__ = ["BENCHMARK", "big_computed_solve"]


def big_computed_solve(*, w_size: int = 12_000, y_size: int = 100, method: str = "hpi",
                     m: int = 50, tol: float = solvers.TOL, max_iter: int = 1_000,
                     gamma: float = 2.0) -> Record:
    """Solve the savings model on a w_size × y_size grid with u computed in the step, once.

    Args:
        w_size: wealth grid points, at least 2.
        y_size: income states, at least 2.
        method: ``"hpi"`` or ``"opi"``.
        m: OPI's applications of T_σ per iteration (ignored by HPI), ≥ 1.
        tol: tolerance of the stopping rule, positive.
        max_iter: the most iterations, ≥ 1.
        gamma: relative risk aversion γ.

    Returns:
        A :class:`~jaxecon.results.Record` of the one run (min = median = max; compilation
        timed apart), with the facts ``method``, ``m`` (None for HPI), ``w_size``,
        ``y_size``, ``states``, ``gamma``, ``tol``, ``stored_u_bytes`` (what u(w, y, w')
        would take), ``machine_memory_bytes``, ``cpu_seconds`` (the solve's processor
        time, all threads, which a shared machine cannot inflate as it inflates the wall
        clock), ``load_average`` (1-minute, when the solve ended), ``num_iter``,
        ``error`` (the last ‖T v − v‖_∞), ``xla_peak_bytes``, ``max_rss_bytes`` (the
        process's peak resident memory) and ``min_consumption`` (> 0 at the policy).

    Raises:
        ValueError: for an unknown method or bad sizes.
        RuntimeError: if the solve does not converge.
    """
    if method not in ("hpi", "opi"):
        raise ValueError(f"`method` must be 'hpi' or 'opi'; got {method!r}.")
    check_positive("tol", tol)
    check_integer("m", m)
    max_iter = check_integer("max_iter", max_iter)
    model = create_savings_model(w_size=w_size, y_size=y_size, gamma=gamma)
    solve = (partial(solvers.hpi_core, tol=tol, max_iter=max_iter) if method == "hpi" else
             partial(solvers.opi_core, tol=tol, m=m, max_iter=max_iter))
    v0 = jnp.zeros((w_size, y_size))
    start = time.perf_counter()
    compiled = jax.jit(solve).lower(model, v0).compile()
    compile_seconds = time.perf_counter() - start
    start, cpu_start = time.perf_counter(), time.process_time()
    solution = jax.block_until_ready(compiled(model, v0))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    if not bool(solution.converged):
        raise RuntimeError(f"{method} did not converge in max_iter={max_iter} iterations "
                           f"(last error {float(solution.error):.1e} > tol={tol})")
    timing = Timing(f"{method} computed", seconds, seconds, seconds, compile_seconds, 1, 1,
                    w_size * y_size, "float64", jax_device_label(),
                    package_versions(("jax", "jaxlib", "numpy")))
    return Record(timing, {
        "method": method, "m": None if method == "hpi" else m, "w_size": w_size,
        "y_size": y_size, "states": w_size * y_size, "gamma": gamma, "tol": tol,
        "stored_u_bytes": stored_utility_bytes(w_size, y_size),
        "machine_memory_bytes": int(describe_machine().memory_gib * 1024**3),
        "cpu_seconds": cpu_seconds, "load_average": os.getloadavg()[0],
        "num_iter": int(solution.num_iter), "error": float(solution.error),
        "xla_peak_bytes": peak_bytes(compiled),
        "max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "min_consumption": float(np.min(np.asarray(consumption(solution.sigma, model))))})


def format_big_solve(records: list[Record]) -> str:
    """The record, one field a line: timing, then facts."""
    (r,) = records
    return "\n".join(f"{k:>22}: {v}" for k, v in r.row().items() if k != "versions")


def _arguments(parser) -> None:
    parser.add_argument("--w-size", type=int, default=12_000, help="wealth grid points")
    parser.add_argument("--y-size", type=int, default=100, help="income states (100)")
    parser.add_argument("--method", choices=("hpi", "opi"), default="hpi", help="the solver")
    parser.add_argument("--m", type=int, default=50, help="OPI's m (50)")
    parser.add_argument("--gamma", type=float, default=2.0, help="risk aversion γ (2)")


def _run(args) -> tuple[str, list[Record]]:
    record = big_computed_solve(w_size=args.w_size, y_size=args.y_size, method=args.method,
                                m=args.m, gamma=args.gamma)
    return (f"One {args.method} solve of the savings model, u computed in the step, "
            f"{args.w_size} × {args.y_size} states, float64, on {record.device}"), [record]


#: ``python -m jaxecon bench opt_savings.big``: the solve too large to store u.
BENCHMARK = Benchmark("one savings solve on a grid whose stored u would exceed this "
                      "machine's memory", _arguments, _run, format_big_solve)
