"""One timing helper for every benchmark of the site.

A timing is only worth publishing with what it measured: this module times a callable
several times, waits for asynchronous JAX work with ``jax.block_until_ready``, reports
the cost of the first call (tracing and compilation for JIT compilers) apart from the
steady-state run time, and keeps the minimum and the median of the repeats together with
the device, dtype, problem size and library versions.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import jax

from jaxecon.checks import check_integer
from jaxecon.machine import describe_machine, package_versions

__all__ = ["Timing", "measure", "cpu_label", "jax_device_label"]


class Timing(NamedTuple):
    """The record of one measurement; ``_asdict()`` is JSON-serialisable."""

    name: str  # what was timed
    seconds_min: float  # fastest repeat, seconds per call
    seconds_median: float  # median repeat, seconds per call
    compile_seconds: float  # first call minus the median call (JIT compilation), ≥ 0
    repeats: int  # timed repeats after the first call
    number: int  # calls per repeat
    size: int  # problem size, e.g. time steps
    dtype: str  # floating-point type of the computation
    device: str  # hardware that ran it
    versions: dict[str, str]  # versions of the libraries involved

    def per(self, units: int | None = None) -> tuple[float, float]:
        """(min, median) seconds per unit of work; ``units`` defaults to ``size``."""
        units = self.size if units is None else units
        return self.seconds_min / units, self.seconds_median / units


def cpu_label() -> str:
    """The processor that runs CPU code, e.g. 'AMD EPYC (2 cores)'."""
    return describe_machine().cpu_label


def jax_device_label() -> str:
    """The device JAX runs on by default: the CPU label, or the accelerator's name."""
    return describe_machine().label


def _clock(fn: Callable[..., Any], args: tuple, number: int) -> tuple[float, Any]:
    start = time.perf_counter()
    for _ in range(number):
        out = jax.block_until_ready(fn(*args))
    return (time.perf_counter() - start) / number, out


def measure(
    fn: Callable[..., Any],
    *args: Any,
    name: str,
    size: int,
    dtype: str = "float64",
    repeats: int = 5,
    number: int = 1,
    device: str | None = None,
    packages: tuple[str, ...] = ("jax", "jaxlib", "numpy"),
) -> tuple[Timing, Any]:
    """Time ``fn(*args)``: one first call, then ``repeats`` timed repeats of ``number`` calls.

    Every call's output is passed to ``jax.block_until_ready``, so asynchronous JAX
    dispatch is included in the time (other outputs pass through unchanged).

    Args:
        fn: the callable to time.
        *args: its positional arguments.
        name: label stored in the record.
        size: problem size stored in the record (e.g. steps), at least 1.
        dtype: floating-point type of the computation, stored in the record.
        repeats: timed repeats after the first call, at least 1.
        number: calls per repeat, at least 1; raise it for calls shorter than ~1 ms.
        device: hardware label; defaults to :func:`cpu_label`.
        packages: distributions whose versions the record carries.

    Returns:
        ``(timing, output)``: the :class:`Timing` record and the last call's output.

    Raises:
        ValueError: if ``size``, ``repeats`` or ``number`` is below 1.

    Example:
        >>> timing, out = measure(sum, [1, 2, 3], name="sum", size=3, repeats=2)
        >>> out, timing.repeats
        (6, 2)
    """
    for label, value in (("size", size), ("repeats", repeats), ("number", number)):
        check_integer(label, value)
    first, out = _clock(fn, args, 1)
    runs = [_clock(fn, args, number)[0] for _ in range(repeats)]
    median = statistics.median(runs)
    timing = Timing(
        name=name,
        seconds_min=min(runs),
        seconds_median=median,
        compile_seconds=max(first - median, 0.0),
        repeats=repeats,
        number=number,
        size=size,
        dtype=dtype,
        device=device or cpu_label(),
        versions=package_versions(packages),
    )
    return timing, out
