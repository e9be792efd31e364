"""Optimal savings with Markov income: the model and its Bellman operators in JAX.

A household with wealth w and income y chooses next period's wealth w' on a grid, with
w' = R w + y − c and c > 0, to maximise E Σ_t β^t u(c_t), u(c) = c^{1−γ}/(1−γ). Income
is y = exp(z) for a Tauchen discretization of z' = ρ z + ν ε. The Bellman equation is

    v(w, y) = max_{w' ≤ R w + y} { u(R w + y − w') + β Σ_{y'} v(w', y') Q(y, y') },

a finite MDP with state (w, y) and action w', whose transition array P((w, y), w',
(w'', y')) = 1{w'' = w'} Q(y, y') would hold (w_size·y_size)² · w_size numbers. This
module never builds it: it registers the right-hand side B(w, y, w') directly, a pure
function of (v, model) whose leading axis is wealth, so placing the arrays with a
sharding is all it takes to spread a solve over devices (Sargent & Stachurski, *Dynamic
Programming*, vol. 1, ch. 5).
"""

from __future__ import annotations

import functools
import hashlib
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jaxecon.checks import check_integer, check_open_unit, check_positive, check_size
from jaxecon.crra import (
    MEMORY_BUDGET_BYTES,
    crra_utility,
    stored_utility_bytes,
    utility_array,
)
from jaxecon.markov import tauchen_chain
from jaxecon.mdp import Operators, iterative_evaluation, model_operators

__all__ = [
    "SavingsModel", "create_savings_model", "savings_action_values",
    "savings_action_values_vmap", "savings_action_values_inline",
    "savings_bellman_vmap", "savings_policy_operator", "consumption",
    "simulate_households",
]


class SavingsModel(NamedTuple):
    """The optimal savings model; build it with :func:`create_savings_model`.

    A pytree whose leaves are β, the grids, Q and u; R, γ and the choice of operator are
    static (compile-time) data, so the utility's form is fixed when a step compiles and a
    model whose u was derived from other R, γ or grids is refused (``ValueError``) by the
    operators, e.g. after ``model._replace(gamma=5.0)``.
    """

    R: float  # R, gross interest rate (static)
    beta: float  # β, discount factor
    gamma: float  # γ, coefficient of relative risk aversion (static)
    w_grid: jax.Array  # w, wealth grid, also the choices w', shape (w_size,)
    y_grid: jax.Array  # y, income states, shape (y_size,)
    Q: jax.Array  # Q(y, y'), income transition matrix, shape (y_size, y_size)
    u: jax.Array | None  # u(R w + y − w') of every (w, y, w'), −∞ where c ≤ 0; None if frugal
    utility: str = "stored"  # 'stored': read u; 'frugal': compute u(c) inside each step
    u_source: tuple | None = None  # (R, γ, digest of the grids) that u was computed from


jax.tree_util.register_pytree_node(
    SavingsModel,
    lambda m: ((m.beta, m.w_grid, m.y_grid, m.Q, m.u), (m.R, m.gamma, m.utility, m.u_source)),
    lambda aux, leaves: SavingsModel(aux[0], leaves[0], aux[1], *leaves[1:], *aux[2:]),
)


