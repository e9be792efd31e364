"""Reusable code of the introduction to JAX: a function on a grid, and an option pricer.

Evaluating f(x, y) = cos(x² + y²) / (1 + x² + y²) on every pair of a grid x × y can be
vectorised three ways, which give the same n_x × n_y array but hold different arrays in
memory: ``meshgrid`` materialises two n_x × n_y coordinate arrays before f runs,
broadcasting a column against a row never does, and nested ``vmap`` maps the scalar f
over both axes with the same footprint as broadcasting. The memory of each is read from
XLA's analysis of the compiled computation. The second part prices a European call
under stochastic volatility, P = βⁿ E max(S_n − K, 0), by Monte Carlo, once with Numba
(parallel over paths with ``prange``) and once with JAX; the two use different random
streams, so they agree within Monte-Carlo error, which each estimate reports.
"""

from __future__ import annotations

import functools
import math
from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jaxecon.checks import (
    check_choice,
    check_integer,
    check_interval,
    check_ndim,
    check_nonnegative,
    check_positive,
    check_real,
)
from jaxecon.timing import peak_bytes

__all__ = [
    "GRID_METHODS",
    "grid_function",
    "evaluate_grid",
    "grid_memory_bytes",
    "SVCallModel",
    "OptionPrice",
    "create_sv_call_model",
    "price_call_jax",
    "price_call_numba",
    "PATHS_PER_BLOCK",
]

#: The three ways of evaluating f on a grid.
GRID_METHODS = ("meshgrid", "broadcast", "vmap")


def grid_function(x, y):
    """f(x, y) = cos(x² + y²) / (1 + x² + y²), elementwise on arrays of one shape."""
    r2 = x**2 + y**2
    return jnp.cos(r2) / (1.0 + r2)


_f_jit = jax.jit(grid_function)
_broadcast = jax.jit(lambda x, y: grid_function(x[:, None], y[None, :]))
_vmapped = jax.jit(jax.vmap(jax.vmap(grid_function, in_axes=(None, 0)), in_axes=(0, None)))


def _kernel(x, y, method: str):
    """(compiled function, its arguments) of a method; meshgrid's are built eagerly."""
    check_choice("method", method, GRID_METHODS)
    x, y = check_ndim("x", jnp.asarray(x), 1), check_ndim("y", jnp.asarray(y), 1)
    if method == "meshgrid":
        return _f_jit, jnp.meshgrid(x, y, indexing="ij")
    return (_broadcast if method == "broadcast" else _vmapped), (x, y)


def evaluate_grid(x, y, *, method: str = "broadcast") -> jax.Array:
    """f(x_i, y_j) for every i, j, by one of :data:`GRID_METHODS`.

    Args:
        x: grid points x_i, shape (n_x,).
        y: grid points y_j, shape (n_y,).
        method: ``'meshgrid'`` (two n_x × n_y coordinate arrays, then f elementwise),
            ``'broadcast'`` (f on x[:, None] and y[None, :]) or ``'vmap'`` (the scalar f
            mapped over y, then over x).

    Returns:
        The array F with F[i, j] = f(x_i, y_j), shape (n_x, n_y).

    Raises:
        ValueError: for an unknown ``method`` or an ``x`` or ``y`` that is not 1-D.

    Example:
        >>> evaluate_grid(jnp.zeros(2), jnp.zeros(3), method="vmap").shape
        (2, 3)
    """
    function, args = _kernel(x, y, method)
    return function(*args)


def grid_memory_bytes(x, y, *, method: str = "broadcast") -> int:
    """Bytes of the arrays a method holds: inputs, output and XLA's temporaries.

    For ``'meshgrid'`` the inputs are the two coordinate arrays, so the total is about
    3 n_x n_y floats; the others hold n_x + n_y inputs and the n_x n_y output.

    Raises:
        ValueError: as :func:`evaluate_grid`.
    """
    function, args = _kernel(x, y, method)
    return peak_bytes(function.lower(*args).compile())


class SVCallModel(NamedTuple):
    """A European call on a stock with stochastic volatility; see :func:`create_sv_call_model`.

    ln S_{t+1} = ln S_t + μ + exp(h_t) ξ_{t+1},   h_{t+1} = ρ h_t + (1 − ρ) h̄ + ν η_{t+1},
    with ξ, η independent standard normals; h = ln σ is the log volatility per period.
    """

    s0: float  # S_0, today's stock price
    strike: float  # K, the strike price
    beta: float  # β, the discount factor per period
    mu: float  # μ, the drift of ln S per period
    rho: float  # ρ, the persistence of log volatility
    nu: float  # ν, the volatility of log volatility
    h_bar: float  # h̄ = ln σ̄, the long-run log volatility per period
    h0: float  # h_0 = ln σ_0, today's log volatility


class OptionPrice(NamedTuple):
    """A Monte-Carlo price and its standard error."""

    price: float  # the estimate of P = βⁿ E max(S_n − K, 0)
    std_error: float  # its standard error, βⁿ sd(payoff) / √M


