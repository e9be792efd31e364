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
Programming*, vol. 1, ch. 5). The step computes u(R w + y − w') afresh, its form fixed
from the static γ, so that under ``jit`` XLA fuses the utility, the expectation and the
max over w' into one loop and no (w, y, w') array is ever stored: memory O(w_size ·
y_size). :mod:`jaxecon.savings_stored` wraps a model with u stored instead.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp

from jaxecon.checks import (
    check_greater,
    check_integer,
    check_nonnegative,
    check_open_unit,
    check_positive,
    check_size,
)
from jaxecon.crra import crra_utility_static
from jaxecon.fixed_point import successive_approximation
from jaxecon.markov import tauchen_chain
from jaxecon.mdp import Operators, iterative_evaluation, model_operators

__all__ = [
    "SavingsModel", "create_savings_model", "savings_action_values",
    "savings_policy_operator", "consumption", "euler_errors", "stationary_distribution",
    "simulate_households",
]


class SavingsModel(NamedTuple):
    """The optimal savings model; build it with :func:`create_savings_model`.

    A pytree whose leaves are β, the grids and Q; R and γ are static (compile-time)
    data, so the utility's form is fixed when a step compiles. Its operators compute
    u(R w + y − w') inside each step, so a model changed with ``_replace`` solves the
    parameters it holds.
    """

    R: float  # R, gross interest rate (static)
    beta: float  # β, discount factor
    gamma: float  # γ, coefficient of relative risk aversion (static)
    w_grid: jax.Array  # w, wealth grid, also the choices w', shape (w_size,)
    y_grid: jax.Array  # y, income states, shape (y_size,)
    Q: jax.Array  # Q(y, y'), income transition matrix, shape (y_size, y_size)


jax.tree_util.register_pytree_node(
    SavingsModel,
    lambda m: ((m.beta, m.w_grid, m.y_grid, m.Q), (m.R, m.gamma)),
    lambda aux, leaves: SavingsModel(aux[0], leaves[0], aux[1], *leaves[1:]),
)


def create_savings_model(
    *, R: float = 1.01, beta: float = 0.98, gamma: float = 2.0, w_min: float = 0.01,
    w_max: float = 5.0, w_size: int = 150, rho: float = 0.9, nu: float = 0.1,
    y_size: int = 100,
) -> SavingsModel:
    """Build a validated :class:`SavingsModel`, income by ``quantecon.tauchen``.

    Its Bellman step computes u(R w + y − w') inside the fused step (memory O(w_size ·
    y_size)); :func:`jaxecon.savings_stored.store_utility` gives the same model with the
    array u(w, y, w') of w_size² · y_size numbers stored instead.

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

    Returns:
        The model, arrays in JAX's default float dtype (float64 under ``jax_enable_x64``).

    Raises:
        ValueError: if a parameter is out of range (the message names it).

    Example:
        >>> model = create_savings_model(w_size=20, y_size=5)
        >>> model.w_grid.shape, model.Q.shape
        ((20,), (5, 5))
    """
    R, gamma = check_positive("R", R), check_positive("gamma", gamma)
    check_open_unit("beta", beta)
    w_min = check_nonnegative("w_min", w_min)
    w_max = check_greater("w_max", w_max, "w_min", w_min)
    check_size("w_size", w_size)
    z, Q = tauchen_chain(y_size, rho, nu, names=("y_size", "rho", "nu"))
    dtype = jnp.result_type(float)
    return SavingsModel(R=R, beta=float(beta), gamma=gamma,
                        w_grid=jnp.linspace(w_min, w_max, w_size, dtype=dtype),
                        y_grid=jnp.exp(jnp.asarray(z, dtype)), Q=jnp.asarray(Q, dtype))


def savings_action_values(v, model: SavingsModel):
    """B(w, y, w') = u(R w + y − w') + β Σ_{y'} v(w', y') Q(y, y'), u computed in the step.

    u's form is fixed in Python from the static γ (:func:`jaxecon.crra.crra_utility_static`);
    under ``jit`` a max or argmax over w' fuses with this expression into one loop, so no
    (w, y, w') array is ever stored: memory O(w_size · y_size) instead of w_size² · y_size.

    Args:
        v: value function v(w, y), shape (w_size, y_size).
        model: the parameters and grids.

    Returns:
        B, shape (w_size, y_size, w_size); −∞ where consumption would not be positive.
    """
    # One barrier holds E[v(w', y') | y] in memory (XLA on CPU would otherwise fuse the
    # small matrix product into the loop over (w, y, w') and recompute it w_size times)
    # and ties the grids to v, so that XLA cannot hoist u(w, y, w') out of a solver's
    # loop and store it.
    w, y, expected = jax.lax.optimization_barrier((model.w_grid, model.y_grid, v @ model.Q.T))
    c = model.R * w[:, None, None] + y[None, :, None] - w[None, None, :]
    return crra_utility_static(c, model.gamma) + model.beta * expected.T[None, :, :]


