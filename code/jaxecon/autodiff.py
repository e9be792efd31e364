"""Derivatives three ways, and gradient descent with the Barzilai–Borwein step.

A forward difference (f(x + h) − f(x)) / h has truncation error of order h, a central
difference (f(x + h) − f(x − h)) / 2h of order h², and both lose digits to rounding as h
shrinks; automatic differentiation (``jax.grad``) applies the chain rule to the
operations a program executes and is exact up to rounding. Gradient descent
x_{k+1} = x_k − η_k ∇ℓ(x_k) with the Barzilai–Borwein step η_k = |⟨Δx, Δg⟩| / ⟨Δg, Δg⟩,
where Δx = x_k − x_{k−1} and Δg = ∇ℓ(x_k) − ∇ℓ(x_{k−1}), fits a secant model of the
Hessian along the last step; on a strictly convex quadratic it converges R-linearly
without line searches (Barzilai and Borwein 1988; Raydan 1993). Here it minimises any
smooth loss of a pytree of arrays, compiled as one ``lax.while_loop``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree

from jaxecon.checks import (
    check_integer,
    check_ndim,
    check_nonnegative,
    check_positive,
    check_positive_array,
    check_shape,
    not_converged,
)

__all__ = [
    "DescentResult",
    "forward_difference",
    "central_difference",
    "bb_step_size",
    "barzilai_borwein",
    "descent_path",
    "linear_data",
    "polynomial_design",
    "ols_coefficients",
]


class DescentResult(NamedTuple):
    """What :func:`barzilai_borwein` returns."""

    x: Any  # the minimiser found, with the structure of x_0
    num_iter: int  # iterations taken
    error: float  # ‖∇ℓ(x)‖_∞ at the end
    converged: bool  # error ≤ tol
    errors: jax.Array  # ‖∇ℓ(x_k)‖_∞ for k = 1, …, max_iter, NaN after the last, (max_iter,)



def forward_difference(f: Callable, x, *, h: float):
    """The forward difference (f(x + h) − f(x)) / h, an O(h) approximation of f′(x).

    ``x`` and ``h`` may be arrays that broadcast together.

    Raises:
        ValueError: if ``h`` is not positive (everywhere).
    """
    check_positive_array("h", h)
    return (f(x + h) - f(x)) / h


def central_difference(f: Callable, x, *, h: float):
    """The central difference (f(x + h) − f(x − h)) / 2h, an O(h²) approximation of f′(x).

    ``x`` and ``h`` may be arrays that broadcast together.

    Raises:
        ValueError: if ``h`` is not positive (everywhere).
    """
    check_positive_array("h", h)
    return (f(x + h) - f(x - h)) / (2 * h)


def bb_step_size(dx: jax.Array, dg: jax.Array) -> jax.Array:
    """The Barzilai–Borwein step η = |⟨Δx, Δg⟩| / ⟨Δg, Δg⟩ of the last step."""
    return jnp.abs(dx @ dg) / (dg @ dg)


class _State(NamedTuple):
    x: jax.Array  # current iterate x_k
    g: jax.Array  # ∇ℓ(x_k)
    eta: jax.Array  # the last step size η_{k−1}
    k: jax.Array  # iterations so far
    errors: jax.Array  # sup-norms of the gradients so far, NaN-padded


@partial(jax.jit, static_argnames=("loss", "max_iter"))
def _bb_core(loss, x0, step0, tol, max_iter: int):
    grad = jax.grad(loss)

    def cond(state):
        return (state.k < max_iter) & (jnp.max(jnp.abs(state.g)) > tol)

    def body(state):
        x = state.x - state.eta * state.g
        g = grad(x)
        eta = bb_step_size(x - state.x, g - state.g)
        # Where rounding leaves the gradient unchanged the quotient is 0/0: keep the step.
        eta = jnp.where(jnp.isfinite(eta) & (eta > 0), eta, state.eta)
        errors = state.errors.at[state.k].set(jnp.max(jnp.abs(g)))
        return _State(x, g, eta, state.k + 1, errors)

    start = _State(x0, grad(x0), jnp.asarray(step0, x0.dtype), jnp.array(0),
                   jnp.full(max_iter, jnp.nan, x0.dtype))
    return jax.lax.while_loop(cond, body, start)


def barzilai_borwein(
    loss: Callable[[Any], jax.Array], x0: Any, *, step0: float = 1e-3, tol: float = 1e-8,
    max_iter: int = 10_000,
) -> DescentResult:
    """Minimise a smooth ``loss`` by gradient descent with the Barzilai–Borwein step.

        x_{k+1} = x_k − η_k ∇ℓ(x_k),   η_k = |⟨Δx, Δg⟩| / ⟨Δg, Δg⟩,   η_0 = step0

    Args:
        loss: ℓ, a scalar function of one argument shaped like ``x0``, traceable by JAX.
        x0: the starting point x_0, an array or any pytree of arrays.
        step0: the first step size η_0, positive.
        tol: stop when ‖∇ℓ(x_k)‖_∞ ≤ tol, positive.
        max_iter: the most iterations, at least 1 (it also sizes ``errors``).

    Returns:
        :class:`DescentResult` with the minimiser in the structure of ``x0``.

    Raises:
        ValueError: if ``step0``, ``tol`` or ``max_iter`` is out of range.
        TypeError: if ``x0`` does not hold floating-point arrays.
        RuntimeError: if the gradient is still above ``tol`` after ``max_iter`` iterations.

    References:
        J. Barzilai and J. M. Borwein (1988), Two-point step size gradient methods,
        IMA Journal of Numerical Analysis 8, 141–148.

    Example:
        >>> result = barzilai_borwein(lambda x: jnp.sum((x - 3.0) ** 2), jnp.zeros(2))
        >>> [round(float(v), 6) for v in result.x], bool(result.converged)
        ([3.0, 3.0], True)
    """
    check_positive("step0", step0)
    check_positive("tol", tol)
    check_integer("max_iter", max_iter)
    flat0, unravel = ravel_pytree(x0)
    if not jnp.issubdtype(flat0.dtype, jnp.floating):
        raise TypeError(f"`x0` must hold floating-point arrays; got dtype {flat0.dtype}.")
    state = _bb_core(lambda z: loss(unravel(z)), flat0, step0, tol, int(max_iter))
    error = float(jnp.max(jnp.abs(state.g)))
    if not error <= tol:
        raise not_converged("barzilai_borwein", error=error, tol=tol, max_iter=max_iter)
    return DescentResult(unravel(state.x), int(state.k), error, True, state.errors)


@partial(jax.jit, static_argnames=("loss", "steps"))
def _path(loss, x0, learning_rate, steps: int):
    def step(x, _):
        x_next = x - learning_rate * jax.grad(loss)(x)
        return x_next, x_next

    _, xs = jax.lax.scan(step, x0, length=steps)
    return jnp.concatenate([x0[None, :], xs])


def descent_path(
    loss: Callable[[jax.Array], jax.Array], x0, *, learning_rate: float, steps: int
) -> jax.Array:
    """The iterates of plain gradient descent x_{k+1} = x_k − η ∇ℓ(x_k), for plotting.

    Args:
        loss: ℓ, a scalar function of a vector, traceable by JAX.
        x0: the start x_0, shape (d,).
        learning_rate: the step η, positive.
        steps: iterations, at least 1.

    Returns:
        x_0, …, x_steps, shape (steps + 1, d).

    Raises:
        ValueError: for a non-positive ``learning_rate``, a bad ``steps`` or a ``x0``
            that is not 1-D.
    """
    check_positive("learning_rate", learning_rate)
    check_integer("steps", steps)
    x0 = check_ndim("x0", jnp.asarray(x0, dtype=jnp.result_type(float)), 1)
    return _path(loss, x0, learning_rate, int(steps))


def linear_data(
    *, key: jax.Array, n: int = 100, intercept: float = 1.0, slope: float = 0.5,
    sigma: float = 0.1,
) -> tuple[jax.Array, jax.Array]:
    """Synthetic data y_i = a + b x_i + σ ε_i, with x_i ~ U(0, 1) and ε_i ~ N(0, 1).

    Args:
        key: a JAX PRNG key.
        n: observations, at least 1.
        intercept: a.
        slope: b.
        sigma: noise standard deviation σ, non-negative.

    Returns:
        ``(x, y)``, each of shape (n,).

    Raises:
        ValueError: if ``n`` < 1 or ``sigma`` < 0.
    """
    check_integer("n", n)
    check_nonnegative("sigma", sigma)
    key_x, key_e = jax.random.split(key)
    x = jax.random.uniform(key_x, (n,))
    return x, intercept + slope * x + sigma * jax.random.normal(key_e, (n,))


def polynomial_design(x, degree: int) -> jax.Array:
    """The design matrix X with X[i, j] = x_i^j for j = 0, …, degree, shape (n, degree + 1).

    Raises:
        ValueError: if ``degree`` is negative or ``x`` is not 1-D.
    """
    check_integer("degree", degree, minimum=0)
    x = check_ndim("x", jnp.asarray(x), 1)
    return x[:, None] ** jnp.arange(degree + 1)[None, :]


def ols_coefficients(X, y) -> jax.Array:
    """The least-squares coefficients b̂ = argmin ‖y − X b‖², the solution of X′X b = X′y.

    Args:
        X: the design matrix, shape (n, p) with full column rank.
        y: the targets, shape (n,).

    Returns:
        b̂, shape (p,).

    Raises:
        ValueError: if the shapes of ``X`` and ``y`` do not match.
    """
    X = check_ndim("X", jnp.asarray(X), 2)
    y = check_shape("y", jnp.asarray(y), (X.shape[0],))  # one observation per row of X
    return jnp.linalg.lstsq(X, y)[0]
