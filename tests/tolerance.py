"""The tolerance of tests that compare two computations of the same numbers.

Two codes for one formula (a NumPy reference and a JAX kernel, a loop and a fused
expression, one CPU's SIMD and another's) round differently in the last bits, and the
size of that difference is set by the terms that enter the computation, not by its
result: u + β E v with terms of size 10 can cancel to 1e-5, and a relative tolerance on
the result then asserts bit-level luck. These tests compare to k·ε·scale instead: ε the
machine epsilon of the dtype, scale the largest magnitude of the terms, k the number of
roundings of that size that can separate the two computations (a sum of n terms: about n;
a solver's fixed point: the step's k carried by the contraction, times 1/(1 − β)). A real
bug (a wrong index, a wrong β) is off by many orders of magnitude more.
"""

import numpy as np

EPS = float(np.finfo(np.float64).eps)


def _eps(x) -> float:
    dtype = np.asarray(x).dtype
    return float(np.finfo(dtype if np.issubdtype(dtype, np.inexact) else np.float64).eps)


def magnitude(*terms) -> float:
    """The largest finite |x| among ``terms`` (arrays or numbers); −∞ marks an infeasible
    choice, not a term."""
    finite = [np.abs(a[np.isfinite(a)]) for a in (np.asarray(t, dtype=float) for t in terms)]
    return max((float(a.max()) for a in finite if a.size), default=0.0)


def bellman_scale(result, v, beta):
    """The size of the terms of ``result`` = r + β Σ_{x'} v(x') P(x, x'), entry by entry: P's
    rows sum to one, so |r| ≤ |result| + β max|v| and the terms are within
    |result| + 2β max|v| (0 where ``result`` is ±∞: an infeasible choice, compared exactly)."""
    result = np.asarray(result, dtype=float)
    finite = np.isfinite(result)
    return np.where(finite, np.abs(np.where(finite, result, 0.0)) + 2 * beta * magnitude(v), 0.0)


def savings_k(model, *, power: bool | None = None) -> float:
    """Roundings between two codes of the savings step u(c) + β Σ_{y'} v(w', y') Q(y, y')
    that form c = R w + y − w' alike: y_size in the sum over y', 2 in β's product and the
    add, 2 in u(c). A general power u = exp((1 − γ) ln c)/(1 − γ) (``power``: by default for γ other
    than 1 and 2, whose ln c and −1/c are one operation) carries ln c's rounding times
    |(1 − γ) ln c| more, at most max |ln c^(1−γ)| over the feasible choices."""
    k = model.y_grid.shape[0] + 4
    if not (model.gamma not in (1.0, 2.0) if power is None else power):
        return k
    w, y = np.asarray(model.w_grid), np.asarray(model.y_grid)
    c = model.R * w[:, None, None] + y[None, :, None] - w[None, None, :]
    return k + abs(1.0 - model.gamma) * magnitude(np.log(c[c > 0.0]))


def solow_k(model, k_max) -> float:
    """Roundings between two codes of a Solow path k_{t+1} = a s k_t^α + (1 − δ) k_t, in units
    of ε k_T: a step rounds by 8 (the power's 2 ulps and 3 roundings, by each code), and
    the map carries it: its slope f′(k) is ρ f(k)/k with ρ = (α g + 1 − δ)/(g + 1 − δ) < 1,
    g = a s k^(α−1), largest at the path's largest k, so an error made at step t reaches
    step T at most ρ^(T−t) k_T/k_t times its size: 8/(1 − ρ) in all, however long the path."""
    g = model.a * model.s * k_max ** (model.alpha - 1.0)
    rho = (model.alpha * g + 1.0 - model.delta) / (g + 1.0 - model.delta)
    return 8.0 / (1.0 - rho)


def assert_agree(actual, desired, *, k: float, scale, extra: float = 0.0,
                 err_msg: str = "") -> None:
    """Assert |actual − desired| ≤ k·ε·scale + extra entrywise, ±∞ and NaN in the same places.

    ``scale`` is a number, or an array that broadcasts against ``desired`` (a scale per
    entry, where the terms shrink with the result); ε is that of the less precise input;
    ``extra`` is an error the computation allows besides rounding (a solver's stopping
    tolerance carried to its answer).
    """
    eps = max(_eps(actual), _eps(desired))
    a, d = np.broadcast_arrays(np.asarray(actual, dtype=float), np.asarray(desired, dtype=float))
    tol = k * eps * np.broadcast_to(np.asarray(scale, dtype=float), d.shape) + extra
    finite = np.isfinite(a) & np.isfinite(d)
    with np.errstate(invalid="ignore"):
        gap = np.where(finite, np.abs(a - d), np.inf)
        ok = np.where(finite, gap <= tol, (a == d) | (np.isnan(a) & np.isnan(d)))
        if ok.all():
            return
        i = np.unravel_index(np.argmax(np.where(ok, -np.inf, np.nan_to_num(gap - tol))),
                             d.shape)
    raise AssertionError(
        f"{ok.size - np.count_nonzero(ok)} of {ok.size} entries differ by more than "
        f"k·ε·scale + extra (k = {k:g}, ε = {eps:.3g}, extra = {extra:.3g}); worst at "
        f"{tuple(map(int, i))}: actual {float(a[i])!r}, desired {float(d[i])!r}, |difference| "
        f"{gap[i]:.3g} > tolerance {tol[i]:.3g}, scale {(tol[i] - extra) / (k * eps):.6g}. "
        f"{err_msg}".rstrip())


def stopped_distance(tol: float, transition) -> float:
    """How far from its fixed point an iteration x_{t+1} = x_t P that stopped at
    ‖x_{t+1} − x_t‖_∞ ≤ tol can be: each later step shrinks by λ₂, the second-largest
    modulus of P's eigenvalues, so the steps left sum to at most tol·λ₂/(1 − λ₂)."""
    moduli = np.sort(np.abs(np.linalg.eigvals(np.asarray(transition, dtype=float))))
    return tol * moduli[-2] / (1.0 - moduli[-2])
