"""The package's checks of user input, in one place.

Every public function validates its parameters with these helpers, so a bad value gets
one kind of message everywhere: the parameter's name, the rule it breaks and the value
given, as ``ValueError``. Integers may be Python or NumPy integers (never ``bool``);
real numbers may be Python, NumPy or zero-dimensional JAX numbers (never strings).

Example:
    >>> check_open_unit("beta", 1.2)
    Traceback (most recent call last):
    ...
    ValueError: `beta` must be in (0, 1); got 1.2.
"""

from __future__ import annotations

import numbers

import jax
import jax.numpy as jnp
import numpy as np

__all__ = [
    "check_integer", "check_open_unit", "check_positive", "check_real", "check_size",
    "check_stochastic", "check_tolerance", "check_array", "not_converged",
]


def check_real(name: str, value) -> float:
    """``value`` as a Python float; ``ValueError`` unless it is a finite real number."""
    if isinstance(value, bool | str | bytes) or not (
            isinstance(value, numbers.Real) or np.ndim(value) == 0 and
            np.issubdtype(np.asarray(value).dtype, np.number)):
        raise ValueError(f"`{name}` must be a real number; got {value!r}.")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"`{name}` must be finite; got {value!r}.")
    return number


def check_open_unit(name: str, value) -> float:
    """``value`` as a float; ``ValueError`` unless 0 < value < 1."""
    number = check_real(name, value)
    if not 0.0 < number < 1.0:
        raise ValueError(f"`{name}` must be in (0, 1); got {value!r}.")
    return number


def check_positive(name: str, value) -> float:
    """``value`` as a float; ``ValueError`` unless value > 0."""
    number = check_real(name, value)
    if not number > 0.0:
        raise ValueError(f"`{name}` must be positive; got {value!r}.")
    return number


def check_tolerance(name: str, value) -> float:
    """``value`` as a float; ``ValueError`` unless value ≥ 0 (a stopping tolerance)."""
    number = check_real(name, value)
    if not number >= 0.0:
        raise ValueError(f"`{name}` must be non-negative; got {value!r}.")
    return number


def check_integer(name: str, value, minimum: int = 1) -> int:
    """``value`` as a Python int; ``ValueError`` unless an integer ≥ ``minimum``.

    Python and NumPy integers are accepted, ``bool`` and floats are not.

    Example:
        >>> check_integer("max_iter", np.int64(50))
        50
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise ValueError(f"`{name}` must be an integer ≥ {minimum}; got {value!r}.")
    if value < minimum:
        raise ValueError(f"`{name}` must be an integer ≥ {minimum}; got {value!r}.")
    return int(value)


def check_size(name: str, value, minimum: int = 2) -> int:
    """A grid size: an integer ≥ ``minimum`` (2 by default)."""
    return check_integer(name, value, minimum)


def check_stochastic(name: str, P, *, atol: float = 1e-10) -> None:
    """``ValueError`` unless every row of ``P`` (last axis) is a probability vector."""
    P = np.asarray(P, dtype=float)
    bad = np.argwhere(~(np.isfinite(P) & (P >= 0.0)))
    if bad.size:
        entry = tuple(int(i) for i in bad[0])
        raise ValueError(f"`{name}` must be non-negative and finite; entry {entry} is "
                         f"{P[entry]!r}.")
    sums = P.sum(axis=-1)
    wrong = np.argwhere(np.abs(sums - 1.0) > atol)
    if wrong.size:
        row = tuple(int(i) for i in wrong[0])
        label = row[0] if len(row) == 1 else row
        raise ValueError(f"`{name}` row {label} sums to {sums[row]:.6g}, not 1.")


def check_array(name: str, value, shape: tuple[int, ...]) -> None:
    """``ValueError`` unless ``value`` is a finite numeric array of ``shape``.

    A JAX array spread over several processes is checked where it lives (``jnp``), never
    gathered; anything else is checked in NumPy, which compiles nothing.
    """
    dtype = getattr(value, "dtype", None)
    dtype = np.asarray(value).dtype if dtype is None else np.dtype(dtype)
    if not np.issubdtype(dtype, np.number):
        raise ValueError(f"`{name}` must be a numeric array of shape {tuple(shape)}; got "
                         f"dtype {dtype}.")
    if tuple(np.shape(value)) != tuple(shape):
        raise ValueError(f"`{name}` must have shape {tuple(shape)}; got {np.shape(value)}.")
    local = not isinstance(value, jax.Array) or value.is_fully_addressable
    finite = np.all(np.isfinite(np.asarray(value))) if local else jnp.all(jnp.isfinite(value))
    if not bool(finite):
        raise ValueError(f"`{name}` must be finite; it holds a NaN or an infinity.")


def not_converged(name: str, *, error: float, tol: float, max_iter: int) -> RuntimeError:
    """The error a solver raises when ``max_iter`` iterations leave ``error`` > ``tol``.

    The tolerance is printed as given (``repr``), never rounded.

    Example:
        >>> print(not_converged("vfi", error=2e-9, tol=1.5e-9, max_iter=10))
        ... # doctest: +NORMALIZE_WHITESPACE
        vfi did not converge in max_iter=10 iterations (last error 2.0e-09 >
        tol=1.5e-09); raise max_iter or loosen tol
    """
    if error != error:  # NaN: the loop stopped early
        return RuntimeError(f"{name} stopped with a non-finite error (an inner solve failed "
                            f"or the iterate overflowed) before meeting tol={tol!r}")
    return RuntimeError(f"{name} did not converge in max_iter={max_iter} iterations (last "
                        f"error {error:.1e} > tol={tol!r}); raise max_iter or loosen tol")