def consumption(sigma, model: SavingsModel):
    """c(w, y) = R w + y − w'_{σ(w, y)}: the consumption a savings policy implies."""
    w, y = model.w_grid, model.y_grid
    return model.R * w[:, None] + y[None, :] - w[sigma]


@jax.jit
def euler_errors(sigma, model: SavingsModel):
    """Unit-free Euler-equation errors of a savings policy, in log10.

        E(w, y) = log10 | 1 − u'^{-1}( β R Σ_{y'} u'(c(w', y')) Q(y, y') ) / c(w, y) |

    with c = :func:`consumption`, w' = σ(w, y) and u' = ``jax.grad`` of u. Where the
    choice w' is interior, strictly between the ends of the grid, the Euler equation
    u'(c) = β R E[u'(c')] holds for the continuous problem, and E(w, y) = −2 says that
    its consumption is off by 1%; where σ chooses an end of the grid a constraint binds
    and the equation need not hold: E is NaN there. On a grid of choices the errors
    are of the order of the grid's spacing over c, and fall as the grid refines.

    Args:
        sigma: a policy as indices of w' on the wealth grid, shape (w_size, y_size).
        model: the parameters and grids.

    Returns:
        E, shape (w_size, y_size); NaN where σ(w, y) is the first or last grid point.

    References:
        Judd, *Numerical Methods in Economics* (1998), §17.8 (Euler-equation errors).
    """
    c = consumption(sigma, model)
    u_prime = jnp.vectorize(jax.grad(lambda c: crra_utility_static(c, model.gamma)))
    expected = jnp.sum(u_prime(c[sigma, :]) * model.Q[None, :, :], axis=-1)  # c(w', y')
    c_euler = (model.beta * model.R * expected) ** (-1.0 / model.gamma)  # u'^{-1}
    interior = (sigma > 0) & (sigma < model.w_grid.shape[0] - 1)
    return jnp.where(interior, jnp.log10(jnp.abs(1.0 - c_euler / c)), jnp.nan)


def _distribution_step(psi, params):
    """ψ'(w', y') = Σ_{w, y} 1{σ(w, y) = w'} ψ(w, y) Q(y, y')."""
    sigma, Q = params
    y = jnp.broadcast_to(jnp.arange(sigma.shape[1]), sigma.shape)
    return jnp.zeros_like(psi).at[sigma, y].add(psi) @ Q


def stationary_distribution(sigma, model: SavingsModel, *, tol: float = 1e-12,
                            max_iter: int = 10_000):
    """The distribution of (w, y) that a policy σ leaves unchanged, by iterating it.

        ψ_{t+1}(w', y') = Σ_{w, y} 1{σ(w, y) = w'} ψ_t(w, y) Q(y, y')

    from the uniform ψ_0 until ‖ψ_{t+1} − ψ_t‖_∞ ≤ tol: the long-run cross-section of
    households who all follow σ, computed exactly rather than simulated.

    Args:
        sigma: a policy as indices of w' on the wealth grid, shape (w_size, y_size).
        model: the parameters and grids.
        tol: tolerance on the sup-norm step, ≥ 0.
        max_iter: the most iterations, ≥ 1.

    Returns:
        ψ, shape (w_size, y_size), non-negative, summing to one.

    Raises:
        ValueError: for a negative ``tol`` or ``max_iter`` < 1.
        RuntimeError: if the iteration does not settle within ``max_iter`` steps.

    Example:
        >>> model = create_savings_model(w_size=10, y_size=3)
        >>> psi = stationary_distribution(jnp.zeros((10, 3), int), model)
        >>> round(float(psi[0].sum()), 12)  # everyone keeps the lowest wealth
        1.0
    """
    psi0 = jnp.full(sigma.shape, 1.0 / sigma.size, model.Q.dtype)
    return successive_approximation(_distribution_step, psi0, (sigma, model.Q), tol=tol,
                                    max_iter=max_iter).x


def savings_policy_operator(v, sigma, model: SavingsModel):
    """(T_σ v)(w, y) = u(c_σ(w, y)) + β Σ_{y'} v(σ(w, y), y') Q(y, y').

    Args:
        v: value function, shape (w_size, y_size).
        sigma: a policy as indices of w' on the wealth grid, shape (w_size, y_size).
        model: the parameters and grids.

    Returns:
        T_σ v, shape (w_size, y_size).
    """
    reward = crra_utility_static(consumption(sigma, model), model.gamma)
    return reward + model.beta * _continuation(v, sigma, model)


def _continuation(v, sigma, model: SavingsModel):
    """Σ_{y'} v(σ(w, y), y') Q(y, y'), shape (w_size, y_size): E[v | y] at the policy's w'."""
    return jnp.take_along_axis(v @ model.Q.T, sigma, axis=0)


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


#: The operators of :class:`SavingsModel`: u computed inside each step, nothing split.
COMPUTED_OPERATORS = Operators(savings_action_values, savings_policy_operator,
                               iterative_evaluation, _state_shape)

model_operators.register(SavingsModel, lambda model: COMPUTED_OPERATORS)
