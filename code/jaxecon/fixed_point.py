"""Generic fixed-point solvers in ``lax.while_loop``, and the loop the DP solvers share.

Both find x = T(x, params) for any operator T: successive approximation, which
converges at the linear rate of a contraction, and Newton's method on x − T(x) = 0 with
the Jacobian from ``jax.jacobian``, which converges quadratically near the fixed point.
Each returns an info record with the error at every iteration; the public entry points
raise ``RuntimeError`` when the iteration did not converge. ``max_iter`` is static
because it sizes that history; ``tol`` is traced, so changing it compiles nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from jaxecon.checks import check_integer, check_tolerance, not_converged

__all__ = [
    "FixedPoint", "successive_approximation", "newton_fixed_point",
    "successive_approximation_core", "newton_core",
]


class FixedPoint(NamedTuple):
    """What a generic fixed-point solver returns."""

    x: jax.Array  # x, the approximate fixed point
    num_iter: int  # iterations performed
    error: float  # last error ‖x_{k+1} − x_k‖_∞
    converged: bool  # error ≤ tol within max_iter iterations
    errors: jax.Array  # the error of every iteration, NaN-padded to shape (max_iter,)


class _Loop(NamedTuple):
    x: Any  # the iterate (a pytree)
    i: jax.Array  # iterations done
    error: jax.Array  # the last error
    done: jax.Array  # the stopping rule held
    errors: jax.Array  # error history


def iterate(step: Callable, x0, max_iter: int, dtype) -> _Loop:
    """x ← step(x) in ``lax.while_loop``; step returns (x_new, error, done)."""

    def body(s: _Loop) -> _Loop:
        x, error, done = step(s.x)
        error = jnp.asarray(error, dtype)
        return _Loop(x, s.i + 1, error, done, s.errors.at[s.i].set(error))

    init = _Loop(x0, jnp.asarray(0), jnp.asarray(jnp.inf, dtype), jnp.asarray(False),
                 jnp.full(max_iter, jnp.nan, dtype))
    # A NaN error (an inner solve that failed, an overflow) stops the loop unconverged.
    return jax.lax.while_loop(lambda s: ~s.done & (s.i < max_iter) & ~jnp.isnan(s.error),
                              body, init)


def sup_norm(x) -> jax.Array:
    return jnp.max(jnp.abs(x))


def _fixed_point_loop(update: Callable, x0, tol, max_iter: int) -> FixedPoint:
    """x_{k+1} = update(x_k) until ‖x_{k+1} − x_k‖_∞ ≤ tol: the loop both solvers share."""
    def step(x):
        x_new = update(x)
        error = sup_norm(x_new - x)
        return x_new, error, error <= tol

    s = iterate(step, x0, max_iter, x0.dtype)
    return FixedPoint(s.x, s.i, s.error, s.done, s.errors)


def finish(name: str, out, tol: float, max_iter: int):
    """Python scalars for the summary fields; raise if the loop did not converge."""
    out = out._replace(num_iter=int(out.num_iter), error=float(out.error),
                       converged=bool(out.converged))
    if not out.converged:
        raise not_converged(name, error=out.error, tol=tol, max_iter=max_iter)
    return out


def check_options(tol: float, max_iter: int) -> None:
    check_tolerance("tol", tol)
    check_integer("max_iter", max_iter)


@partial(jax.jit, static_argnames=("T", "max_iter"))
def successive_approximation_core(T, x0, params, tol, max_iter: int) -> FixedPoint:
    """The jittable loop of :func:`successive_approximation`: arrays out, never raises."""
    return _fixed_point_loop(lambda x: T(x, params), x0, tol, max_iter)


def successive_approximation(T: Callable, x_init, params, *, tol: float = 1e-5,
                             max_iter: int = 10_000) -> FixedPoint:
    """The fixed point of T(·, params) by iterating x_{k+1} = T(x_k, params).

    Stops when ‖x_{k+1} − x_k‖_∞ ≤ tol. If T is a contraction of modulus β the error
    falls like β^k (a linear rate).

    Args:
        T: the operator, a pure function ``T(x, params)``; pass a module-level function
            (a new lambda on every call would be compiled anew).
        x_init: the first guess x_0 (an array).
        params: the operator's parameters (any pytree, e.g. a model NamedTuple).
        tol: tolerance on the sup-norm step, ≥ 0.
        max_iter: the most iterations, ≥ 1; it sizes ``errors``.

    Returns:
        A :class:`FixedPoint`.

    Raises:
        ValueError: for a negative ``tol`` or ``max_iter`` < 1.
        RuntimeError: if the tolerance is not met within ``max_iter`` iterations.

    Example:
        >>> halve = lambda x, c: 0.5 * x + c
        >>> round(float(successive_approximation(halve, jnp.zeros(1), 1.0, tol=1e-12).x[0]), 9)
        2.0
    """
    return _solve("successive_approximation", successive_approximation_core, T, x_init,
                  params, tol, max_iter)


@partial(jax.jit, static_argnames=("T", "max_iter"))
def newton_core(T, x0, params, tol, max_iter: int) -> FixedPoint:
    """The jittable loop of :func:`newton_fixed_point`: arrays out, never raises."""
    def newton_step(x):
        jac = jax.jacobian(T)(x, params).reshape(x.size, x.size)
        residual = (x - T(x, params)).reshape(x.size)
        return x - jnp.linalg.solve(jnp.eye(x.size) - jac, residual).reshape(x.shape)

    return _fixed_point_loop(newton_step, x0, tol, max_iter)


def newton_fixed_point(T: Callable, x_init, params, *, tol: float = 1e-5,
                       max_iter: int = 100) -> FixedPoint:
    """The fixed point of T(·, params) by Newton's method on F(x) = x − T(x, params).

        x_{k+1} = x_k − (I − J_T(x_k))^{-1} (x_k − T(x_k))

    with the Jacobian J_T from ``jax.jacobian``; stops when ‖x_{k+1} − x_k‖_∞ ≤ tol.
    Each step solves a dense n × n system, so it suits problems up to a few thousand
    unknowns; near the fixed point the error squares at every step.

    Args:
        T: the operator ``T(x, params)``, differentiable in x; a module-level function.
        x_init: the first guess x_0 (an array).
        params: the operator's parameters (any pytree).
        tol: tolerance on the sup-norm step, ≥ 0.
        max_iter: the most iterations, ≥ 1.

    Returns:
        A :class:`FixedPoint`.

    Raises:
        ValueError: for a negative ``tol`` or ``max_iter`` < 1.
        RuntimeError: if the tolerance is not met within ``max_iter`` iterations.

    Example:
        >>> halve = lambda x, c: 0.5 * x + c
        >>> newton_fixed_point(halve, jnp.zeros(1), 1.0, tol=1e-12).num_iter
        2
    """
    return _solve("newton_fixed_point", newton_core, T, x_init, params, tol, max_iter)


def _solve(name: str, core: Callable, T: Callable, x_init, params, tol, max_iter) -> FixedPoint:
    """Check the options, run the jitted ``core`` loop from x_init and raise if it failed."""
    check_options(tol, max_iter)
    x_init = jnp.asarray(x_init, jnp.result_type(float))
    return finish(name, core(T, x_init, params, tol, int(max_iter)), tol, max_iter)
