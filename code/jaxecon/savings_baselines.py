"""Value function iteration for optimal savings in NumPy and Numba, and the benchmark.

The baselines solve the same model as :mod:`jaxecon.savings`, in float64, with the same
stopping rule ‖v_{k+1} − v_k‖_∞ ≤ tol from v_0 = 0, so their iteration counts and values
match the JAX solver's and their times compare like for like. The best-effort NumPy
version computes the loop-invariant utility array u(R w + y − w') once; the naive one
recomputes it at every step, as a first vectorized draft would. The Numba version runs
the same loops compiled, in parallel over wealth with ``numba.prange``.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from jaxecon import solvers
from jaxecon.bench import Benchmark
from jaxecon.savings import SavingsModel, create_savings_model
from jaxecon.solvers import Solution
from jaxecon.timing import cpu_label, jax_device_label, measure

__all__ = [
    "utility_numpy", "bellman_numpy", "bellman_numpy_naive", "vfi_numpy", "vfi_numpy_naive",
    "vfi_numba", "SavingsRecord", "bench_savings", "format_savings_table", "SAVINGS",
]


class _Arrays(NamedTuple):
    R: float  # R, gross interest rate
    beta: float  # β, discount factor
    gamma: float  # γ, relative risk aversion
    w: np.ndarray  # wealth grid, shape (w_size,)
    y: np.ndarray  # income states, shape (y_size,)
    Q: np.ndarray  # Q(y, y'), shape (y_size, y_size)


def _numpy_arrays(model: SavingsModel) -> _Arrays:
    as_np = functools.partial(np.asarray, dtype=np.float64)
    return _Arrays(model.R, model.beta, model.gamma, as_np(model.w_grid), as_np(model.y_grid),
                   as_np(model.Q))


def utility_numpy(R, gamma, w, y) -> np.ndarray:
    """u(R w + y − w') for every (w, y, w') in NumPy, −∞ where c ≤ 0; (w, y, w')."""
    c = R * w[:, None, None] + y[None, :, None] - w[None, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.log(c) if gamma == 1.0 else c ** (1.0 - gamma) / (1.0 - gamma)
    return np.where(c > 0.0, u, -np.inf)


def bellman_numpy(v, u, Q, beta) -> np.ndarray:
    """(T v)(w, y) = max_{w'} { u(w, y, w') + β Σ_{y'} v(w', y') Q(y, y') }, u given."""
    return np.max(u + beta * (v @ Q.T).T[None, :, :], axis=2)


def bellman_numpy_naive(v, model: SavingsModel) -> np.ndarray:
    """T v as :func:`bellman_numpy`, but recomputing the utility array every time."""
    a = _numpy_arrays(model)
    u = utility_numpy(a.R, a.gamma, a.w, a.y)
    return np.max(u + a.beta * (v @ a.Q.T).T[None, :, :], axis=2)


def _iterate_numpy(T, v, tol, max_iter):
    errors = np.full(max_iter, np.nan)
    for i in range(max_iter):
        v_new = T(v)
        errors[i] = np.max(np.abs(v_new - v))
        v = v_new
        if errors[i] <= tol:
            return v, i + 1, errors
    return v, max_iter, errors


def _solution(name, v, greedy, num_iter, errors, tol, max_iter) -> Solution:
    error = float(errors[num_iter - 1])
    if not error <= tol:
        raise RuntimeError(f"{name} did not converge in max_iter={max_iter} iterations (last "
                           f"error {error:.1e} > tol={tol:.0e}); raise max_iter or loosen tol")
    return Solution(v, greedy, num_iter, error, True, errors)


def vfi_numpy(model: SavingsModel, *, tol: float = 1e-5, max_iter: int = 10_000) -> Solution:
    """VFI in vectorized NumPy, the best effort: u computed once, outside the loop.

    Args:
        model: the savings model (its arrays are copied to NumPy float64).
        tol: tolerance on ‖v_{k+1} − v_k‖_∞.
        max_iter: the most iterations.

    Returns:
        A :class:`~jaxecon.solvers.Solution` holding NumPy arrays.

    Raises:
        RuntimeError: if the tolerance is not met within ``max_iter`` iterations.

    Example:
        >>> from jaxecon.savings import create_savings_model
        >>> vfi_numpy(create_savings_model(w_size=30, y_size=5)).converged
        True
    """
    a = _numpy_arrays(model)
    u = utility_numpy(a.R, a.gamma, a.w, a.y)
    v0 = np.zeros((a.w.size, a.y.size))
    v, num_iter, errors = _iterate_numpy(lambda v: bellman_numpy(v, u, a.Q, a.beta), v0,
                                         tol, max_iter)
    greedy = np.argmax(u + a.beta * (v @ a.Q.T).T[None, :, :], axis=2)
    return _solution("vfi_numpy", v, greedy, num_iter, errors, tol, max_iter)


def vfi_numpy_naive(model: SavingsModel, *, tol: float = 1e-5,
                    max_iter: int = 10_000) -> Solution:
    """VFI in vectorized NumPy, recomputing u(R w + y − w') at every step (the first draft)."""
    a = _numpy_arrays(model)
    v0 = np.zeros((a.w.size, a.y.size))
    v, num_iter, errors = _iterate_numpy(lambda v: bellman_numpy_naive(v, model), v0, tol,
                                         max_iter)
    u = utility_numpy(a.R, a.gamma, a.w, a.y)
    greedy = np.argmax(u + a.beta * (v @ a.Q.T).T[None, :, :], axis=2)
    return _solution("vfi_numpy_naive", v, greedy, num_iter, errors, tol, max_iter)


@functools.cache
def _numba_vfi():
    import numba  # imported on first use: it costs a page that never calls it

    @numba.njit(parallel=True)
    def bellman(v, u, Q, beta, v_new, sigma):
        w_size, y_size = v.shape
        expected = np.empty((w_size, y_size))
        for k in numba.prange(w_size):  # E[v(w', y') | y] for every (w', y)
            for j in range(y_size):
                expected[k, j] = np.sum(v[k, :] * Q[j, :])
        for i in numba.prange(w_size):
            for j in range(y_size):
                best, arg = -np.inf, 0
                for k in range(w_size):
                    value = u[i, j, k] + beta * expected[k, j]
                    if value > best:
                        best, arg = value, k
                v_new[i, j], sigma[i, j] = best, arg

    @numba.njit
    def vfi(u, Q, beta, tol, max_iter):
        w_size, y_size = u.shape[0], u.shape[1]
        v, v_new = np.zeros((w_size, y_size)), np.empty((w_size, y_size))
        sigma, errors = np.zeros((w_size, y_size), np.int64), np.full(max_iter, np.nan)
        for i in range(max_iter):
            bellman(v, u, Q, beta, v_new, sigma)
            errors[i] = np.max(np.abs(v_new - v))
            v[:, :] = v_new
            if errors[i] <= tol:
                return v, sigma, i + 1, errors
        return v, sigma, max_iter, errors

    return vfi


def vfi_numba(model: SavingsModel, *, tol: float = 1e-5, max_iter: int = 10_000) -> Solution:
    """VFI compiled by Numba, parallel over wealth with ``numba.prange``; u precomputed.

    The returned policy is greedy for the last iterate, as in the other solvers.

    Raises:
        RuntimeError: if the tolerance is not met within ``max_iter`` iterations.
    """
    a = _numpy_arrays(model)
    u = utility_numpy(a.R, a.gamma, a.w, a.y)
    v, _, num_iter, errors = _numba_vfi()(u, a.Q, a.beta, float(tol), int(max_iter))
    greedy = np.argmax(u + a.beta * (v @ a.Q.T).T[None, :, :], axis=2)
    return _solution("vfi_numba", v, greedy, num_iter, errors, tol, max_iter)


# ---------------------------------------------------------------- the benchmark


class SavingsRecord(NamedTuple):
    """One timed solve of the savings model; ``_asdict()`` is the JSON the CLI prints."""

    method: str  # 'vfi', 'hpi' or 'opi'
    backend: str  # 'numpy', 'numpy-naive', 'numba' or 'jax'
    m: int | None  # OPI's applications of T_σ per iteration; None for the others
    seconds_min: float  # fastest repeat, seconds per solve
    seconds_median: float  # median repeat, seconds per solve
    compile_seconds: float  # first-call overhead (JIT compilation)
    num_iter: int  # iterations to convergence
    value_gap: float  # sup |v − v_JAX-VFI|: every solver solves the same model
    w_size: int  # wealth grid points
    y_size: int  # income states
    tol: float  # tolerance of the stopping rule
    device: str  # hardware that ran the solve
    versions: dict[str, str]  # library versions


_PACKAGES = {"numpy": ("numpy",), "numpy-naive": ("numpy",), "numba": ("numpy", "numba"),
             "jax": ("jax", "jaxlib", "numpy")}


def _runs(model, tol, ms, naive):
    """(method, backend, m, solve) for every solve of the benchmark, in table order."""
    runs = [("vfi", "numpy", None, lambda: vfi_numpy(model, tol=tol))]
    if naive:
        runs.append(("vfi", "numpy-naive", None, lambda: vfi_numpy_naive(model, tol=tol)))
    runs += [("vfi", "numba", None, lambda: vfi_numba(model, tol=tol)),
             ("vfi", "jax", None, lambda: solvers.vfi(model, tol=tol)),
             ("hpi", "jax", None, lambda: solvers.hpi(model, tol=tol))]
    return runs + [("opi", "jax", m, lambda m=m: solvers.opi(model, m=m, tol=tol)) for m in ms]


def bench_savings(*, w_size: int = 150, y_size: int = 100, tol: float = 1e-5,
                  repeats: int = 3, ms: tuple[int, ...] = (1, 10, 20, 50, 100, 200),
                  naive: bool = False) -> list[SavingsRecord]:
    """Time VFI in NumPy, Numba and JAX, then HPI and OPI(m) in JAX, on one model.

    All solvers start from v = 0 and run in float64 with the same ``tol``; the NumPy
    and Numba VFIs take as many iterations as JAX's, and the records show it.

    Args:
        w_size: wealth grid points, at least 2.
        y_size: income states, at least 2.
        tol: tolerance of every solver, positive.
        repeats: timed repeats after a first (compiling) call, at least 1.
        ms: the values of m for OPI, each an integer ≥ 1.
        naive: also time the NumPy VFI that recomputes the utility array every step.

    Returns:
        One :class:`SavingsRecord` per solve.

    Raises:
        ValueError: for bad sizes, ``tol``, ``repeats`` or ``ms``.
    """
    model = create_savings_model(w_size=w_size, y_size=y_size)
    if not tol > 0.0:
        raise ValueError(f"`tol` must be positive; got {tol!r}.")
    if any(isinstance(m, bool) or not isinstance(m, int) or m < 1 for m in ms):
        raise ValueError(f"`ms` must hold integers ≥ 1; got {ms!r}.")
    reference = np.asarray(solvers.vfi(model, tol=tol).v)
    records = []
    for method, backend, m, solve in _runs(model, tol, ms, naive):
        device = jax_device_label() if backend == "jax" else cpu_label()
        timing, sol = measure(solve, name=f"{method} {backend}", size=w_size * y_size,
                              repeats=repeats, device=device, packages=_PACKAGES[backend])
        gap = float(np.max(np.abs(np.asarray(sol.v) - reference)))
        records.append(SavingsRecord(method, backend, m, timing.seconds_min,
                                     timing.seconds_median, timing.compile_seconds,
                                     int(sol.num_iter), gap, w_size, y_size, tol,
                                     timing.device, timing.versions))
    return records


def format_savings_table(records: list[SavingsRecord]) -> str:
    """A plain-text table: method, backend, m, iterations, seconds, × JAX VFI, value gap."""
    base = next((r.seconds_median for r in records if (r.method, r.backend) == ("vfi", "jax")),
                None)
    lines = [f"{'method':<7}{'backend':<12}{'m':>4}{'iter':>6}{'s min':>8}{'s med':>8}"
             f"{'÷ VFI':>7}{'compile':>9}{'|v − v_VFI|':>12}"]
    for r in records:
        ratio = f"{r.seconds_median / base:>7.2f}" if base else f"{'–':>7}"
        lines.append(f"{r.method:<7}{r.backend:<12}{r.m or '':>4}{r.num_iter:>6}"
                     f"{r.seconds_min:>8.3f}{r.seconds_median:>8.3f}{ratio}"
                     f"{r.compile_seconds:>9.3f}{r.value_gap:>12.1e}")
    return "\n".join(lines)


def _arguments(parser) -> None:
    parser.add_argument("--w-size", type=int, default=150, help="wealth grid points (150)")
    parser.add_argument("--y-size", type=int, default=100, help="income states (100)")
    parser.add_argument("--tol", type=float, default=1e-5, help="tolerance (1e-5)")
    parser.add_argument("--m", default="1,10,20,50,100,200",
                        help="comma-separated values of m for OPI")
    parser.add_argument("--naive", action="store_true",
                        help="also time the NumPy VFI that recomputes the utility array")


def _run(args) -> tuple[str, list[SavingsRecord]]:
    import jax

    jax.config.update("jax_enable_x64", True)
    ms = tuple(int(m) for m in args.m.split(",") if m)
    records = bench_savings(w_size=args.w_size, y_size=args.y_size, tol=args.tol,
                            repeats=args.repeats, ms=ms, naive=args.naive)
    return (f"Optimal savings, {args.w_size} × {args.y_size} states, float64, tol "
            f"{args.tol:g}, JAX on {jax_device_label()}, NumPy and Numba on {cpu_label()}",
            records)


#: ``python -m jaxecon bench savings``: the tables of the optimal savings lecture.
SAVINGS = Benchmark("optimal savings: VFI in NumPy, Numba and JAX; HPI; OPI over m "
                    "(Lecture 6)", _arguments, _run, format_savings_table)
