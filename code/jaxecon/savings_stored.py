"""The optimal savings model with its utility array stored: u(w, y, w') read, not computed.

A :class:`StoredSavingsModel` wraps a :class:`~jaxecon.savings.SavingsModel` with the
array u(R w + y − w') of every (w, y, w'), w_size² · y_size numbers computed once by
:func:`store_utility`. Its Bellman step reads u, one read per element, instead of
computing it; the array must fit in memory (115 GB at 12 000 × 100 in float64). A
distributed solve splits u along wealth. The ``vmap`` and traced-γ versions of the step
are here too: the lectures compare them with the stored and the computed step.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from jaxecon.checks import check_integer
from jaxecon.crra import MEMORY_BUDGET_BYTES, crra_utility, stored_utility_bytes, utility_array
from jaxecon.mdp import Operators, iterative_evaluation, model_operators
from jaxecon.savings import SavingsModel, _continuation
from jaxecon.savings import _state_shape as _model_state_shape

__all__ = [
    "StoredSavingsModel", "store_utility", "stored_action_values", "stored_policy_operator",
    "savings_action_values_vmap", "savings_bellman_vmap", "savings_action_values_inline",
]


class StoredSavingsModel(NamedTuple):
    """A savings model and its utility array; build it with :func:`store_utility`.

    u is computed from the wrapped ``model`` when it is stored, so a changed model needs
    a new u: change the model, then call :func:`store_utility` again.
    """

    model: SavingsModel  # R, β, γ, the grids and Q
    u: jax.Array  # u(R w + y − w') of every (w, y, w'), −∞ where c ≤ 0, (w, y, w')


def store_utility(model: SavingsModel, *,
                  memory_budget_bytes: int = MEMORY_BUDGET_BYTES) -> StoredSavingsModel:
    """The model with u(R w + y − w') computed once and stored, if it fits the budget.

    Args:
        model: the savings model, from :func:`~jaxecon.savings.create_savings_model`.
        memory_budget_bytes: the most bytes u may take, ≥ 1 (2 GiB by default).

    Raises:
        ValueError: if ``memory_budget_bytes`` is not an integer ≥ 1, or if u, w_size² ·
            y_size numbers, would not fit in it (the message gives the bytes needed).

    Example:
        >>> from jaxecon.savings import create_savings_model
        >>> store_utility(create_savings_model(w_size=20, y_size=5)).u.shape
        (20, 5, 20)
    """
    budget = check_integer("memory_budget_bytes", memory_budget_bytes)
    w_size, y_size = model.w_grid.shape[0], model.y_grid.shape[0]
    size = stored_utility_bytes(w_size, y_size, model.w_grid.dtype.itemsize)
    if size > budget:
        raise ValueError(
            f"`memory_budget_bytes` must hold u(w, y, w') on a {w_size} × {y_size} grid, "
            f"{size:,} bytes; got {budget:,}: solve the model itself (u computed in each "
            "step) or raise the budget.")
    return StoredSavingsModel(model, utility_array(model.R, model.gamma, model.w_grid,
                                                   model.y_grid))


def _expected_value(v, model: SavingsModel):
    """E[v(w', y') | y] = Σ_{y'} v(w', y') Q(y, y'), shape (w', y), held in memory.

    The barrier keeps XLA on CPU from fusing this small matrix product into the loop
    over (w, y, w'), which would recompute each expectation w_size times.
    """
    return jax.lax.optimization_barrier(v @ model.Q.T)


def stored_action_values(v, stored: StoredSavingsModel):
    """B(w, y, w') = u(w, y, w') + β Σ_{y'} v(w', y') Q(y, y'), u read from the array.

    Args:
        v: value function v(w, y), shape (w_size, y_size).
        stored: the model and its utility array.

    Returns:
        B, shape (w_size, y_size, w_size); −∞ where consumption would not be positive.
    """
    expected = _expected_value(v, stored.model)  # E[v(w', y') | y], shape (w', y)
    return stored.u + stored.model.beta * expected.T[None, :, :]


def stored_policy_operator(v, sigma, stored: StoredSavingsModel):
    """(T_σ v)(w, y) = u(w, y, σ(w, y)) + β Σ_{y'} v(σ(w, y), y') Q(y, y'), u read."""
    reward = jnp.take_along_axis(stored.u, sigma[:, :, None], axis=2)[:, :, 0]
    return reward + stored.model.beta * _continuation(v, sigma, stored.model)


def _action_values_at(i_w, i_y, v, stored: StoredSavingsModel):
    """B(w_i, y_j, ·) for one state, shape (w_size,): the scalar-state version."""
    return stored.u[i_w, i_y] + stored.model.beta * (v @ stored.model.Q[i_y])


def savings_action_values_vmap(v, stored: StoredSavingsModel):
    """B(w, y, w') as :func:`stored_action_values`, written for one state and ``vmap``-ed."""
    at_y = jax.vmap(_action_values_at, in_axes=(None, 0, None, None))
    at_wy = jax.vmap(at_y, in_axes=(0, None, None, None))
    w_size, y_size = _state_shape(stored)
    return at_wy(jnp.arange(w_size), jnp.arange(y_size), v, stored)


def savings_bellman_vmap(v, stored: StoredSavingsModel):
    """T v = max_{w'} B(·, ·, w') with the ``vmap`` version of B; shape (w_size, y_size)."""
    return jnp.max(savings_action_values_vmap(v, stored), axis=-1)


def savings_action_values_inline(v, model: SavingsModel, gamma=None):
    """B(w, y, w') of a :class:`SavingsModel`, u(c) by :func:`crra_utility`, γ maybe traced.

    Pass ``gamma`` as an argument of the jitted caller to keep γ traced: every element
    then pays for both the ``log`` and the power branch.
    """
    w, y, gamma = model.w_grid, model.y_grid, model.gamma if gamma is None else gamma
    c = model.R * w[:, None, None] + y[None, :, None] - w[None, None, :]
    return crra_utility(c, gamma) + model.beta * _expected_value(v, model).T[None, :, :]


def _state_shape(stored: StoredSavingsModel) -> tuple[int, int]:
    return _model_state_shape(stored.model)


#: The operators of :class:`StoredSavingsModel`; a distributed solve splits u by wealth.
STORED_OPERATORS = Operators(stored_action_values, stored_policy_operator,
                             iterative_evaluation, _state_shape, split_fields=("u",))

model_operators.register(StoredSavingsModel, lambda model: STORED_OPERATORS)
