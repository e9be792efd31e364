"""CRRA utility on the savings model's grids: traced or fixed form, and its memory.

u(c) = c^{1−γ}/(1−γ) (ln c when γ = 1), −∞ where c ≤ 0. With γ known in Python the
form is chosen before compiling (:func:`crra_utility_static`), so a step computing u
holds only that form's arithmetic; with γ traced (:func:`crra_utility`) every element
computes both ``log`` and a general power. The array u(R w + y − w') of every
(w, y, w') has w_size² · y_size numbers (:func:`stored_utility_bytes`).
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np
from jax import lax

__all__ = ["MEMORY_BUDGET_BYTES", "stored_utility_bytes", "utility_array", "crra_utility",
           "crra_utility_static", "vector_log", "log_normal"]

#: The default memory budget of ``utility="auto"``: 2 GiB for the stored utility array.
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
    it once, when the model is built, rather than at every application of the operator.
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


_SQRT_HALF_BITS = 0x3FE6A09E667F3BCD  # the bits of √½
_ONE_BITS = 0x3FF0000000000000  # the bits of 1.0
_TWO_52_BITS = 0x4330000000000000  # the bits of 2^52
_MANTISSA = (1 << 52) - 1  # the mantissa field of a float64
#: s² ≤ ((√2 − 1)/(√2 + 1))² for z in [√½, √2), s = (z − 1)/(z + 1)
_S2_MAX = ((math.sqrt(2.0) - 1.0) / (math.sqrt(2.0) + 1.0)) ** 2


def _log_coefficients(degree: int = 6) -> tuple[float, ...]:
    """p(t) ≈ g(t) = Σ_j t^j/(2j + 3) on [0, s²_max]: its Chebyshev interpolant of ``degree``.

    g is the series of (atanh(s)/s − 1)/s², t = s²; it enters ln z scaled by s², so the
    interpolant's error (< 1e-15 at degree 6) is below one rounding of ln z.
    """
    nodes = (np.cos(np.pi * (np.arange(64) + 0.5) / 64) + 1.0) * _S2_MAX / 2.0
    g = sum(nodes**j / (2 * j + 3) for j in range(40))
    fit = np.polynomial.Chebyshev.fit(nodes, g, degree, domain=[0.0, _S2_MAX])
    return tuple(float(a) for a in fit.convert(kind=np.polynomial.Polynomial).coef)


_LOG_COEFFICIENTS = tuple(2.0 * a for a in _log_coefficients())  # of q(t) = 2 p(t)


def vector_log(x):
    """ln x for float64 x ≥ 0 (−∞ at 0) from arithmetic a CPU can vectorise; no libm call.

    XLA on a CPU computes a float64 ``log`` with a scalar library call per element; this
    form uses only integer and float arithmetic, so a fused loop runs it in SIMD lanes.
    Write x = 2^k z with z in [√½, √2), k and z read from x's bits; then, with
    s = (z − 1)/(z + 1) and t = s²,

        ln x = k ln 2 + ln z,   ln z = 2 atanh s = 2s + s t 2p(t),

    p a polynomial of degree 6 fitted to Σ_j t^j/(2j + 3) on the range of t. Relative
    error about 2 roundings for positive normal x; a positive subnormal x is outside its
    domain (the model's consumption is never one).

    Example:
        >>> x = jnp.array([1e-300, 0.5, 1.0, 3.0, 1e300])
        >>> bool(jnp.allclose(vector_log(x), jnp.log(x), rtol=1e-15, atol=0.0))
        True
        >>> [float(u) for u in vector_log(jnp.array([0.0, jnp.inf, -1.0]))]
        [-inf, inf, nan]
    """
    x = jnp.asarray(x, jnp.float64)
    special = jnp.where(x == 0.0, -jnp.inf, jnp.where(x > 0.0, x, jnp.nan))  # 0, ∞, < 0, nan
    return jnp.where((x > 0.0) & (x < jnp.inf), log_normal(x), special)


def log_normal(x):
    """:func:`vector_log` without its special cases: ln x for positive normal float64 x only.

    Any other x gives a meaningless number; a caller that selects on x > 0 (as the savings
    step does, with −∞ for c ≤ 0) saves the special cases' selects.

    Example:
        >>> float(log_normal(jnp.float64(2.0)) - jnp.log(2.0))
        0.0
    """
    # u = bits(x) − bits(√½) + bits(1) (≥ 0 for x > 0, so a logical shift reads it): its top
    # 12 bits are k + 1023 for x = 2^k z, z in [√½, √2), and z's bits are its low 52 plus √½'s
    u = lax.bitcast_convert_type(x, jnp.int64) + (_ONE_BITS - _SQRT_HALF_BITS)
    z = lax.bitcast_convert_type((u & _MANTISSA) + _SQRT_HALF_BITS, jnp.float64)
    # k as a float, by placing the biased exponent k + 1023 in the mantissa of 2^52
    k = lax.bitcast_convert_type(lax.shift_right_logical(u, jnp.int64(52)) | _TWO_52_BITS,
                                 jnp.float64) - (2.0**52 + 1023.0)
    s = (z - 1.0) * (1.0 / (z + 1.0))  # one division with one use, so that XLA fuses it
    t = s * s
    q = _LOG_COEFFICIENTS[-1]  # q(t) = 2 p(t)
    for a in _LOG_COEFFICIENTS[-2::-1]:
        q = q * t + a
    return k * math.log(2.0) + (2.0 * s + s * t * q)  # 2s exact: the error is q's, × t
