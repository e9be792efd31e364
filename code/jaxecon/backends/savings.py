"""Value function iteration for optimal savings in NumPy and Numba.

The baselines solve the same model as :mod:`jaxecon.savings`, in float64, with the same
stopping rule ‖v_{k+1} − v_k‖_∞ ≤ tol from v_0 = 0, so their iteration counts and values
match the JAX solver's and their times compare like for like. The best-effort NumPy
version computes the loop-invariant utility array u(R w + y − w') once; the naive one
recomputes it at every step, as a first vectorized draft would. The Numba version runs
the same loops compiled, in parallel over wealth with ``numba.prange``; one Numba kernel
serves the solver and the single Bellman step that Lecture 9 times.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from jaxecon.checks import check_integer, check_tolerance, not_converged
from jaxecon.savings import SavingsModel
from jaxecon.savings_stored import StoredSavingsModel
from jaxecon.solvers import TOL, VFI_MAX_ITER, Solution

__all__ = [
    "utility_numpy", "action_values_numpy", "bellman_numpy", "bellman_numpy_naive",
    "vfi_numpy", "vfi_numpy_naive", "vfi_numba", "bellman_numba",
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


def action_values_numpy(v, u, Q, beta) -> np.ndarray:
    """B(w, y, w') = u(w, y, w') + β Σ_{y'} v(w', y') Q(y, y'), shape (w, y, w')."""
    return u + beta * (v @ Q.T).T[None, :, :]


def bellman_numpy(v, u, Q, beta) -> np.ndarray:
    """(T v)(w, y) = max_{w'} B(w, y, w'), with the utility array u given."""
    return np.max(action_values_numpy(v, u, Q, beta), axis=2)


def bellman_numpy_naive(v, model: SavingsModel) -> np.ndarray:
    """T v as :func:`bellman_numpy`, but recomputing the utility array every time."""
    a = _numpy_arrays(model)
    return bellman_numpy(v, utility_numpy(a.R, a.gamma, a.w, a.y), a.Q, a.beta)


def _solve(name, T, u, a: _Arrays, tol, max_iter) -> Solution:
    """Iterate v ← T v from v = 0 until ‖T v − v‖_∞ ≤ tol; the greedy policy of the last v."""
    tol, max_iter = check_tolerance("tol", tol), check_integer("max_iter", max_iter)
    v, errors = np.zeros((a.w.size, a.y.size)), np.full(max_iter, np.nan)
    for i in range(max_iter):
        v_new = T(v)
        errors[i] = np.max(np.abs(v_new - v))
        v = v_new
        if errors[i] <= tol:
            greedy = np.argmax(action_values_numpy(v, u, a.Q, a.beta), axis=2)
            return Solution(v, greedy, i + 1, float(errors[i]), True, errors)
    raise not_converged(name, error=float(errors[-1]), tol=tol, max_iter=max_iter)


def vfi_numpy(model: SavingsModel, *, tol: float = TOL,
              max_iter: int = VFI_MAX_ITER) -> Solution:
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
    return _solve("vfi_numpy", lambda v: bellman_numpy(v, u, a.Q, a.beta), u, a, tol, max_iter)


def vfi_numpy_naive(model: SavingsModel, *, tol: float = TOL,
                    max_iter: int = VFI_MAX_ITER) -> Solution:
    """VFI in vectorized NumPy, recomputing u(R w + y − w') at every step (the first draft)."""
    a = _numpy_arrays(model)
    u = utility_numpy(a.R, a.gamma, a.w, a.y)
    return _solve("vfi_numpy_naive", lambda v: bellman_numpy_naive(v, model), u, a, tol,
                  max_iter)


@functools.cache
def _numba_bellman(parallel: bool):
    """The compiled Bellman step ``step(v, u, Q, beta, out)``: loops, no temporaries."""
    import numba  # imported on first use: a page that never calls it does not pay for it

    @numba.njit(parallel=parallel)
    def step(v, u, Q, beta, out):
        w_size, y_size = u.shape[0], u.shape[1]
        # E[v(w', y') | y] by loops: BLAS's own threads would compete with Numba's
        expected = np.zeros((w_size, y_size))
        for k in numba.prange(w_size):
            for j in range(y_size):
                for jj in range(y_size):
                    expected[k, j] += v[k, jj] * Q[j, jj]
        for i in numba.prange(w_size):  # a plain range when parallel=False
            for j in range(y_size):
                best = -np.inf
                for k in range(w_size):
                    value = u[i, j, k] + beta * expected[k, j]
                    if value > best:
                        best = value
                out[i, j] = best

    return step


def bellman_numba(v, stored: StoredSavingsModel, *, parallel: bool = True) -> np.ndarray:
    """(T v)(w, y) = max_{w'} { u(w, y, w') + β Σ_{y'} v(w', y') Q(y, y') } in Numba.

    The step reads the model's stored u, as the JAX steps it is timed against do. With
    ``parallel=True`` the loop over wealth runs on all threads (``numba.prange``); with
    ``parallel=False`` the same loops run on one thread.

    Args:
        v: value function, shape (w_size, y_size).
        stored: the optimal savings model with u stored
            (:func:`~jaxecon.savings_stored.store_utility`).
        parallel: run the loop over wealth in parallel.

    Returns:
        T v as a NumPy array of shape (w_size, y_size).
    """
    v, a = np.asarray(v, dtype=np.float64), _numpy_arrays(stored.model)
    if v.shape != (a.w.size, a.y.size):
        raise ValueError(f"`v` must have shape {(a.w.size, a.y.size)}; got {v.shape}.")
    u = np.asarray(stored.u, dtype=np.float64)
    out = np.empty_like(v)
    _numba_bellman(bool(parallel))(v, u, a.Q, a.beta, out)
    return out


def vfi_numba(model: SavingsModel, *, tol: float = TOL,
              max_iter: int = VFI_MAX_ITER) -> Solution:
    """VFI with the Bellman step compiled by Numba, parallel over wealth (``prange``).

    Each step writes into a preallocated array; the returned policy is greedy for the
    last iterate, as in the other solvers.

    Raises:
        RuntimeError: if the tolerance is not met within ``max_iter`` iterations.
    """
    a = _numpy_arrays(model)
    u = utility_numpy(a.R, a.gamma, a.w, a.y)
    step, out = _numba_bellman(True), np.empty((a.w.size, a.y.size))

    def T(v):
        step(v, u, a.Q, a.beta, out)
        return out.copy()

    return _solve("vfi_numba", T, u, a, tol, max_iter)
