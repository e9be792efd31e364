"""The three dynamic-programming algorithms, in ``lax.while_loop``.

The generic fixed-point solvers they build on are in :mod:`jaxecon.fixed_point`. The
DP algorithms work on any model with registered operators
(see :mod:`jaxecon.mdp`): value function iteration (VFI) is successive approximation
of the Bellman operator T; Howard policy iteration (HPI) alternates exact evaluation
v_σ with greedy improvement, ends in finitely many steps and is Newton's method on T;
optimistic policy iteration (OPI) replaces the evaluation by m steps of T_σ, so m = 1
is VFI and m → ∞ is HPI (Sargent & Stachurski, *Dynamic Programming*, vol. 1, ch. 5;
Puterman, *Markov Decision Processes*, ch. 6).

Every solver returns an info record with the error at every iteration; the public
entry points raise ``RuntimeError`` when the iteration did not converge. Their jitted
loops, :func:`vfi_core`, :func:`hpi_core` and :func:`opi_core`, never raise: call them
inside other jitted code, or to lower and compile a solve ahead of time. ``max_iter``
is static because it sizes that history; ``tol`` and ``m`` are traced, so changing
them compiles nothing.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp

from jaxecon.checks import check_array, check_integer
from jaxecon.fixed_point import (
    check_options,
    finish,
    iterate,
    successive_approximation_core,
    sup_norm,
)
from jaxecon.mdp import bellman_operator, greedy_policy, model_operators, policy_operator

__all__ = [
    "Solution", "value_function_iteration", "howard_policy_iteration",
    "optimistic_policy_iteration",
    "vfi", "hpi", "opi", "vfi_core", "hpi_core", "opi_core",
    "TOL", "VFI_MAX_ITER", "HPI_MAX_ITER",
]

#: The solvers' default tolerance on ‖T v − v‖_∞, and their default iteration caps (a cap
#: also sizes the NaN-padded history of errors a solve returns).
TOL, VFI_MAX_ITER, HPI_MAX_ITER = 1e-5, 10_000, 1_000


class Solution(NamedTuple):
    """What a DP solver returns; a pytree, so jitted code can return it."""

    v: jax.Array  # v, the value function, shape of the state space
    sigma: jax.Array  # σ, a v-greedy policy (action indices), shape of v
    num_iter: int  # iterations performed
    error: float  # last error: the sup-norm Bellman residual ‖T v_k − v_k‖
    converged: bool  # the stopping rule held within max_iter iterations
    errors: jax.Array  # the error of every iteration, NaN-padded to shape (max_iter,)


def _greedy_and_max(v, model):
    """σ = argmax_a B(·, a, v) and T v = T_σ v = max_a B(·, a, v).

    T v is read at σ by the policy operator rather than by a second reduction of B, so
    that B, fused into the argmax, is never held: memory O(states) for a model that
    computes B in its step.
    """
    sigma = greedy_policy(v, model)
    return sigma, policy_operator(v, sigma, model)


@partial(jax.jit, static_argnames="max_iter")
def vfi_core(model, v_init, tol, max_iter: int) -> Solution:
    """The jittable loop of :func:`value_function_iteration`: arrays out, never raises.

        v_{k+1} = T v_k   until ‖v_{k+1} − v_k‖_∞ ≤ tol,   σ greedy for the last v

    Args:
        model: an :class:`~jaxecon.mdp.MDP` or any model with registered operators.
        v_init: v_0, a float array of the state space's shape.
        tol: tolerance on the sup-norm step (traced).
        max_iter: the most iterations (static; it sizes ``errors``).

    Returns:
        A :class:`Solution` of arrays; ``converged`` is False if ``max_iter`` ran out.
    """
    out = successive_approximation_core(bellman_operator, v_init, model, tol, max_iter)
    return Solution(out.x, greedy_policy(out.x, model), out.num_iter, out.error,
                    out.converged, out.errors)


@partial(jax.jit, static_argnames="max_iter")
def hpi_core(model, v_init, tol, max_iter: int) -> Solution:
    """The jittable loop of :func:`howard_policy_iteration`: arrays out, never raises.

        v_k = v_{σ_k} = (I − β P_{σ_k})^{-1} r_{σ_k},   σ_{k+1} greedy for v_k,

    from σ_0 greedy for ``v_init``, until σ_{k+1} = σ_k or ‖T v_k − v_k‖_∞ ≤ tol;
    ``converged`` only when that residual is at most ``tol``. Each evaluation is the
    model's registered ``policy_value``, started from T v_{k−1} = T_{σ_k} v_{k−1}.

    Args:
        model: an :class:`~jaxecon.mdp.MDP` or any model with registered operators.
        v_init: v_0, a float array of the state space's shape.
        tol: tolerance on the Bellman residual (traced).
        max_iter: the most iterations (static; it sizes ``errors``).

    Returns:
        A :class:`Solution` of arrays: ``v`` the last policy value, ``sigma`` greedy for it.
    """
    evaluate = model_operators(model).policy_value
    def step(x):
        _, t_v, sigma = x  # t_v = T v_{k−1} = T_σ v_{k−1}: a good first guess for v_σ
        v_sigma = evaluate(sigma, model, t_v)
        sigma_new, t_v_new = _greedy_and_max(v_sigma, model)
        error = sup_norm(t_v_new - v_sigma)
        stop = jnp.all(sigma_new == sigma) | (error <= tol)  # converged: error ≤ tol only
        return (v_sigma, t_v_new, sigma_new), error, stop

    sigma, t_v = _greedy_and_max(v_init, model)
    s = iterate(step, (v_init, t_v, sigma), max_iter, v_init.dtype)
    v, _, sigma = s.x
    return Solution(v, sigma, s.i, s.error, s.error <= tol, s.errors)


@partial(jax.jit, static_argnames="max_iter")
def opi_core(model, v_init, tol, m, max_iter: int) -> Solution:
    """The jittable loop of :func:`optimistic_policy_iteration`: arrays out, never raises.

        σ_k greedy for v_k,   v_{k+1} = T_{σ_k}^m v_k   until ‖T v_k − v_k‖_∞ ≤ tol

    Args:
        model: an :class:`~jaxecon.mdp.MDP` or any model with registered operators.
        v_init: v_0, a float array of the state space's shape.
        tol: tolerance on the Bellman residual (traced).
        m: applications of T_σ per iteration, ≥ 1 (traced).
        max_iter: the most iterations (static; it sizes ``errors``).

    Returns:
        A :class:`Solution` of arrays; ``converged`` is False if ``max_iter`` ran out.
    """
    T_sigma = model_operators(model).policy_operator

    def step(v):
        sigma, t_v = _greedy_and_max(v, model)  # T_σ v = T v for the greedy σ
        v_new = jax.lax.fori_loop(1, m, lambda _, w: T_sigma(w, sigma, model), t_v)
        error = sup_norm(t_v - v)
        return v_new, error, error <= tol

    s = iterate(step, v_init, max_iter, v_init.dtype)
    return Solution(s.x, greedy_policy(s.x, model), s.i, s.error, s.done, s.errors)


def _start(model, v_init):
    """v_init as a float array, or zeros of the model's state shape."""
    shape = model_operators(model).state_shape(model)
    if v_init is None:
        return jnp.zeros(shape, jnp.result_type(float))
    check_array("v_init", v_init, shape)
    return jnp.asarray(v_init, jnp.result_type(float))


