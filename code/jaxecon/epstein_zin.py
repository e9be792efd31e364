"""Epstein–Zin lifetime utility on a Markov chain: successive approximation vs Newton.

With consumption c(x) = exp(x) in state x of a Markov chain P, lifetime utility v solves

    v = K v,   (K v)(x) = { (1 − β) c(x)^ρ + β [ Σ_{x'} v(x')^γ P(x, x') ]^{ρ/γ} }^{1/ρ},

where ψ = 1/(1 − ρ) is the elasticity of intertemporal substitution (positive for
ρ < 1) and 1 − γ the coefficient of relative risk aversion. The weight 1 − β puts v in
consumption units (consuming c forever is worth c), so tolerances are absolute in those
units. The defaults are ψ = 1.5 and risk aversion 10, the preferences of Bansal & Yaron
(2004, *Journal of Finance* 59(4)) at their monthly β = 0.998: (ρ, γ) = (1/3, −9), by
:func:`epstein_zin_parameters`. The fixed point exists and is unique, and successive
approximation converges to it from any positive start, by the test of Borovička &
Stachurski (2020, *Journal of Finance* 75(3)), whose test value here is β. When β is near
1, successive approximation v_{k+1} = K v_k converges slowly, at a linear rate close to β;
Newton's method on v − K v = 0, with the Jacobian of K from ``jax.jacobian``, needs a
handful of steps once it is near the fixed point (it converges only locally). The state
x follows the Tauchen chain of x' = α x + σ ε (Epstein & Zin, 1989; Sargent & Stachurski,
*Dynamic Programming*, vol. 1, ch. 8).
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp

from jaxecon.checks import (
    check_array,
    check_integer,
    check_nonzero,
    check_not_equal,
    check_open_unit,
    check_positive,
    check_positive_array,
)
from jaxecon.fixed_point import (
    FixedPoint,
    finish,
    iterate,
    newton_fixed_point,
    successive_approximation,
)
from jaxecon.markov import tauchen_chain

__all__ = [
    "EpsteinZinModel", "create_epstein_zin_model", "lifetime_utility_operator",
    "lifetime_utility_successive", "lifetime_utility_newton", "constant_consumption_utility",
    "lifetime_utility_within", "newton_step_products",
    "epstein_zin_parameters", "consumption_equivalent",
]


class EpsteinZinModel(NamedTuple):
    """Epstein–Zin preferences over a Markov consumption stream; see the factory."""

    x_grid: jax.Array  # x, the states; consumption is c(x) = exp(x), shape (n,)
    P: jax.Array  # P(x, x'), transition matrix, shape (n, n)
    beta: float  # β, discount factor
    rho: float  # ρ, 1/(1 − ρ) is the elasticity of intertemporal substitution
    gamma: float  # γ, 1 − γ is the coefficient of relative risk aversion

    @property
    def eis(self) -> float:
        """ψ = 1/(1 − ρ), the elasticity of intertemporal substitution."""
        return 1.0 / (1.0 - self.rho)

    @property
    def risk_aversion(self) -> float:
        """1 − γ, the coefficient of relative risk aversion."""
        return 1.0 - self.gamma


def epstein_zin_parameters(*, eis: float, risk_aversion: float) -> tuple[float, float]:
    """(ρ, γ) = (1 − 1/ψ, 1 − risk aversion) for an EIS ψ and a risk aversion.

    Raises:
        ValueError: unless ψ is positive and not 1 (ρ = 0, the log case, is excluded) and
            the risk aversion is not 1 (γ = 0); the message names the parameter.

    Example:
        >>> epstein_zin_parameters(eis=1.5, risk_aversion=10.0)  # Bansal & Yaron (2004)
        (0.33333333333333337, -9.0)
    """
    eis = check_not_equal("eis", check_positive("eis", eis), 1)
    return 1.0 - 1.0 / eis, 1.0 - check_not_equal("risk_aversion", risk_aversion, 1)


def create_epstein_zin_model(*, n: int = 1000, alpha: float = 0.9, sigma: float = 0.1,
                             beta: float = 0.998, rho: float = 1.0 / 3.0,
                             gamma: float = -9.0) -> EpsteinZinModel:
    """Build a validated :class:`EpsteinZinModel`, the chain by ``quantecon.tauchen``.

    Args:
        n: number of states, at least 2.
        alpha: autocorrelation α of x, in (−1, 1).
        sigma: standard deviation σ of the shock to x, positive.
        beta: discount factor β, in (0, 1).
        rho: preference parameter ρ = 1 − 1/ψ, non-zero; the EIS ψ is positive for ρ < 1
            (the default 1/3 is ψ = 1.5).
        gamma: preference parameter γ = 1 − risk aversion, non-zero (the default −9 is
            risk aversion 10).

    Returns:
        The model.

    Raises:
        ValueError: if a parameter is out of range; the message names it.

    Example:
        >>> model = create_epstein_zin_model(n=20)
        >>> model.x_grid.shape, round(model.eis, 6), round(model.risk_aversion, 6)
        ((20,), 1.5, 10.0)
    """
    check_open_unit("beta", beta)
    check_nonzero("rho", rho)
    check_nonzero("gamma", gamma)
    x, P = tauchen_chain(n, alpha, sigma, names=("n", "alpha", "sigma"))
    dtype = jnp.result_type(float)
    return EpsteinZinModel(x_grid=jnp.asarray(x, dtype), P=jnp.asarray(P, dtype),
                           beta=float(beta), rho=float(rho), gamma=float(gamma))


def lifetime_utility_operator(v, model: EpsteinZinModel):
    """The Epstein–Zin operator K; consumption c(x) = eˣ enters once, exponentiated once.

        (K v)(x) = { (1 − β) c(x)^ρ + β [ Σ_{x'} v(x')^γ P(x, x') ]^{ρ/γ} }^{1/ρ}

    Args:
        v: lifetime utility, positive, shape (n,).
        model: the chain and preferences.

    Returns:
        K v, shape (n,).
    """
    c = jnp.exp(model.x_grid)
    certainty = (model.P @ v**model.gamma) ** (model.rho / model.gamma)
    return ((1.0 - model.beta) * c**model.rho + model.beta * certainty) ** (1.0 / model.rho)


def constant_consumption_utility(model: EpsteinZinModel):
    """v_0(x) = 1, the utility of consuming c = e⁰ = 1 forever; shape (n,).

    It solves v = K v when x stays at its mean 0; with β near 1 lifetime utility is
    dominated by the long run, so this is a good first guess for both methods.
    """
    return jnp.ones(model.x_grid.shape, model.x_grid.dtype)


def consumption_equivalent(v, model: EpsteinZinModel):
    """c̄(x) = v(x): the constant consumption worth lifetime utility v(x).

    Consuming c̄ forever is worth c̄, since the weight 1 − β on today's consumption puts
    K in consumption units (and K is homogeneous of degree one in consumption); comparing
    c̄ across preferences measures welfare in consumption units.

    Example:
        >>> model = create_epstein_zin_model(n=5)
        >>> v0 = constant_consumption_utility(model)  # consume 1 forever
        >>> bool(jnp.allclose(consumption_equivalent(v0, model), 1.0))
        True
    """
    return jnp.asarray(v)


def _start(model: EpsteinZinModel, v_init):
    """v_init checked (finite and positive, the shape of the grid), or the default guess."""
    if v_init is None:
        return constant_consumption_utility(model)
    check_array("v_init", v_init, model.x_grid.shape)
    check_positive_array("v_init", v_init)  # the lifetime utility of positive consumption
    return jnp.asarray(v_init, jnp.result_type(float))


def lifetime_utility_successive(model: EpsteinZinModel, *, v_init=None, tol: float = 1e-5,
                                max_iter: int = 50_000) -> FixedPoint:
    """Lifetime utility by successive approximation, v_{k+1} = K v_k, from v_0 = 1.

    Args:
        model: the chain and preferences.
        v_init: v_0, positive, shape (n,); :func:`constant_consumption_utility` if None.
        tol: tolerance on ‖v_{k+1} − v_k‖_∞.
        max_iter: the most iterations.

    Returns:
        A :class:`~jaxecon.fixed_point.FixedPoint`.

    Raises:
        RuntimeError: if the tolerance is not met within ``max_iter`` iterations.

    Example:
        >>> model = create_epstein_zin_model(n=10, beta=0.9)
        >>> lifetime_utility_successive(model).converged
        True
    """
    return successive_approximation(lifetime_utility_operator, _start(model, v_init), model,
                                    tol=tol, max_iter=max_iter)


def lifetime_utility_newton(model: EpsteinZinModel, *, v_init=None, tol: float = 1e-5,
                            max_iter: int = 100) -> FixedPoint:
    """Lifetime utility by Newton's method on v − K v = 0, from v_0 = 1.

        v_{k+1} = v_k − (I − J_K(v_k))^{-1} (v_k − K v_k),  J_K from ``jax.jacobian``

    Arguments, result and errors as :func:`lifetime_utility_successive`.

    Example:
        >>> model = create_epstein_zin_model(n=10, beta=0.9)
        >>> lifetime_utility_newton(model).num_iter < 10
        True
    """
    return newton_fixed_point(lifetime_utility_operator, _start(model, v_init), model,
                              tol=tol, max_iter=max_iter)


@partial(jax.jit, static_argnames="max_iter")
def _within_core(model, v0, reference, accuracy, max_iter: int) -> FixedPoint:
    """v ← K v in :func:`~jaxecon.fixed_point.iterate` (which stops on a NaN distance)
    until ‖v − reference‖_∞ ≤ accuracy; no iteration when v0 is already that close."""
    def step(v):
        v = lifetime_utility_operator(v, model)
        distance = jnp.max(jnp.abs(v - reference))
        return v, distance, distance <= accuracy

    def run(v0):
        s = iterate(step, v0, max_iter, v0.dtype)
        return FixedPoint(s.x, s.i, s.error, s.done, s.errors)

    def already(v0):
        return FixedPoint(v0, jnp.asarray(0), distance0, jnp.asarray(True),
                          jnp.full(max_iter, jnp.nan, v0.dtype))

    distance0 = jnp.max(jnp.abs(v0 - reference))
    return jax.lax.cond(distance0 <= accuracy, already, run, v0)


def lifetime_utility_within(model: EpsteinZinModel, reference, *, accuracy: float,
                            v_init=None, max_iter: int = 100_000) -> FixedPoint:
    """Successive approximation v_{k+1} = K v_k run until ‖v_k − v_ref‖_∞ ≤ ``accuracy``.

    This times successive approximation to a stated distance from the fixed point,
    measured against a tight ``reference`` (e.g. Newton's answer at tol 1e-12), so that
    it can be compared with another method at equal accuracy; stopping on the step
    instead leaves it λ/(1 − λ) times the step away, with λ the contraction rate.
    Each iteration costs one application of K plus an O(n) comparison.

    Args:
        model: the chain and preferences.
        reference: the fixed point to measure against, shape (n,).
        accuracy: the sup-norm distance to ``reference`` to reach, positive.
        v_init: v_0; :func:`constant_consumption_utility` if None.
        max_iter: the most iterations, at least 1.

    Returns:
        A :class:`~jaxecon.fixed_point.FixedPoint` whose ``error`` and ``errors`` are
        distances to ``reference``.

    Raises:
        ValueError: for a non-positive ``accuracy`` or a bad ``max_iter``.
        RuntimeError: if ``accuracy`` is not reached within ``max_iter`` iterations.

    Example:
        >>> model = create_epstein_zin_model(n=10, beta=0.9)
        >>> ref = lifetime_utility_newton(model, tol=1e-12).x
        >>> lifetime_utility_within(model, ref, accuracy=1e-8).error <= 1e-8
        True
    """
    check_positive("accuracy", accuracy)
    check_integer("max_iter", max_iter)
    v0 = jnp.asarray(_start(model, v_init), model.x_grid.dtype)
    out = _within_core(model, v0, jnp.asarray(reference, v0.dtype), accuracy, max_iter)
    return finish("lifetime_utility_within", out, accuracy, max_iter)


def newton_step_products(n: int) -> float:
    """The cost of one Newton step on v − K v = 0 in units of one application of K.

    One application of K is a matrix–vector product with P, ≈ 2n² flops. A Newton step
    evaluates K (2n²), its Jacobian by ``jax.jacobian`` (n reverse sweeps, each a
    product with P: 2n³) and solves the dense system (LU, ≈ 2n³/3), so

        cost = (2n³ + 2n³/3 + 2n²) / 2n² = 4n/3 + 1 products.

    Args:
        n: states of the chain, at least 1.

    Returns:
        The cost of one step, in products.

    Example:
        >>> newton_step_products(3)
        5.0
    """
    n = check_integer("n", n)
    return 4.0 * n / 3.0 + 1.0
