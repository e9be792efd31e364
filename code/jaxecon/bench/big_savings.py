"""One savings solve on a grid whose stored utility would not fit in this machine's memory.

``python -m jaxecon bench scaling --big`` builds the savings model, whose
operator computes u(c) inside each fused step (memory O(w_size · y_size)), on a grid
whose stored u(w, y, w') would take w_size² · y_size · 8 bytes, more than the machine's
memory, solves it once by HPI or OPI, and writes a JSON record with its time,
iterations, peak memory (XLA's memory analysis of the compiled solve and the process's
peak resident set) and provenance (device, versions, git commit, date) to ``results/``.
"""

from __future__ import annotations

import datetime
import json
import os
import resource
import time
from functools import partial
from pathlib import Path
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jaxecon import solvers
from jaxecon.checks import check_integer, check_positive
from jaxecon.crra import stored_utility_bytes
from jaxecon.machine import describe_machine, package_versions
from jaxecon.results import code_commit
from jaxecon.savings import consumption, create_savings_model
from jaxecon.timing import jax_device_label, peak_bytes

__all__ = ["BigSolveRecord", "big_computed_solve", "write_big_record"]


class BigSolveRecord(NamedTuple):
    """One large solve, u computed in the step; ``_asdict()`` is the JSON for ``results/``."""

    method: str  # 'hpi' or 'opi'
    m: int | None  # OPI's applications of T_σ per iteration; None for HPI
    w_size: int  # wealth grid points
    y_size: int  # income states
    states: int  # w_size · y_size
    gamma: float  # γ, relative risk aversion
    tol: float  # tolerance of the stopping rule
    stored_u_bytes: int  # what u(w, y, w') would take if stored
    machine_memory_bytes: int  # this machine's memory
    seconds: float  # the solve, compiled, from v = 0 to convergence (wall clock)
    cpu_seconds: float  # the solve's processor time, all threads (what a shared machine
    # cannot inflate the way it inflates the wall clock)
    load_average: float  # the machine's 1-minute load average when the solve ended
    compile_seconds: float  # lowering and compiling the solve
    num_iter: int  # iterations to convergence
    error: float  # the last Bellman residual ‖T v − v‖_∞
    xla_peak_bytes: int  # arguments + outputs + temporaries of the compiled solve
    max_rss_bytes: int  # the process's peak resident memory
    min_consumption: float  # min over states of c(w, y) under the policy found (> 0)
    device: str  # hardware that ran the solve
    versions: dict[str, str]  # library versions
    git_commit: str  # the package's commit ('+dirty' if modified), as results records it
    date: str  # when it ran, ISO 8601 UTC


def big_computed_solve(*, w_size: int = 12_000, y_size: int = 100, method: str = "hpi",
                     m: int = 50, tol: float = 1e-5, max_iter: int = 1_000,
                     gamma: float = 2.0) -> BigSolveRecord:
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
        A :class:`BigSolveRecord`.

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
    return BigSolveRecord(
        method, None if method == "hpi" else m, w_size, y_size, w_size * y_size, gamma, tol,
        stored_utility_bytes(w_size, y_size), int(describe_machine().memory_gib * 1024**3),
        seconds, cpu_seconds, os.getloadavg()[0], compile_seconds, int(solution.num_iter),
        float(solution.error),
        peak_bytes(compiled),
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        float(np.min(np.asarray(consumption(solution.sigma, model)))), jax_device_label(),
        package_versions(("jax", "jaxlib", "numpy")), code_commit(),
        datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"))


def write_big_record(record: BigSolveRecord, directory="results") -> Path:
    """Write ``record`` as JSON to ``directory``/savings_computed_<method>_<w>x<y>.json."""
    name = f"savings_computed_{record.method}_{record.w_size}x{record.y_size}.json"
    path = Path(directory) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record._asdict(), indent=2) + "\n")
    return path