def value_function_iteration(model, *, v_init=None, tol: float = TOL,
                             max_iter: int = VFI_MAX_ITER) -> Solution:
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
    check_options(tol, max_iter)
    out = vfi_core(model, _start(model, v_init), tol, int(max_iter))
    return finish("value_function_iteration", out, tol, max_iter)


def howard_policy_iteration(model, *, v_init=None, tol: float = TOL,
                            max_iter: int = HPI_MAX_ITER) -> Solution:
    """Howard policy iteration: σ_{k+1} greedy for v_{σ_k}, until the policy repeats.

    Each step evaluates σ_k exactly (or, for large models, by a matrix-free solve) and
    improves it; on a finite MDP it ends in finitely many steps at an exact fixed point
    of T. It is Newton's method on T, so the residual ‖T v_k − v_k‖ falls quadratically
    near the end. It stops once that residual is at most ``tol`` (converged) or the
    policy repeats; a repeated policy whose residual is still above ``tol`` (a ``tol``
    below the rounding of its evaluation) is not converged.

    Args:
        model: an :class:`~jaxecon.mdp.MDP` or any model with registered operators.
        v_init: v_0, whose greedy policy is σ_0; zeros if None.
        tol: converged once ‖T v_σ − v_σ‖_∞ ≤ tol, ≥ 0.
        max_iter: the most iterations, ≥ 1; it sizes ``errors``.

    Returns:
        A :class:`Solution`: ``v`` is the value of the last policy evaluated and ``sigma``
        is greedy for it (the same policy, once it repeats).

    Raises:
        ValueError: for a negative ``tol``, ``max_iter`` < 1 or a mis-shaped ``v_init``.
        RuntimeError: if the residual is not within ``tol`` when the policy repeats or
            after ``max_iter`` iterations, or if a policy evaluation failed.

    References:
        Howard, *Dynamic Programming and Markov Processes* (1960); Puterman (1994), §6.4.

    Example:
        >>> from jaxecon.mdp import create_mdp
        >>> mdp = create_mdp(r=[[0.0, 1.0]], P=[[[1.0], [1.0]]], beta=0.5)
        >>> int(howard_policy_iteration(mdp).sigma[0])
        1
    """
    check_options(tol, max_iter)
    out = hpi_core(model, _start(model, v_init), tol, int(max_iter))
    if not out.converged and int(out.num_iter) < max_iter and not jnp.isnan(out.error):
        raise RuntimeError(
            f"howard_policy_iteration: the policy repeated after {int(out.num_iter)} "
            f"iterations, but its Bellman residual {float(out.error):.1e} > tol={tol!r}, "
            "below what evaluating the policy in this precision reaches; loosen tol")
    return finish("howard_policy_iteration", out, tol, max_iter)


def optimistic_policy_iteration(model, *, m: int = 10, v_init=None, tol: float = TOL,
                                max_iter: int = VFI_MAX_ITER) -> Solution:
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
    m = check_integer("m", m)
    check_options(tol, max_iter)
    out = opi_core(model, _start(model, v_init), tol, m, int(max_iter))
    return finish("optimistic_policy_iteration", out, tol, max_iter)


#: Short names for the three algorithms.
vfi = value_function_iteration
hpi = howard_policy_iteration
opi = optimistic_policy_iteration
