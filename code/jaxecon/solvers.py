"""Fixed-point solvers and the three dynamic-programming algorithms, in ``lax.while_loop``.

Generic solvers find x = T(x, params) for any operator T: successive approximation,
which converges at the linear rate of a contraction, and Newton's method on
x − T(x) = 0 with the Jacobian from ``jax.jacobian``, which converges quadratically
near the fixed point. The DP algorithms work on any model with registered operators
(see :mod:`jaxecon.mdp`): value function iteration (VFI) is successive approximation
of the Bellman operator T; Howard policy iteration (HPI) alternates exact evaluation
v_σ with greedy improvement, ends in finitely many steps and is Newton's method on T;
optimistic policy iteration (OPI) replaces the evaluation by m steps of T_σ, so m = 1
is VFI and m → ∞ is HPI (Sargent & Stachurski, *Dynamic Programming*, vol. 1, ch. 5;
Puterman, *Markov Decision Processes*, ch. 6).

Every solver returns an info record with the error at every iteration; the public
entry points raise ``RuntimeError`` when the iteration did not converge. ``max_iter``
is static because it sizes that history; ``tol`` and ``m`` are traced, so changing
them compiles nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from jaxecon.mdp import action_values, bellman_operator, greedy_policy, model_operators

__all__ = [
    "Solution", "FixedPoint", "successive_approximation", "newton_fixed_point",
    "successive_approximation_core", "newton_core",
    "value_function_iteration", "howard_policy_iteration", "optimistic_policy_iteration",
    "vfi", "hpi", "opi",
]


class Solution(NamedTuple):
    """What a DP solver returns; a pytree, so jitted code can return it."""

    v: jax.Array  # v, the value function, shape of the state space
    sigma: jax.Array  # σ, a v-greedy policy (action indices), shape of v
    num_iter: int  # iterations performed
    error: float  # last error: the sup-norm Bellman residual ‖T v_k − v_k‖
    converged: bool  # the stopping rule held within max_iter iterations
    errors: jax.Array  # the error of every iteration, NaN-padded to shape (max_iter,)


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


def _iterate(step: Callable, x0, max_iter: int, dtype) -> _Loop:
    """x ← step(x) in ``lax.while_loop``; step returns (x_new, error, done)."""

    def body(s: _Loop) -> _Loop:
        x, error, done = step(s.x)
        error = jnp.asarray(error, dtype)
        return _Loop(x, s.i + 1, error, done, s.errors.at[s.i].set(error))

    init = _Loop(x0, jnp.asarray(0), jnp.asarray(jnp.inf, dtype), jnp.asarray(False),
                 jnp.full(max_iter, jnp.nan, dtype))
    return jax.lax.while_loop(lambda s: ~s.done & (s.i < max_iter), body, init)


def _sup(x) -> jax.Array:
    return jnp.max(jnp.abs(x))


def _fixed_point_loop(update: Callable, x0, tol, max_iter: int) -> FixedPoint:
    """x_{k+1} = update(x_k) until ‖x_{k+1} − x_k‖_∞ ≤ tol: the loop both solvers share."""
    def step(x):
        x_new = update(x)
        error = _sup(x_new - x)
        return x_new, error, error <= tol

    s = _iterate(step, x0, max_iter, x0.dtype)
    return FixedPoint(s.x, s.i, s.error, s.done, s.errors)


def _check(name: str, out, tol: float, max_iter: int):
    """Python scalars for the summary fields; raise if the loop did not converge."""
    out = out._replace(num_iter=int(out.num_iter), error=float(out.error),
                       converged=bool(out.converged))
    if not out.converged:
        raise RuntimeError(
            f"{name} did not converge in max_iter={max_iter} iterations (last error "
            f"{out.error:.1e} > tol={tol:.0e}); raise max_iter or loosen tol")
    return out


def _check_options(tol: float, max_iter: int) -> None:
    if not tol >= 0.0:
        raise ValueError(f"`tol` must be non-negative; got {tol!r}.")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"`max_iter` must be an integer ≥ 1; got {max_iter!r}.")



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
    _check_options(tol, max_iter)
    x_init = jnp.asarray(x_init, jnp.result_type(float))
    out = successive_approximation_core(T, x_init, params, tol, max_iter)
    return _check("successive_approximation", out, tol, max_iter)


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
    _check_options(tol, max_iter)
    x_init = jnp.asarray(x_init, jnp.result_type(float))
    out = newton_core(T, x_init, params, tol, max_iter)
    return _check("newton_fixed_point", out, tol, max_iter)



def _greedy_and_max(v, model):
    """σ = argmax_a B(·, a, v) and T v = max_a B(·, a, v) from one evaluation of B."""
    maximize = model_operators(model).maximize
    if maximize is not None:
        return maximize(v, model)
    q = action_values(v, model)
    return jnp.argmax(q, axis=-1), jnp.max(q, axis=-1)


@partial(jax.jit, static_argnames="max_iter")
def _vfi(model, v_init, tol, max_iter: int) -> Solution:
    out = successive_approximation_core(bellman_operator, v_init, model, tol, max_iter)
    return Solution(out.x, greedy_policy(out.x, model), out.num_iter, out.error,
                    out.converged, out.errors)


@partial(jax.jit, static_argnames="max_iter")
def _hpi(model, v_init, tol, max_iter: int) -> Solution:
    evaluate = model_operators(model).policy_value

    def step(x):
        _, t_v, sigma = x  # t_v = T v_{k−1} = T_σ v_{k−1}: a good first guess for v_σ
        v_sigma = evaluate(sigma, model, t_v)
        sigma_new, t_v_new = _greedy_and_max(v_sigma, model)
        error = _sup(t_v_new - v_sigma)
        stop = jnp.all(sigma_new == sigma) | (error <= tol)
        return (v_sigma, t_v_new, sigma_new), error, stop

    sigma, t_v = _greedy_and_max(v_init, model)
    s = _iterate(step, (v_init, t_v, sigma), max_iter, v_init.dtype)
    v, _, sigma = s.x
    return Solution(v, sigma, s.i, s.error, s.done, s.errors)


@partial(jax.jit, static_argnames="max_iter")
def _opi(model, v_init, tol, m, max_iter: int) -> Solution:
    T_sigma = model_operators(model).policy_operator

    def step(v):
        sigma, t_v = _greedy_and_max(v, model)  # T_σ v = T v for the greedy σ
        v_new = jax.lax.fori_loop(1, m, lambda _, w: T_sigma(w, sigma, model), t_v)
        error = _sup(t_v - v)
        return v_new, error, error <= tol

    s = _iterate(step, v_init, max_iter, v_init.dtype)
    return Solution(s.x, greedy_policy(s.x, model), s.i, s.error, s.done, s.errors)


def _start(model, v_init):
    """v_init as a float array, or zeros of the model's state shape."""
    shape = model_operators(model).state_shape(model)
    if v_init is None:
        return jnp.zeros(shape, jnp.result_type(float))
    v_init = jnp.asarray(v_init, jnp.result_type(float))
    if v_init.shape != shape:
        raise ValueError(f"`v_init` must have shape {shape}; got {v_init.shape}.")
    return v_init