def create_savings_model(
    *, R: float = 1.01, beta: float = 0.98, gamma: float = 2.0, w_min: float = 0.01,
    w_max: float = 5.0, w_size: int = 150, rho: float = 0.9, nu: float = 0.1,
    y_size: int = 100, utility: str = "auto", memory_budget_bytes: int = MEMORY_BUDGET_BYTES,
) -> SavingsModel:
    """Build a validated :class:`SavingsModel`, income by ``quantecon.tauchen``.

    The Bellman step either reads a stored array u(w, y, w') of w_size² · y_size numbers
    (``utility="stored"``: one read per element, but the array must fit in memory) or
    computes u(R w + y − w') inside the fused step (``"frugal"``: memory O(w_size ·
    y_size)); ``"auto"`` stores u when it fits in ``memory_budget_bytes``.

    Args:
        R: gross interest rate R, positive.
        beta: discount factor β, in (0, 1).
        gamma: relative risk aversion γ, positive (γ = 1 is log utility).
        w_min: lowest wealth on the grid, ≥ 0.
        w_max: highest wealth on the grid, above ``w_min``.
        w_size: number of wealth points, at least 2.
        rho: autocorrelation ρ of log income, in (−1, 1).
        nu: standard deviation ν of the log income shock, positive.
        y_size: number of income states, at least 2.
        utility: ``"stored"``, ``"frugal"`` or ``"auto"``; the model's ``utility`` field
            records the choice made.
        memory_budget_bytes: the most bytes u may take when stored, ≥ 1.

    Returns:
        The model, arrays in JAX's default float dtype (float64 under ``jax_enable_x64``).

    Raises:
        ValueError: if a parameter is out of range (the message names it), or if
            ``utility="stored"`` and u would exceed ``memory_budget_bytes``.

    Example:
        >>> model = create_savings_model(w_size=20, y_size=5)
        >>> model.w_grid.shape, model.Q.shape, model.utility
        ((20,), (5, 5), 'stored')
        >>> create_savings_model(w_size=12_000, y_size=100).utility
        'frugal'
    """
    R, gamma = check_positive("R", R), check_positive("gamma", gamma)
    check_open_unit("beta", beta)
    if not w_min >= 0.0:
        raise ValueError(f"`w_min` must be non-negative; got {w_min!r}.")
    if not w_max > w_min:
        raise ValueError(f"`w_max` must exceed w_min={w_min!r}; got {w_max!r}.")
    check_size("w_size", w_size)
    budget = check_integer("memory_budget_bytes", memory_budget_bytes)
    z, Q = tauchen_chain(y_size, rho, nu, names=("y_size", "rho", "nu"))
    dtype = jnp.result_type(float)
    size = stored_utility_bytes(w_size, y_size, jnp.dtype(dtype).itemsize)
    if utility == "auto":
        utility = "stored" if size <= budget else "frugal"
    elif utility == "stored" and size > budget:
        raise ValueError(
            f"`utility`='stored' needs {size:,} bytes for u(w, y, w') on a {w_size} × "
            f"{y_size} grid, over memory_budget_bytes={budget:,}; use utility='frugal' "
            "(u computed inside each step, no w²·y array) or raise the budget.")
    elif utility not in ("stored", "frugal"):
        raise ValueError(f"`utility` must be 'stored', 'frugal' or 'auto'; got {utility!r}.")
    w = jnp.linspace(w_min, w_max, w_size, dtype=dtype)
    y = jnp.exp(jnp.asarray(z, dtype))
    model = SavingsModel(R=R, beta=float(beta), gamma=gamma, w_grid=w, y_grid=y,
                         Q=jnp.asarray(Q, dtype), u=None, utility="frugal")
    if utility == "frugal":
        return model
    return model._replace(u=utility_array(R, gamma, w, y), utility="stored",
                          u_source=_u_source(model))


def _grid_digest(model: SavingsModel) -> str:
    grids = (np.asarray(model.w_grid), np.asarray(model.y_grid))
    return hashlib.sha256(b"".join(g.tobytes() for g in grids)).hexdigest()[:16]


def _u_source(model: SavingsModel) -> tuple:
    return (model.R, model.gamma, _grid_digest(model))


def _check_consistent(model: SavingsModel) -> None:
    """Refuse a model whose stored u does not derive from its R, γ and grids.

    R and γ are static, so they are checked even while tracing; the grids' values are
    checked whenever they are concrete (at every solver's entry).
    """
    if model.utility == "frugal":
        if model.u is not None:
            raise ValueError("a model with utility='frugal' must have u=None; build it "
                             "with create_savings_model(utility='frugal').")
        return
    if model.utility != "stored" or model.u is None or model.u_source is None:
        raise ValueError(f"`utility` must be 'stored' (with u) or 'frugal'; got "
                         f"{model.utility!r}; build the model with create_savings_model.")
    w_size, y_size = _state_shape(model)
    if model.u.shape != (w_size, y_size, w_size):
        raise ValueError(f"`u` must have shape {(w_size, y_size, w_size)} for these grids; "
                         f"got {model.u.shape}; rebuild the model with create_savings_model.")
    R, gamma, digest = model.u_source
    concrete = not any(isinstance(g, jax.core.Tracer) for g in (model.w_grid, model.y_grid))
    if (R, gamma) != (model.R, model.gamma) or concrete and digest != _grid_digest(model):
        raise ValueError(
            f"the stored `u` was computed for R={R!r}, gamma={gamma!r} and other grids, "
            f"not this model's R={model.R!r}, gamma={model.gamma!r}: a model changed with "
            "_replace would solve the old problem; rebuild it with create_savings_model.")


def _expected_value(v, model: SavingsModel):
    """E[v(w', y') | y] = Σ_{y'} v(w', y') Q(y, y'), shape (w', y), held in memory.

    The barrier keeps XLA on CPU from fusing this small matrix product into the loop
    over (w, y, w'), which would recompute each expectation w_size times.
    """
    return jax.lax.optimization_barrier(v @ model.Q.T)


def savings_action_values(v, model: SavingsModel):
    """B(w, y, w') = u(R w + y − w') + β Σ_{y'} v(w', y') Q(y, y'), broadcast over a grid.

    Args:
        v: value function v(w, y), shape (w_size, y_size).
        model: the parameters and grids.

    Returns:
        B, shape (w_size, y_size, w_size); −∞ where consumption would not be positive.
    """
    expected = _expected_value(v, model)  # E[v(w', y') | y], shape (w', y)
    return model.u + model.beta * expected.T[None, :, :]


