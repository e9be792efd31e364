"""A small, general layer for finite Markov decision processes in JAX.

A finite MDP has states x, actions a ∈ Γ(x), rewards r(x, a), a transition kernel
P(x, a, x') and a discount factor β ∈ (0, 1). Everything the solvers need follows from
the **right-hand side** of the Bellman equation, the action values

    B(x, a, v) = r(x, a) + β Σ_{x'} v(x') P(x, a, x'),

(with r = −∞ off Γ(x)) and from the policy operator T_σ v = B(·, σ(·), v). A model
given by arrays ``r`` and ``P`` is an :class:`MDP`; a model whose P is too large to
store (optimal savings, job search) supplies its own B and T_σ instead, registered with
:func:`model_operators`, and every function here and in ``solvers`` then works on it
unchanged. The Bellman operator T v = max_a B(·, a, v) and each T_σ are β-contractions
in the sup norm; v_σ, the value of σ, is the fixed point of T_σ, which for an affine
T_σ solves (I − β P_σ) v = r_σ (Sargent & Stachurski, *Dynamic Programming*, vol. 1).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.sparse.linalg import bicgstab

from jaxecon.checks import (
    check_integer,
    check_open_unit,
    check_stochastic,
)

__all__ = [
    "MDP", "Operators", "create_mdp", "random_mdp", "model_operators", "action_values",
    "bellman_operator", "greedy_policy", "policy_operator", "policy_value_exact",
    "policy_value_iterative", "exact_evaluation", "iterative_evaluation", "mdp_action_values",
    "mdp_policy_operator",
]


class MDP(NamedTuple):
    """A finite MDP given by its arrays; build it with :func:`create_mdp`."""

    r: jax.Array  # r(x, a), rewards, shape (n, m); −∞ where a ∉ Γ(x)
    P: jax.Array  # P(x, a, x'), transition probabilities, shape (n, m, n)
    beta: float  # β, discount factor


class Operators(NamedTuple):
    """How a model plugs into the solvers: four pure functions of the model, and the
    fields a distributed solve splits along the state axis (the rest are replicated)."""

    action_values: Callable  # (v, model) -> B(x, a, v), shape (*states, actions)
    policy_operator: Callable  # (v, sigma, model) -> T_σ v, shape of v
    policy_value: Callable  # (sigma, model, v_guess) -> v_σ, shape of v
    state_shape: Callable  # model -> the shape of v, read from array shapes
    split_fields: tuple[str, ...] = ()  # fields whose leading axis is the state axis


def create_mdp(*, r, P, beta: float) -> MDP:
    """Build a validated :class:`MDP` from rewards and transition probabilities.

    Args:
        r: rewards r(x, a), shape (n, m); ``-inf`` marks an infeasible action.
        P: transition probabilities P(x, a, x'), shape (n, m, n); each row sums to 1.
        beta: discount factor β, in (0, 1).

    Returns:
        The model with ``r`` and ``P`` as float arrays of JAX's default float dtype.

    Raises:
        ValueError: for β ∉ (0, 1), mismatched shapes, a state with no feasible action,
            or a row of ``P`` that is not a probability vector.

    Example:
        >>> mdp = create_mdp(r=[[0.0, 1.0], [2.0, -np.inf]],
        ...                  P=[[[1, 0], [0, 1]], [[1, 0], [0, 1]]], beta=0.9)
        >>> mdp.P.shape
        (2, 2, 2)
    """
    check_open_unit("beta", beta)
    r, P = np.asarray(r, dtype=float), np.asarray(P, dtype=float)
    if r.ndim != 2 or r.shape[0] < 1 or r.shape[1] < 1:
        raise ValueError(f"`r` must have shape (n, m) with n, m ≥ 1; got {r.shape}.")
    n, m = r.shape
    if P.shape != (n, m, n):
        raise ValueError(f"`P` must have shape {(n, m, n)}; got {P.shape}.")
    if np.any(np.isnan(r)) or np.any(r == np.inf):
        raise ValueError("`r` must be finite or -inf; got NaN or +inf.")
    empty = np.flatnonzero(np.all(r == -np.inf, axis=1))
    if empty.size:
        raise ValueError(f"`r` row {empty[0]} has no feasible action (every entry is -inf).")
    check_stochastic("P", P)
    dtype = jnp.result_type(float)
    return MDP(r=jnp.asarray(r, dtype), P=jnp.asarray(P, dtype), beta=float(beta))


def random_mdp(*, key, n: int, m: int, beta: float, feasible: float = 0.7) -> MDP:
    """A random MDP for experiments and tests.

    Rewards are N(0, 1); each action other than action 0 is feasible with probability
    ``feasible`` (r = −∞ otherwise); each row P(x, a, ·) is a Dirichlet(1, …, 1) draw,
    drawn as n independent Exp(1) variables divided by their sum (the same law as
    ``jax.random.dirichlet``'s, without its gamma sampler, which takes seconds to compile).

    Args:
        key: a JAX PRNG key.
        n: number of states, at least 1.
        m: number of actions, at least 1.
        beta: discount factor β, in (0, 1).
        feasible: probability that an action other than 0 is feasible, in [0, 1].

    Example:
        >>> random_mdp(key=jax.random.key(0), n=5, m=2, beta=0.9).r.shape
        (5, 2)
    """
    check_integer("n", n)
    check_integer("m", m)
    if not 0.0 <= feasible <= 1.0:
        raise ValueError(f"`feasible` must be in [0, 1]; got {feasible!r}.")
    k_r, k_f, k_p = jax.random.split(key, 3)
    allowed = (jax.random.uniform(k_f, (n, m)) < feasible).at[:, 0].set(True)
    r = jnp.where(allowed, jax.random.normal(k_r, (n, m)), -jnp.inf)
    P = np.asarray(jax.random.exponential(k_p, (n, m, n)), dtype=float)  # Dirichlet(1)
    return create_mdp(r=r, P=P / P.sum(axis=-1, keepdims=True), beta=beta)


def mdp_action_values(v, mdp: MDP):
    """B(x, a, v) = r(x, a) + β Σ_{x'} v(x') P(x, a, x'), shape (n, m)."""
    return mdp.r + mdp.beta * (mdp.P @ v)


def mdp_policy_operator(v, sigma, mdp: MDP):
    """(T_σ v)(x) = r(x, σ(x)) + β Σ_{x'} v(x') P(x, σ(x), x'), shape (n,)."""
    r_sigma = jnp.take_along_axis(mdp.r, sigma[:, None], axis=1)[:, 0]
    P_sigma = jnp.take_along_axis(mdp.P, sigma[:, None, None], axis=1)[:, 0, :]
    return r_sigma + mdp.beta * (P_sigma @ v)


@functools.singledispatch
def model_operators(model) -> Operators:
    """The :class:`Operators` of a model, chosen by its type.

    A model module registers its operators once, e.g.
    ``model_operators.register(SavingsModel, lambda model: SAVINGS_OPERATORS)``;
    the generic functions of this module and the solvers then accept the model.

    Raises:
        TypeError: if no operators are registered for ``type(model)``.
    """
    raise TypeError(f"no operators are registered for {type(model).__name__}; "
                    "register them with jaxecon.mdp.model_operators.register")


def action_values(v, model):
    """B(x, a, v) = r(x, a) + β E[v(x') | x, a], shape (*states, actions)."""
    return model_operators(model).action_values(v, model)


@jax.jit
def bellman_operator(v, model):
    """The Bellman operator of any registered model.

        (T v)(x) = max_{a ∈ Γ(x)} { r(x, a) + β Σ_{x'} v(x') P(x, a, x') }

    Args:
        v: a value function, shape of the state space (states on the leading axes).
        model: an :class:`MDP` or any model with registered :class:`Operators`.

    Returns:
        T v, the shape of ``v``.

    References:
        Sargent & Stachurski, *Dynamic Programming*, vol. 1, ch. 5.

    Example:
        >>> mdp = create_mdp(r=[[0.0, 1.0]], P=[[[1.0], [1.0]]], beta=0.5)
        >>> float(bellman_operator(jnp.zeros(1), mdp)[0])
        1.0
    """
    return jnp.max(action_values(v, model), axis=-1)


@jax.jit
def greedy_policy(v, model):
    """A v-greedy policy: σ(x) ∈ argmax_{a ∈ Γ(x)} B(x, a, v), the lowest index on ties.

    Args:
        v: a value function, shape of the state space.
        model: an :class:`MDP` or any model with registered :class:`Operators`.

    Returns:
        σ as action indices, the shape of ``v``.
    """
    return jnp.argmax(action_values(v, model), axis=-1)


@jax.jit
def policy_operator(v, sigma, model):
    """The policy operator T_σ v = r_σ + β P_σ v of any registered model.

    Args:
        v: a value function, shape of the state space.
        sigma: a feasible policy σ (action indices), the shape of ``v``.
        model: an :class:`MDP` or any model with registered :class:`Operators`.

    Returns:
        T_σ v, the shape of ``v``.
    """
    return model_operators(model).policy_operator(v, sigma, model)


@jax.jit
def policy_value_exact(sigma, model):
    """The value of σ by one dense linear solve.

        v_σ = (I − β P_σ)^{-1} r_σ,   r_σ = T_σ 0,   β P_σ = the Jacobian of T_σ

    T_σ is affine, so ``jax.jacfwd`` gives β P_σ exactly without the model building it;
    the cost is O(n³) in the number of states n: use it for small models.

    Args:
        sigma: a feasible policy σ (action indices), shape of the state space.
        model: any model whose T_σ is affine in v.

    Returns:
        v_σ, the shape of ``sigma``.

    References:
        Puterman, *Markov Decision Processes* (1994), Thm. 6.1.1.
    """
    zero = jnp.zeros(sigma.shape, dtype=jnp.result_type(float))
    n = zero.size
    r_sigma = policy_operator(zero, sigma, model)
    beta_P = jax.jacfwd(policy_operator)(zero, sigma, model).reshape(n, n)
    return jnp.linalg.solve(jnp.eye(n) - beta_P, r_sigma.reshape(n)).reshape(sigma.shape)


@jax.jit
def policy_value_iterative(sigma, model, *, v_init=None, tol: float = 1e-12):
    """The value of σ matrix-free: BiCGSTAB on (I − β P_σ) d = T_σ v₀ − v₀, v_σ = v₀ + d.

    Only products β P_σ d are needed, and ``jax.linearize`` gets them from T_σ itself,
    so P_σ is never built: the cost per product is one application of T_σ. One step of
    iterative refinement follows (the true residual b − A d recomputed and solved for to
    1e-4 of itself): it removes the rounding BiCGSTAB's recurrences accumulate, so v_σ is
    within float64 rounding of the dense solve's, summed in any order (on any devices).
    For a T_σ that is not affine this is one Newton step from v₀.

    Args:
        sigma: a feasible policy σ (action indices), shape of the state space.
        model: any model whose T_σ is affine in v.
        v_init: the starting guess v₀ (zeros if None); a good guess saves iterations.
        tol: the first solve stops when the residual's 2-norm is below ``tol`` ‖T_σ v₀‖₂,
            a tolerance relative to the size of the values rather than of the correction.

    Returns:
        v_σ, the shape of ``sigma``; NaN if the solve failed (its final residual above
        1000 ``tol`` ‖T_σ v₀‖₂).
    """
    v0 = jnp.zeros(sigma.shape) if v_init is None else v_init
    t_v0, beta_P = jax.linearize(lambda v: policy_operator(v, sigma, model), v0)
    a_times, b, n = (lambda d: d - beta_P(d)), t_v0 - v0, 10 * v0.size  # A d = (I − β P_σ) d
    scale = jnp.linalg.norm(t_v0)
    d, _ = bicgstab(a_times, b, tol=0.0, atol=tol * scale, maxiter=n)
    d = d + bicgstab(a_times, b - a_times(d), tol=1e-4, maxiter=n)[0]  # the true residual
    # JAX's bicgstab reports nothing: a solve that stalled or broke down (its residual
    # still above 1000 tol ‖T_σ v₀‖₂) gives NaN, which stops a solver's loop unconverged.
    solved = jnp.linalg.norm(b - a_times(d)) <= 1e3 * tol * scale
    return jnp.where(solved, v0 + d, jnp.nan)


def exact_evaluation(sigma, model, v_guess):
    """The ``policy_value`` of :class:`Operators` for small affine models (ignores the guess)."""
    return policy_value_exact(sigma, model)


def iterative_evaluation(sigma, model, v_guess):
    """The ``policy_value`` of :class:`Operators` for large affine models, from the guess."""
    return policy_value_iterative(sigma, model, v_init=v_guess)


def _mdp_state_shape(mdp: MDP) -> tuple[int, ...]:
    return mdp.r.shape[:1]


def _mdp_operators(model: MDP) -> Operators:
    return Operators(mdp_action_values, mdp_policy_operator, exact_evaluation, _mdp_state_shape,
                     split_fields=("r", "P"))


model_operators.register(MDP, _mdp_operators)