def value_function_iteration(model, *, v_init=None, tol: float = 1e-5,
                             max_iter: int = 10_000) -> Solution:
    """Value function iteration: v_{k+1} = T v_k until ‖v_{k+1} − v_k‖_∞ ≤ tol.

    Successive approximation of the Bellman operator T, which converges from any v_0
    at the linear rate β; the policy returned is greedy for the last iterate.

    Args:
        model: an :class:`~jaxecon.mdp.MDP` or any model with registered operators.
        v_init: v_0, shape of the state space; zeros if None.
        tol: tolerance on the sup-norm step ‖T v_k − v_k‖, ≥ 0.
        max_iter: the most iterations, ≥ 1; it sizes ``errors`` (changing it recompiles).

    Returns:
        A :class:`Solution`.

    Raises:
        ValueError: for a negative ``tol``, ``max_iter`` < 1 or a mis-shaped ``v_init``.
        RuntimeError: if the tolerance is not met within ``max_iter`` iterations.

    References:
        Sargent & Stachurski, *Dynamic Programming*, vol. 1, Algorithm 5.1 (VFI).

    Example:
        >>> from jaxecon.mdp import create_mdp
        >>> mdp = create_mdp(r=[[0.0, 1.0]], P=[[[1.0], [1.0]]], beta=0.5)
        >>> round(float(value_function_iteration(mdp, tol=1e-10).v[0]), 6)
        2.0
    """
    _check_options(tol, max_iter)
    out = _vfi(model, _start(model, v_init), tol, max_iter)
    return _check("value_function_iteration", out, tol, max_iter)


