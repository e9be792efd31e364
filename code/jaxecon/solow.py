"""The Solow–Swan growth model in discrete time.

Capital per worker follows the law of motion k_{t+1} = A s k_t^α + (1 − δ) k_t.
With 0 < α < 1, 0 < δ ≤ 1 and s, A > 0 the map is increasing and concave, crosses
the 45° line once at k* = (A s / δ)^{1/(1−α)}, and every path from k_0 > 0 converges
to k* monotonically. This module holds the model, its one-step map, the closed-form
steady state and a JAX path simulator; the lectures time the same loop in other
languages against these.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp

from jaxecon.checks import (
    check_integer,
    check_interval,
    check_open_unit,
    check_positive,
    check_positive_array,
)

__all__ = [
    "SolowModel",
    "create_solow_model",
    "law_of_motion",
    "steady_state",
    "simulate_path",
    "check_inputs",
]


class SolowModel(NamedTuple):
    """Parameters of the Solow model; build it with :func:`create_solow_model`."""

    s: float  # s, saving rate
    alpha: float  # α, capital share in Cobb–Douglas output A k^α
    delta: float  # δ, depreciation rate
    a: float  # A, total factor productivity


def create_solow_model(
    *, s: float = 0.3, alpha: float = 0.4, delta: float = 0.1, a: float = 1.0
) -> SolowModel:
    """Build a validated :class:`SolowModel`.

    Args:
        s: saving rate s, in (0, 1).
        alpha: capital share α, in (0, 1).
        delta: depreciation rate δ, in (0, 1].
        a: total factor productivity A, positive.

    Returns:
        The model with every parameter as a Python float.

    Raises:
        ValueError: if a parameter is outside its range; the message names it.

    Example:
        >>> create_solow_model(s=0.3).s
        0.3
    """
    s, alpha = check_open_unit("s", s), check_open_unit("alpha", alpha)
    delta = check_interval("delta", delta, 0, 1, closed="right")
    return SolowModel(s=s, alpha=alpha, delta=delta, a=check_positive("a", a))


def law_of_motion(k, model: SolowModel):
    """One step of the Solow map.

        k' = A s k^α + (1 − δ) k

    Args:
        k: capital per worker k, a scalar or an array of any shape.
        model: the parameters.

    Returns:
        k', with the shape of ``k``.
    """
    return model.a * model.s * k**model.alpha + (1.0 - model.delta) * k


def steady_state(model: SolowModel) -> float:
    """The closed-form steady state, the positive fixed point of :func:`law_of_motion`.

        k* = (A s / δ)^{1/(1−α)}

    Example:
        >>> round(steady_state(create_solow_model()), 7)
        6.2402515
    """
    return (model.a * model.s / model.delta) ** (1.0 / (1.0 - model.alpha))


@partial(jax.jit, static_argnames="steps")
def _path(k0, model: SolowModel, steps: int):
    def step(k, _):
        k_next = law_of_motion(k, model)
        return k_next, k_next

    _, ks = jax.lax.scan(step, k0, length=steps)
    return jnp.concatenate([jnp.atleast_1d(k0), ks])


def check_inputs(model: SolowModel, k0, steps: int) -> None:
    """Validate a model and a simulation request; every Solow entry point calls this.

    The model is checked again here because a :class:`SolowModel` can also be built
    directly, bypassing :func:`create_solow_model`.

    Raises:
        ValueError: naming ``s``, ``alpha``, ``delta``, ``a``, ``k0`` or ``steps``.
    """
    create_solow_model(**model._asdict())
    check_positive_array("k0", k0)
    check_integer("steps", steps, minimum=0)


def simulate_path(model: SolowModel, *, k0: float, steps: int) -> jax.Array:
    """The path k_0, k_1, …, k_steps of the Solow map, computed with ``lax.scan``.

    Args:
        model: the parameters.
        k0: initial capital k_0, positive.
        steps: number of steps T, at least 0.

    Returns:
        An array of shape (steps + 1,) holding k_0, …, k_T in the default float dtype.

    Raises:
        ValueError: if ``k0`` is not positive, ``steps`` is negative or the model is invalid.
    """
    check_inputs(model, k0, steps)
    return _path(jnp.asarray(k0, dtype=jnp.result_type(float)), model, steps)
