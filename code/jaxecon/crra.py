"""CRRA utility on the savings model's grids: traced or fixed form, and its memory.

u(c) = c^{1−γ}/(1−γ) (ln c when γ = 1), −∞ where c ≤ 0. With γ known in Python the
form is chosen before compiling (:func:`crra_utility_static`), so a step computing u
holds only that form's arithmetic; with γ traced (:func:`crra_utility`) every element
computes both ``log`` and a general power. The array u(R w + y − w') of every
(w, y, w') has w_size² · y_size numbers (:func:`stored_utility_bytes`).
"""

from __future__ import annotations

import jax.numpy as jnp

__all__ = ["MEMORY_BUDGET_BYTES", "stored_utility_bytes", "utility_array", "crra_utility",
           "crra_utility_static"]

#: The default memory budget of ``store_utility``: 2 GiB for the stored utility array.
MEMORY_BUDGET_BYTES = 2 * 1024**3


def stored_utility_bytes(w_size: int, y_size: int, itemsize: int = 8) -> int:
    """Bytes of the stored utility array u(w, y, w'): w_size² · y_size · itemsize.

    Example:
        >>> stored_utility_bytes(12_000, 100) / 1e9
        115.2
    """
    return int(w_size) ** 2 * int(y_size) * int(itemsize)


def utility_array(R, gamma, w, y):
    """u(R w + y − w') for every (w, y, w'), shape (w_size, y_size, w_size).

    The utility of every choice does not depend on v, so a stored-utility model computes
    it once, when it is stored, rather than at every application of the operator.
    """
    c = R * w[:, None, None] + y[None, :, None] - w[None, None, :]
    return crra_utility_static(c, gamma)


def crra_utility(c, gamma):
    """u(c) = c^{1−γ}/(1−γ) (ln c when γ = 1), and −∞ where c ≤ 0; γ may be traced.

    With γ an array, both branches (``log`` and a general power) are computed for every
    element and one is selected.
    """
    positive = c > 0.0
    c = jnp.where(positive, c, 1.0)
    log_case = gamma == 1.0
    power = jnp.where(log_case, 1.0, 1.0 - gamma)
    u = jnp.where(log_case, jnp.log(c), c**power / power)
    return jnp.where(positive, u, -jnp.inf)


def crra_utility_static(c, gamma: float):
    """u(c) = c^{1−γ}/(1−γ), −∞ where c ≤ 0, its form fixed in Python from γ.

    γ = 1 gives ln c, γ = 2 gives −1/c, any other γ exp((1−γ) ln c)/(1−γ). For γ ≥ 1
    each form is evaluated at max(c, 0), where it is −∞ at 0 by IEEE arithmetic, so the
    step needs no select: only the arithmetic of the one form (γ < 1 adds a select).

    Example:
        >>> [float(u) for u in crra_utility_static(jnp.array([0.5, 0.0, -1.0]), 2.0)]
        [-2.0, -inf, -inf]
    """
    gamma = float(gamma)
    c_plus = jnp.maximum(c, 0.0)
    if gamma == 1.0:
        return jnp.log(c_plus)
    if gamma == 2.0:
        return -1.0 / c_plus
    u = jnp.exp((1.0 - gamma) * jnp.log(c_plus)) / (1.0 - gamma)
    return u if gamma > 1.0 else jnp.where(c > 0.0, u, -jnp.inf)
