"""The memory-frugal Bellman operators of the optimal savings model.

A stored-utility step reads u(w, y, w') from an array of w_size² · y_size numbers, which
stops where memory does (115 GB at 12 000 × 100 in float64). These operators compute
u(R w + y − w') inside the step instead, its form fixed in Python from the model's
static γ (:func:`jaxecon.crra.crra_utility_static`), so that under ``jit`` XLA fuses the
utility, the expectation and the max over w' into one loop and no (w, y, w') array is
ever stored: memory O(w_size · y_size). :func:`savings_maximize_frugal` gives the greedy
policy and T v together with the same fused max, block by block over w', since an
argmax over the fused expression would cost several times a max. For γ = 1 and γ = 2,
:func:`savings_max_frugal` computes T v one choice at a time instead (its loop unrolled),
so that ln c runs vectorised (:func:`jaxecon.crra.log_normal`). A model built with
``create_savings_model(utility="frugal")`` uses them in every solver.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from jaxecon.crra import crra_utility_static, log_normal
from jaxecon.mdp import Operators, iterative_evaluation
from jaxecon.savings import SavingsModel, _state_shape, consumption

__all__ = ["savings_action_values_frugal", "savings_policy_operator_frugal",
           "savings_maximize_frugal", "savings_max_frugal", "FRUGAL_OPERATORS"]

#: Choices w' per pass of :func:`savings_max_frugal`'s loop over the states.
UNROLL = 10


def savings_action_values_frugal(v, model: SavingsModel):
    """B(w, y, w') = u(R w + y − w') + β Σ_{y'} v(w', y') Q(y, y'), u computed in the step.

    u's form is fixed in Python from the static γ (:func:`crra_utility_static`); under
    ``jit`` a max or argmax over w' fuses with this expression into one loop, so no
    (w, y, w') array is ever stored: memory O(w_size · y_size) instead of w_size² · y_size.

    Example:
        >>> from jaxecon.savings import create_savings_model, savings_action_values
        >>> m = create_savings_model(w_size=20, y_size=5, utility="frugal")
        >>> v = jnp.zeros((20, 5))
        >>> stored = create_savings_model(w_size=20, y_size=5, utility="stored")
        >>> bool(jnp.all(savings_action_values_frugal(v, m) == savings_action_values(v, stored)))
        True
    """
    # One barrier holds E[v(w', y') | y] in memory (as _expected_value does) and ties the
    # grids to v, so that XLA cannot hoist u(w, y, w') out of a solver's loop and store it.
    w, y, expected = jax.lax.optimization_barrier((model.w_grid, model.y_grid, v @ model.Q.T))
    c = model.R * w[:, None, None] + y[None, :, None] - w[None, None, :]
    return crra_utility_static(c, model.gamma) + model.beta * expected.T[None, :, :]


def savings_policy_operator_frugal(v, sigma, model: SavingsModel):
    """(T_σ v)(w, y) as :func:`savings_policy_operator`, u(c_σ) computed, not read."""
    expected = v @ model.Q.T  # E[v(w', y') | y], shape (w', y)
    continuation = jnp.take_along_axis(expected, sigma, axis=0)
    reward = crra_utility_static(consumption(sigma, model), model.gamma)
    return reward + model.beta * continuation


def savings_maximize_frugal(v, model: SavingsModel):
    """(σ, T v): the greedy policy and T v = max_{w'} B(·, ·, w'), one fused max per block.

    The choices w' are split into about √w_size blocks of about √w_size. A loop over the
    blocks keeps, for every state, the best value so far and the block that holds it (a
    later block wins only if strictly better); a second loop over the choices of that
    block finds σ, the lowest index that attains the block's maximum. The work is one
    pass over (w, y, w') plus w_size · y_size · √w_size; the memory O(w_size · y_size).

    Returns:
        ``(sigma, t_v)``: σ as indices of w', and T v, each shape (w_size, y_size).
    """
    w_size, y_size = model.w_grid.shape[0], model.y_grid.shape[0]
    size = math.isqrt(w_size - 1) + 1  # choices per block, ⌈√w_size⌉
    blocks = -(-w_size // size)
    pad = blocks * size - w_size  # padded choices: w' = +∞, so c = −∞ and u = −∞
    choices = jnp.pad(model.w_grid, (0, pad), constant_values=jnp.inf)
    expected = jnp.pad(v @ model.Q.T, ((0, pad), (0, 0)))  # E[v(w', y') | y], (w', y)
    wealth = model.R * model.w_grid[:, None] + model.y_grid[None, :]  # R w + y, (w, y)

    def block_max(b, best):
        start = b * size
        w_next = jax.lax.dynamic_slice_in_dim(choices, start, size)
        e_next = jax.lax.dynamic_slice_in_dim(expected, start, size)
        u = crra_utility_static(wealth[:, :, None] - w_next[None, None, :], model.gamma)
        value = jnp.max(u + model.beta * e_next.T[None, :, :], axis=-1)
        better = value > best[0]
        return jnp.where(better, value, best[0]), jnp.where(better, b, best[1])

    start = (jnp.full((w_size, y_size), -jnp.inf, wealth.dtype),
             jnp.zeros((w_size, y_size), jnp.int32))
    t_v, block = jax.lax.fori_loop(0, blocks, block_max, start)

    def choice_max(k, best):
        index = block * size + k
        u = crra_utility_static(wealth - choices[index], model.gamma)
        value = u + model.beta * jnp.take_along_axis(expected, index, axis=0)
        better = value > best[0]
        return jnp.where(better, value, best[0]), jnp.where(better, index, best[1])

    _, sigma = jax.lax.fori_loop(0, size, choice_max, (start[0], block * size))
    return sigma, t_v


def savings_max_frugal(v, model: SavingsModel):
    """T v = max_{w'} B(·, ·, w'), for γ = 1 or 2 by a loop over w' that holds only T v so far.

    Under ``jit`` a max over w' of :func:`savings_action_values_frugal` is one fused
    reduction, but XLA on a CPU computes its float64 ``log`` with a scalar library call
    per element, several times the cost of reading a stored u. This loop updates
    best(w, y) ← max(best, u(R w + y − w') + β E[v(w', y') | y]) for one w' after
    another, ``UNROLL`` w' per pass, each pass an elementwise loop over the states in which
    u = ln c is :func:`jaxecon.crra.log_normal` (SIMD) and u = −1/c one division. Other γ
    (a general power, exp(γ' ln c)) take the fused max. Memory O(w_size · y_size).

    Example:
        >>> from jaxecon.savings import create_savings_model
        >>> from jaxecon.mdp import action_values
        >>> m = create_savings_model(w_size=20, y_size=5, gamma=1.0, utility="frugal")
        >>> v = jnp.zeros((20, 5))
        >>> t_v = jnp.max(action_values(v, m), axis=-1)  # by XLA's log
        >>> # the two logs agree to a few ε of |ln c| < 2: absolutely, as ln c nears 0
        >>> bool(jnp.allclose(savings_max_frugal(v, m), t_v, rtol=0, atol=1e-14))
        True
    """
    gamma = float(model.gamma)
    if gamma not in (1.0, 2.0):
        return jnp.max(savings_action_values_frugal(v, model), axis=-1)
    w_size, y_size = _state_shape(model)
    discounted = model.beta * (v @ model.Q.T)  # β E[v(w', y') | y], shape (w', y)
    wealth = model.R * model.w_grid[:, None] + model.y_grid[None, :]  # R w + y, (w, y)

    def one_choice(k, best):
        c = wealth - model.w_grid[k]
        if gamma == 1.0:  # ln c, −∞ where c ≤ 0; log_normal(c) is meaningless there
            u = jnp.where(c > 0.0, log_normal(c), -jnp.inf)
        else:  # −1/c at max(c, 0): −∞ at 0 without a select
            u = -1.0 / jnp.maximum(c, 0.0)
        return jnp.maximum(best, u + discounted[k][None, :])

    start = jnp.full((w_size, y_size), -jnp.inf, wealth.dtype)
    return jax.lax.fori_loop(0, w_size, one_choice, start, unroll=UNROLL)


#: The operators of a model with ``utility="frugal"``, registered through its type.
FRUGAL_OPERATORS = Operators(savings_action_values_frugal, savings_policy_operator_frugal,
                             iterative_evaluation, _state_shape, savings_maximize_frugal,
                             savings_max_frugal)