def howard_policy_iteration(model, *, v_init=None, tol: float = 1e-5,
                            max_iter: int = 1_000) -> Solution:
    """Howard policy iteration: σ_{k+1} greedy for v_{σ_k}, until the policy repeats.

    Each step evaluates σ_k exactly (or, for large models, by a matrix-free solve) and
    improves it; on a finite MDP it ends in finitely many steps at an exact fixed point
    of T. It is Newton's method on T, so the residual ‖T v_k − v_k‖ falls quadratically
    near the end. It also stops early once that residual is at most ``tol``.

    Args:
        model: an :class:`~jaxecon.mdp.MDP` or any model with registered operators.
        v_init: v_0, whose greedy policy is σ_0; zeros if None.
        tol: stop once ‖T v_σ − v_σ‖_∞ ≤ tol (0 waits for the policy to repeat).
        max_iter: the most iterations, ≥ 1; it sizes ``errors``.

    Returns:
        A :class:`Solution`: ``v`` is the value of the last policy evaluated and ``sigma``
        is greedy for it (the same policy, once it repeats).

    Raises:
        ValueError: for a negative ``tol``, ``max_iter`` < 1 or a mis-shaped ``v_init``.
        RuntimeError: if neither rule holds within ``max_iter`` iterations.

    References:
        Howard, *Dynamic Programming and Markov Processes* (1960); Puterman (1994), §6.4.

    Example:
        >>> from jaxecon.mdp import create_mdp
        >>> mdp = create_mdp(r=[[0.0, 1.0]], P=[[[1.0], [1.0]]], beta=0.5)
        >>> int(howard_policy_iteration(mdp).sigma[0])
        1
    """
    _check_options(tol, max_iter)
    out = _hpi(model, _start(model, v_init), tol, max_iter)
    return _check("howard_policy_iteration", out, tol, max_iter)


def optimistic_policy_iteration(model, *, m: int = 10, v_init=None, tol: float = 1e-5,
                                max_iter: int = 10_000) -> Solution:
    """Optimistic policy iteration: v_{k+1} = T_{σ_k}^m v_k with σ_k greedy for v_k.

    Stops when ‖T v_k − v_k‖_∞ ≤ tol. It converges for every m ≥ 1; m = 1 is VFI and a
    large m approaches HPI. ``m`` is traced: a sweep over m compiles once.

    Args:
        model: an :class:`~jaxecon.mdp.MDP` or any model with registered operators.
        m: applications of T_σ per step, an integer ≥ 1.
        v_init: v_0, shape of the state space; zeros if None.
        tol: tolerance on the Bellman residual, ≥ 0.
        max_iter: the most iterations, ≥ 1; it sizes ``errors``.

    Returns:
        A :class:`Solution`.

    Raises:
        ValueError: for ``m`` < 1, a negative ``tol``, ``max_iter`` < 1 or a mis-shaped
            ``v_init``.
        RuntimeError: if the tolerance is not met within ``max_iter`` iterations.

    References:
        Puterman (1994), §6.5 (modified policy iteration); Sargent & Stachurski, vol. 1.

    Example:
        >>> from jaxecon.mdp import create_mdp
        >>> mdp = create_mdp(r=[[0.0, 1.0]], P=[[[1.0], [1.0]]], beta=0.5)
        >>> round(float(optimistic_policy_iteration(mdp, m=5, tol=1e-10).v[0]), 6)
        2.0
    """
    if isinstance(m, bool) or not isinstance(m, int) or m < 1:
        raise ValueError(f"`m` must be an integer ≥ 1; got {m!r}.")
    _check_options(tol, max_iter)
    out = _opi(model, _start(model, v_init), tol, m, max_iter)
    return _check("optimistic_policy_iteration", out, tol, max_iter)


#: Short names for the three algorithms.
vfi = value_function_iteration
hpi = howard_policy_iteration
opi = optimistic_policy_iteration