def savings_action_values_inline(v, model: SavingsModel, gamma=None):
    """B(w, y, w') as :func:`savings_action_values`, u(c) by :func:`crra_utility` afresh.

    Pass ``gamma`` as an argument of the jitted caller to keep γ traced: every element
    then pays for both the ``log`` and the power branch.
    """
    w, y, gamma = model.w_grid, model.y_grid, model.gamma if gamma is None else gamma
    c = model.R * w[:, None, None] + y[None, :, None] - w[None, None, :]
    return crra_utility(c, gamma) + model.beta * _expected_value(v, model).T[None, :, :]


def _action_values_at(i_w, i_y, v, model: SavingsModel):
    """B(w_i, y_j, ·) for one state, shape (w_size,): the scalar-state version."""
    return model.u[i_w, i_y] + model.beta * (v @ model.Q[i_y])


def savings_action_values_vmap(v, model: SavingsModel):
    """B(w, y, w') as :func:`savings_action_values`, written for one state and ``vmap``-ed."""
    at_y = jax.vmap(_action_values_at, in_axes=(None, 0, None, None))
    at_wy = jax.vmap(at_y, in_axes=(0, None, None, None))
    w_index, y_index = jnp.arange(model.w_grid.shape[0]), jnp.arange(model.y_grid.shape[0])
    return at_wy(w_index, y_index, v, model)


def savings_bellman_vmap(v, model: SavingsModel):
    """T v = max_{w'} B(·, ·, w') with the ``vmap`` version of B; shape (w_size, y_size)."""
    return jnp.max(savings_action_values_vmap(v, model), axis=-1)


def consumption(sigma, model: SavingsModel):
    """c(w, y) = R w + y − w'_{σ(w, y)}: the consumption a savings policy implies."""
    w, y = model.w_grid, model.y_grid
    return model.R * w[:, None] + y[None, :] - w[sigma]


def savings_policy_operator(v, sigma, model: SavingsModel):
    """(T_σ v)(w, y) = u(c_σ(w, y)) + β Σ_{y'} v(σ(w, y), y') Q(y, y').

    Args:
        v: value function, shape (w_size, y_size).
        sigma: a policy as indices of w' on the wealth grid, shape (w_size, y_size).
        model: the parameters and grids.

    Returns:
        T_σ v, shape (w_size, y_size).
    """
    expected = v @ model.Q.T  # E[v(w', y') | y], shape (w', y)
    continuation = jnp.take_along_axis(expected, sigma, axis=0)
    reward = jnp.take_along_axis(model.u, sigma[:, :, None], axis=2)[:, :, 0]
    return reward + model.beta * continuation


def simulate_households(sigma, model: SavingsModel, *, households: int, periods: int,
                        key) -> tuple[jax.Array, jax.Array]:
    """Grid indices (i_w, i_y) of ``households`` after ``periods`` periods under policy σ.

        i_w' = σ(i_w, i_y),   i_y' ~ Q(i_y, ·)  (inverse-CDF draws, one per household)

    Every household starts at the lowest wealth and the middle income state; after many
    periods the cross-section approximates the stationary distribution.

    Raises:
        ValueError: if ``households`` or ``periods`` is not an integer ≥ 1.

    Example:
        >>> model = create_savings_model(w_size=10, y_size=3)
        >>> sigma = jnp.zeros((10, 3), int)  # always keep the lowest wealth
        >>> i_w, i_y = simulate_households(sigma, model, households=5, periods=4,
        ...                                key=jax.random.key(0))
        >>> i_w.tolist()
        [0, 0, 0, 0, 0]
    """
    households = check_integer("households", households)
    periods = check_integer("periods", periods)
    return _simulate(sigma, model, households, periods, key)


@functools.partial(jax.jit, static_argnums=(2, 3))
def _simulate(sigma, model, households, periods, key):
    cumulative = jnp.cumsum(model.Q, axis=1)

    def step(state, draw):
        i_w, i_y = state
        next_y = jax.vmap(jnp.searchsorted)(cumulative[i_y], draw)
        return (sigma[i_w, i_y], jnp.minimum(next_y, model.y_grid.size - 1)), None

    start = (jnp.zeros(households, int), jnp.full(households, model.y_grid.size // 2))
    draws = jax.random.uniform(key, (periods, households), model.Q.dtype)
    return jax.lax.scan(step, start, draws)[0]


def _state_shape(model: SavingsModel) -> tuple[int, int]:
    return model.w_grid.shape[0], model.y_grid.shape[0]


_STORED = Operators(savings_action_values, savings_policy_operator, iterative_evaluation,
                    _state_shape)


def _operators(model: SavingsModel) -> Operators:
    _check_consistent(model)
    if model.utility == "frugal":
        from jaxecon.savings_frugal import FRUGAL_OPERATORS  # it imports this module

        return FRUGAL_OPERATORS
    return _STORED


model_operators.register(SavingsModel, _operators)