def create_sv_call_model(
    *, s0: float = 100.0, strike: float = 105.0, beta: float = 0.995, mu: float = 0.005,
    rho: float = 0.9, nu: float = 0.2, sigma_bar: float = 0.05, sigma0: float = 0.05,
) -> SVCallModel:
    """Build a validated :class:`SVCallModel`; one period is read as one month.

    The defaults are a stock at 100, a strike of 105, 0.5% drift and 5% volatility per
    month (about 17% a year), so a one-year call costs a few dollars. (The original
    workshop started at h_0 = 0, a volatility of 100% per period, and priced absurdly.)

    Args:
        s0: stock price S_0, positive.
        strike: strike K, positive.
        beta: discount factor β per period, in (0, 1].
        mu: drift μ of ln S per period.
        rho: persistence ρ of log volatility, in (−1, 1).
        nu: volatility ν of log volatility, non-negative.
        sigma_bar: long-run volatility σ̄ = exp(h̄) per period, positive.
        sigma0: today's volatility σ_0 = exp(h_0), positive.

    Raises:
        ValueError: if a parameter is outside its range; the message names it.

    Example:
        >>> round(math.exp(create_sv_call_model(sigma0=0.1).h0), 12)
        0.1
    """
    for name, value in (("s0", s0), ("strike", strike), ("sigma_bar", sigma_bar),
                        ("sigma0", sigma0)):
        check_positive(name, value)
    check_interval("beta", beta, 0, 1, closed="right")
    check_interval("rho", rho, -1, 1)
    check_nonnegative("nu", nu)
    check_real("mu", mu)
    return SVCallModel(float(s0), float(strike), float(beta), float(mu), float(rho),
                       float(nu), math.log(sigma_bar), math.log(sigma0))


def _check_sizes(steps, num_paths) -> None:
    check_integer("steps", steps)
    check_integer("num_paths", num_paths, minimum=2)  # two paths at least, for a standard error


def _summarise(model: SVCallModel, steps: int, payoffs) -> OptionPrice:
    payoffs = np.asarray(payoffs, dtype=np.float64)
    discount = model.beta**steps
    return OptionPrice(float(discount * payoffs.mean()),
                       float(discount * payoffs.std(ddof=1) / math.sqrt(payoffs.size)))


@partial(jax.jit, static_argnames=("steps", "num_paths"))
def _payoffs_jax(model: SVCallModel, key, steps: int, num_paths: int):
    ρ, ν = model.rho, model.nu

    def step(t, state):
        log_s, h = state
        key_t = jax.random.fold_in(key, t)  # period t's own draws
        ξ, η = jax.random.normal(key_t, (2, num_paths))
        h_next = ρ * h + (1 - ρ) * model.h_bar + ν * η
        return log_s + model.mu + jnp.exp(h) * ξ, h_next

    ones = jnp.ones(num_paths)
    start = (jnp.log(model.s0) * ones, model.h0 * ones)
    log_s, _ = jax.lax.fori_loop(0, steps, step, start)
    return jnp.maximum(jnp.exp(log_s) - model.strike, 0.0)


def price_call_jax(
    model: SVCallModel, *, key: jax.Array, steps: int = 12, num_paths: int = 300_000
) -> OptionPrice:
    """P = βⁿ E max(S_n − K, 0) by Monte Carlo in JAX, all paths as one array per step.

    Args:
        model: the option and the stock's dynamics.
        key: a JAX PRNG key; step t draws from ``fold_in(key, t)``.
        steps: periods n to expiry, at least 1.
        num_paths: simulated paths M, at least 2.

    Returns:
        :class:`OptionPrice`: the estimate and its standard error.

    Raises:
        ValueError: if ``steps`` or ``num_paths`` is too small.
    """
    _check_sizes(steps, num_paths)
    return _summarise(model, steps, _payoffs_jax(model, key, int(steps), int(num_paths)))


#: Paths per block of the Numba pricer; each block draws from its own seed.
PATHS_PER_BLOCK = 4096


@functools.cache
def _numba_payoffs():
    from numba import njit, prange  # imported on first use: it is slow to import

    block = PATHS_PER_BLOCK

    @njit(parallel=True)
    def payoffs(s0, strike, mu, rho, nu, h_bar, h0, steps, num_paths, seed):
        out = np.empty(num_paths)
        for b in prange((num_paths + block - 1) // block):
            np.random.seed(seed + b)  # the block's own stream, on any thread
            for m in range(b * block, min(num_paths, (b + 1) * block)):
                log_s, h = math.log(s0), h0
                for _ in range(steps):
                    log_s += mu + math.exp(h) * np.random.randn()
                    h = rho * h + (1 - rho) * h_bar + nu * np.random.randn()
                out[m] = max(math.exp(log_s) - strike, 0.0)
        return out

    return payoffs


def price_call_numba(
    model: SVCallModel, *, key: jax.Array, steps: int = 12, num_paths: int = 300_000
) -> OptionPrice:
    """P = βⁿ E max(S_n − K, 0) by Monte Carlo in Numba, paths in parallel (``prange``).

    Paths run in blocks of :data:`PATHS_PER_BLOCK`, each block on one thread from its
    own seed, so the estimate depends on ``key`` only, not on the number of threads.
    Arguments, result and errors as :func:`price_call_jax`, except that ``key`` gives
    the integer seed of NumPy's generator.
    """
    _check_sizes(steps, num_paths)
    seed = int(jax.random.randint(key, (), 0, 2**30))
    payoffs = _numba_payoffs()(
        model.s0, model.strike, model.mu, model.rho, model.nu, model.h_bar, model.h0,
        int(steps), int(num_paths), seed)
    return _summarise(model, steps, payoffs)
