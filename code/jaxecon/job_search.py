"""McCall job search with Markov wage offers, and its risk-sensitive variant.

An unemployed worker sees a wage offer w each period, with log offers following the
Tauchen chain of W' = ρ W + ν Z. Accepting w pays w forever, worth w/(1 − β);
rejecting pays unemployment compensation c and the draw of a new offer next period:

    v(w) = max{ w/(1 − β),  c + β Σ_{w'} v(w') P(w, w') }.

This is a finite MDP with two actions (0 = continue, 1 = accept), registered with
:func:`jaxecon.mdp.model_operators`, so VFI, HPI and OPI all solve it. The worker accepts
from the **reservation wage** w̄ up, the first offer whose stopping value beats the
continuation value h(w) = c + β Σ v(w') P(w, w'); the expected number of offers
rejected before one is accepted solves a linear system on the rejected offers. The
risk-sensitive variant replaces the expectation by the certainty equivalent
(β/θ) ln Σ exp(θ v(w')) P(w, w'); θ < 0 is aversion to the risk in the continuation
value. Its policy operators are not affine, so HPI evaluates each policy by Newton's
method (Sargent & Stachurski, *Dynamic Programming*, vol. 1, chs. 1 and 8).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax.scipy.special import logsumexp

from jaxecon.checks import check_nonzero, check_open_unit, check_real
from jaxecon.fixed_point import successive_approximation_core
from jaxecon.markov import tauchen_chain
from jaxecon.mdp import (
    Operators,
    exact_evaluation,
    model_operators,
    policy_value_iterative,
)

__all__ = [
    "JobSearchModel", "RiskSensitiveJobSearchModel", "create_job_search_model",
    "create_risk_sensitive_job_search_model", "continuation_value", "reservation_wage",
    "unemployment_duration", "mean_unemployment_duration",
]


class JobSearchModel(NamedTuple):
    """The McCall model with Markov wages; build it with :func:`create_job_search_model`."""

    w_grid: jax.Array  # w, wage offers, shape (n,)
    P: jax.Array  # P(w, w'), transition matrix of offers, shape (n, n)
    beta: float  # β, discount factor
    c: float  # c, unemployment compensation


class RiskSensitiveJobSearchModel(NamedTuple):
    """The risk-sensitive McCall model; build it with its factory."""

    w_grid: jax.Array  # w, wage offers, shape (n,)
    P: jax.Array  # P(w, w'), transition matrix of offers, shape (n, n)
    beta: float  # β, discount factor
    c: float  # c, unemployment compensation
    theta: float  # θ, risk sensitivity; θ < 0 is risk averse


def _arrays(n, rho, nu, beta, c):
    check_open_unit("beta", beta)
    check_real("c", c)
    z, P = tauchen_chain(n, rho, nu, names=("n", "rho", "nu"))
    dtype = jnp.result_type(float)
    return jnp.exp(jnp.asarray(z, dtype)), jnp.asarray(P, dtype)


def create_job_search_model(*, n: int = 500, rho: float = 0.9, nu: float = 0.2,
                            beta: float = 0.99, c: float = 1.0) -> JobSearchModel:
    """Build a validated :class:`JobSearchModel`, offers by ``quantecon.tauchen``.

    Args:
        n: number of wage offers, at least 2.
        rho: autocorrelation ρ of log offers, in (−1, 1).
        nu: standard deviation ν of the log offer shock, positive.
        beta: discount factor β, in (0, 1).
        c: unemployment compensation c, finite.

    Returns:
        The model, with offers w = exp(W) on the Tauchen grid.

    Raises:
        ValueError: if a parameter is out of range; the message names it.

    Example:
        >>> model = create_job_search_model(n=50)
        >>> model.P.shape
        (50, 50)
    """
    w, P = _arrays(n, rho, nu, beta, c)
    return JobSearchModel(w_grid=w, P=P, beta=float(beta), c=float(c))


def create_risk_sensitive_job_search_model(
    *, n: int = 500, rho: float = 0.9, nu: float = 0.2, beta: float = 0.99, c: float = 1.0,
    theta: float = -0.1,
) -> RiskSensitiveJobSearchModel:
    """Build a validated :class:`RiskSensitiveJobSearchModel`.

    Args:
        n, rho, nu, beta, c: as in :func:`create_job_search_model`.
        theta: risk sensitivity θ, non-zero (θ < 0 is risk averse; θ → 0 is neutral).

    Raises:
        ValueError: if a parameter is out of range; the message names it.

    Example:
        >>> create_risk_sensitive_job_search_model(n=50).theta
        -0.1
    """
    check_nonzero("theta", theta)
    w, P = _arrays(n, rho, nu, beta, c)
    return RiskSensitiveJobSearchModel(w_grid=w, P=P, beta=float(beta), c=float(c),
                                       theta=float(theta))


def continuation_value(v, model):
    """The value of rejecting an offer, h(w), shape (n,).

        h(w) = c + β Σ_{w'} v(w') P(w, w')                    (risk neutral)
        h(w) = c + (β/θ) ln Σ_{w'} exp(θ v(w')) P(w, w')      (risk sensitive)

    Args:
        v: value function, shape (n,).
        model: a :class:`JobSearchModel` or :class:`RiskSensitiveJobSearchModel`.
    """
    if isinstance(model, RiskSensitiveJobSearchModel):
        certainty = logsumexp(model.theta * v[None, :], b=model.P, axis=1) / model.theta
        return model.c + model.beta * certainty
    return model.c + model.beta * (model.P @ v)


def _action_values(v, model):
    """B(w, a): column 0 continues (h(w)), column 1 accepts (w/(1 − β)); shape (n, 2)."""
    stop = model.w_grid / (1.0 - model.beta)
    return jnp.stack([continuation_value(v, model), stop], axis=-1)


def _policy_operator(v, sigma, model):
    """(T_σ v)(w) = w/(1 − β) where σ(w) = 1 (accept), h(w) where σ(w) = 0."""
    return jnp.where(sigma == 1, model.w_grid / (1.0 - model.beta),
                     continuation_value(v, model))


#: Newton's inner evaluation of v_σ: it stops when ‖v_{k+1} − v_k‖_∞ ≤ NEWTON_RTOL ·
#: max(1, ‖v‖_∞), a floor above the one its linear solves leave (each is solved to
#: LINEAR_SOLVE_TOL · ‖T_σ v‖₂, so the steps stall near 1e-11 of ‖v‖ in float64); it
#: converges quadratically down to that floor, in a handful of steps, so the cap binds
#: only when something is wrong.
NEWTON_RTOL, NEWTON_MAX_ITER, LINEAR_SOLVE_TOL = 1e-10, 100, 1e-12


def _newton_evaluation(sigma, model, v_guess):
    """v_σ for a non-affine T_σ: Newton's method on v = T_σ v from the guess.

    Each Newton step is :func:`~jaxecon.mdp.policy_value_iterative` (a matrix-free
    linear solve with the Jacobian of T_σ at the current v); iterating it to a fixed
    point is Newton–Krylov. It runs inside the jitted solvers, so it cannot raise: an
    evaluation that does not converge returns NaN, which stops the outer solver
    unconverged and makes it raise.
    """
    tol = NEWTON_RTOL * jnp.maximum(1.0, jnp.max(jnp.abs(v_guess)))
    out = successive_approximation_core(_newton_step, v_guess, (sigma, model), tol,
                                        NEWTON_MAX_ITER)
    return jnp.where(out.converged, out.x, jnp.nan)


def _newton_step(v, params):
    sigma, model = params
    return policy_value_iterative(sigma, model, v_init=v, tol=LINEAR_SOLVE_TOL)


def reservation_wage(v, model) -> jax.Array:
    """w̄ = min { w : w/(1 − β) > h(w) }, the lowest offer a v-greedy worker accepts.

    Args:
        v: value function, shape (n,); usually the solution v*.
        model: a :class:`JobSearchModel` or :class:`RiskSensitiveJobSearchModel`.

    Returns:
        w̄ as a scalar array; ``inf`` if no offer on the grid is accepted.

    Example:
        >>> from jaxecon.solvers import vfi
        >>> model = create_job_search_model(n=50)
        >>> bool(reservation_wage(vfi(model).v, model) > model.c)
        True
    """
    accept = jnp.argmax(_action_values(v, model), axis=-1) == 1
    return jnp.where(jnp.any(accept), model.w_grid[jnp.argmax(accept)], jnp.inf)


def unemployment_duration(v, model) -> jax.Array:
    """d(w), the expected number of offers rejected before one is accepted; shape (n,).

    With A the offers a v-greedy worker accepts, d(w) = 0 on A and otherwise

        d(w) = 1 + Σ_{w'} P(w, w') d(w'),  i.e.  d = (I − diag(1_{w ∉ A}) P)⁻¹ 1_{w ∉ A},

    finite whenever every offer chain reaches A (else ``inf``).

    Example:
        >>> from jaxecon.solvers import hpi
        >>> model = create_job_search_model(n=50)
        >>> d = unemployment_duration(hpi(model).v, model)
        >>> bool(d[-1] == 0.0 and d[0] >= 1.0)
        True
    """
    reject = (jnp.argmax(_action_values(v, model), axis=-1) == 0).astype(model.P.dtype)
    d = jnp.linalg.solve(jnp.eye(reject.size) - reject[:, None] * model.P, reject)
    return jnp.where(jnp.isfinite(d) & (d >= 0), d, jnp.inf)


def mean_unemployment_duration(v, model) -> jax.Array:
    """D = Σ_w π(w) d(w): periods unemployed before accepting, first offer drawn from π.

    π is the stationary distribution of the offer chain (π P = π), so D is the expected
    spell of a worker who loses a job at a random date; d is
    :func:`unemployment_duration`.

    Example:
        >>> from jaxecon.solvers import hpi
        >>> model = create_job_search_model(n=50)
        >>> bool(mean_unemployment_duration(hpi(model).v, model) > 0)
        True
    """
    n = model.P.shape[0]
    # π solves π (I − P) = 0 with Σ π = 1: replace one equation by the normalization.
    system = (jnp.eye(n) - model.P).T.at[-1].set(1.0)
    pi = jnp.linalg.solve(system, jnp.zeros(n, model.P.dtype).at[-1].set(1.0))
    return pi @ unemployment_duration(v, model)


def _state_shape(model) -> tuple[int]:
    return model.w_grid.shape[:1]


def _operators(model: JobSearchModel) -> Operators:
    return Operators(_action_values, _policy_operator, exact_evaluation, _state_shape)


def _risk_sensitive_operators(model: RiskSensitiveJobSearchModel) -> Operators:
    return Operators(_action_values, _policy_operator, _newton_evaluation, _state_shape)


model_operators.register(JobSearchModel, _operators)
model_operators.register(RiskSensitiveJobSearchModel, _risk_sensitive_operators)
