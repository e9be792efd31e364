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

import numpy as np

__all__ = [
    "check_integer", "check_open_unit", "check_positive", "check_real", "check_size",
    "check_stochastic", "check_tolerance", "check_array", "not_converged", "check_interval",
    "check_nonnegative", "check_nonzero", "check_not_equal", "check_greater", "check_choice",
    "check_ndim", "check_shape", "check_positive_array", "check_integers", "check_multiple",
]

# The ends of an interval, by which of them belong to it.
_BRACKETS = {"neither": "()", "left": "[)", "right": "(]", "both": "[]"}


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


def check_nonnegative(name: str, value) -> float:
    """``value`` as a float; ``ValueError`` unless value ≥ 0."""
    number = check_real(name, value)
    if not number >= 0.0:
        raise ValueError(f"`{name}` must be non-negative; got {value!r}.")
    return number


def check_tolerance(name: str, value) -> float:
    """``value`` as a float; ``ValueError`` unless value ≥ 0 (a stopping tolerance)."""
    return check_nonnegative(name, value)


def check_nonzero(name: str, value) -> float:
    """``value`` as a float; ``ValueError`` unless it is finite and not 0."""
    return check_not_equal(name, value, 0)


def check_not_equal(name: str, value, excluded: float) -> float:
    """``value`` as a float; ``ValueError`` unless it is finite and not ``excluded``.

    Example:
        >>> check_not_equal("eis", 1.0, 1)
        Traceback (most recent call last):
        ...
        ValueError: `eis` must not be 1; got 1.0.
    """
    number = check_real(name, value)
    if number == excluded:
        rule = "be non-zero" if excluded == 0 else f"not be {_number(excluded)}"
        raise ValueError(f"`{name}` must {rule}; got {value!r}.")
    return number


def _number(x) -> str:
    """A bound as a reader writes it: 1 for 1.0, -0.5, 0.01."""
    x = float(x)
    return str(int(x)) if x.is_integer() else repr(x)


def check_interval(name: str, value, low: float, high: float, *,
                   closed: str = "neither") -> float:
    """``value`` as a float; ``ValueError`` unless it lies between ``low`` and ``high``.

    ``closed`` says which ends belong to the interval: "neither" (low, high), "left"
    [low, high), "right" (low, high] or "both" [low, high].

    Example:
        >>> check_interval("rho", 1.0, -1, 1)
        Traceback (most recent call last):
        ...
        ValueError: `rho` must be in (-1, 1); got 1.0.
    """
    left, right = _BRACKETS[closed]
    number = check_real(name, value)
    above = number >= low if left == "[" else number > low
    below = number <= high if right == "]" else number < high
    if not (above and below):
        raise ValueError(f"`{name}` must be in {left}{_number(low)}, {_number(high)}{right}; "
                         f"got {value!r}.")
    return number


def check_greater(name: str, value, other_name: str, other_value) -> float:
    """``value`` as a float; ``ValueError`` unless value > ``other_value``.

    Example:
        >>> check_greater("w_max", 0.0, "w_min", 0.01)
        Traceback (most recent call last):
        ...
        ValueError: `w_max` must exceed w_min=0.01; got 0.0.
    """
    number = check_real(name, value)
    if not number > check_real(other_name, other_value):
        raise ValueError(f"`{name}` must exceed {other_name}={other_value!r}; got {value!r}.")
    return number


def check_choice(name: str, value, choices):
    """``value`` unchanged; ``ValueError`` unless it is one of ``choices``.

    Example:
        >>> check_choice("method", "c", ("a", "b"))
        Traceback (most recent call last):
        ...
        ValueError: `method` must be one of 'a', 'b'; got 'c'.
    """
    if isinstance(value, list | dict | set) or value not in tuple(choices):
        raise ValueError(f"`{name}` must be one of {', '.join(map(repr, choices))}; "
                         f"got {value!r}.")
    return value


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


def check_integers(name: str, values, minimum: int = 1, length: int = 1) -> tuple[int, ...]:
    """``values`` as a tuple of ints; ``ValueError`` unless ≥ ``length`` integers ≥ ``minimum``.

    Example:
        >>> check_integers("layer_sizes", (1, 0, 1), length=2)
        Traceback (most recent call last):
        ...
        ValueError: `layer_sizes` must be at least 2 integers ≥ 1; got (1, 0, 1).
    """
    values = tuple(values)
    try:
        if len(values) < length:
            raise ValueError
        return tuple(check_integer(name, v, minimum) for v in values)
    except ValueError:
        raise ValueError(f"`{name}` must be at least {length} integers ≥ {minimum}; "
                         f"got {values!r}.") from None


def check_multiple(name: str, value, factor: int, reason: str, *,
                   what: str | None = None) -> int:
    """``value`` as an int; ``ValueError`` unless it is a multiple of ``factor``.

    ``reason`` says what ``factor`` is; ``what`` names the property of ``name`` that
    ``value`` is, when it is not the parameter itself.

    Example:
        >>> check_multiple("w_size", 25, 4, "the number of devices")
        Traceback (most recent call last):
        ...
        ValueError: `w_size` must be a multiple of 4, the number of devices; got 25.
    """
    number = check_integer(name, value)
    if number % factor:
        subject = f"`{name}`" if what is None else f"The {what} of `{name}`"
        raise ValueError(f"{subject} must be a multiple of {factor}, {reason}; got {value!r}.")
    return number


def check_size(name: str, value, minimum: int = 2) -> int:
    """A grid size: an integer ≥ ``minimum`` (2 by default)."""
    return check_integer(name, value, minimum)


def check_ndim(name: str, value, ndim: int):
    """``value`` unchanged; ``ValueError`` unless a non-empty array of ``ndim`` axes."""
    shape = np.shape(value)
    if len(shape) != ndim or 0 in shape:
        raise ValueError(f"`{name}` must be a non-empty {ndim}-D array; got shape {shape}.")
    return value


def check_shape(name: str, value, shape: tuple[int, ...]):
    """``value`` unchanged; ``ValueError`` unless its shape is ``shape`` (any dtype)."""
    if tuple(np.shape(value)) != tuple(shape):
        raise ValueError(f"`{name}` must have shape {tuple(shape)}; got {np.shape(value)}.")
    return value


def check_positive_array(name: str, value):
    """``value`` unchanged; ``ValueError`` unless every entry is positive.

    Example:
        >>> check_positive_array("k0", [1.0, -2.0])
        Traceback (most recent call last):
        ...
        ValueError: `k0` must be positive; its least entry is -2.0.
    """
    array = np.asarray(value)
    if not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"`{name}` must be a positive number or array; got {value!r}.")
    if not np.all(array > 0.0):
        raise ValueError(f"`{name}` must be positive; its least entry is "
                         f"{float(np.min(array))!r}.")
    return value


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
    check_shape(name, value, shape)
    import jax  # here, so that importing the checks starts no JAX (a CLI's --help)
    import jax.numpy as jnp

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
