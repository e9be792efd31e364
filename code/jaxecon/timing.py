"""One timing helper for every benchmark of the site.

A timing is only worth publishing with what it measured: this module times a callable
several times, waits for asynchronous JAX work with ``jax.block_until_ready``, reports
the cost of the first call (tracing and compilation for JIT compilers) apart from the
steady-state run time, and keeps the minimum, median and maximum of the repeats together
with the device, dtype, problem size and library versions.

One statistic, said once: the site compares timings by the ratio of their *minima* over at
least :data:`MIN_REPEATS` repeats (the minimum is the run least disturbed by other work on
a shared machine), and shows the medians and the spread beside it. :func:`ratio` computes
that triple and :func:`compare` turns it into the sentence a page glues, so that which of
two programs is faster is chosen by the measurement, never typed by hand.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import jax

from jaxecon.checks import check_integer, check_interval
from jaxecon.devices import cpu_label
from jaxecon.machine import package_versions

__all__ = ["Timing", "measure", "MIN_REPEATS", "Ratio", "ratio", "compare", "peak_bytes"]

#: The fewest repeats behind any timing a page compares.
MIN_REPEATS = 5


class Timing(NamedTuple):
    """The record of one measurement; ``_asdict()`` is JSON-serialisable.

    Times are seconds per call, or per unit of work after :meth:`scaled` (a benchmark
    record says which in its ``unit``). A field is None only where the run could not
    observe it (an external interpreter reports no slowest repeat) or a committed record
    predates it.
    """

    name: str  # what was timed
    seconds_min: float  # fastest repeat, seconds per call
    seconds_median: float  # median repeat, seconds per call
    seconds_max: float  # slowest repeat, seconds per call
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

    def scaled(self, units: float) -> Timing:
        """The same record with every time divided by ``units`` (e.g. per path)."""
        return self._replace(seconds_min=self.seconds_min / units,
                             seconds_median=self.seconds_median / units,
                             seconds_max=None if self.seconds_max is None else
                             self.seconds_max / units)


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
        seconds_max=max(runs),
        compile_seconds=max(first - median, 0.0),
        repeats=repeats,
        number=number,
        size=size,
        dtype=dtype,
        device=device or cpu_label(),
        versions=package_versions(packages),
    )
    return timing, out


def _seconds(record: Any, stat: str) -> float | None:
    """``record.seconds_<stat>``: a :class:`Timing`, or a bench record that carries one."""
    value = getattr(record, f"seconds_{stat}", None)
    return None if value is None else float(value)


class Ratio(NamedTuple):
    """How many times as long ``slow`` took as ``fast``: the ratio of minima, medians beside."""

    of_min: float  # slow.seconds_min / fast.seconds_min, the number a page states
    of_median: float  # slow.seconds_median / fast.seconds_median, shown beside
    spread: float  # the wider relative spread (max − min) / min of the two timings

    def __str__(self) -> str:
        return (f"{self.of_min:.2f}× (ratio of minima; medians give {self.of_median:.2f}×, "
                f"repeats spread up to {self.spread:.0%})")


def ratio(slow: Any, fast: Any) -> Ratio:
    """The site's one timing statistic: the ratio of minima, with medians and spread.

        of_min = t_min(slow) / t_min(fast),   of_median = t_med(slow) / t_med(fast),
        spread = max over the two of (t_max − t_min) / t_min

    Args:
        slow, fast: :class:`Timing` records, or bench records that carry one
            (:class:`jaxecon.bench.Record`); where ``seconds_max`` is None the median
            stands in for it.

    Returns:
        A :class:`Ratio`.

    Raises:
        ValueError: if a record lacks a positive minimum or median.

    Example:
        >>> a = Timing("a", 2.0, 2.2, 3.0, 0.0, 5, 1, 1, "float64", "cpu", {})
        >>> b = Timing("b", 1.0, 1.0, 1.1, 0.0, 5, 1, 1, "float64", "cpu", {})
        >>> r = ratio(a, b)
        >>> r.of_min, r.of_median, r.spread
        (2.0, 2.2, 0.5)
    """
    values = {}
    for label, record in (("slow", slow), ("fast", fast)):
        lo, mid = _seconds(record, "min"), _seconds(record, "median")
        if lo is None or mid is None or lo <= 0 or mid <= 0:  # stays: two fields of a record
            raise ValueError(f"`{label}` must carry positive minimum and median seconds; "
                             f"got {record!r}")
        hi = _seconds(record, "max") or mid
        values[label] = (lo, mid, (hi - lo) / lo)
    (s_lo, s_mid, s_spread), (f_lo, f_mid, f_spread) = values["slow"], values["fast"]
    return Ratio(s_lo / f_lo, s_mid / f_mid, max(s_spread, f_spread))


def compare(a: Any, b: Any, name_a: str, name_b: str, *, tie: float = 0.1) -> str:
    """The sentence comparing two timings, chosen by the measurement.

    With r = t_min(b) / t_min(a): "A is r× faster than B" when r ≥ 1 + tie, "A is 1/r×
    slower than B" when r ≤ 1/(1 + tie), otherwise "A and B tie within P%".

    Args:
        a, b: timings as for :func:`ratio`.
        name_a, name_b: what the sentence calls them.
        tie: relative difference of the minima below which the two tie, in [0, 1).

    Returns:
        The sentence, without a final full stop.

    Raises:
        ValueError: for a ``tie`` outside [0, 1) or records without timings.

    Example:
        >>> a = Timing("a", 1.0, 1.0, 1.0, 0.0, 5, 1, 1, "float64", "cpu", {})
        >>> b = Timing("b", 3.0, 3.0, 3.0, 0.0, 5, 1, 1, "float64", "cpu", {})
        >>> compare(a, b, "C", "Python")
        'C is 3.0× faster than Python'
        >>> compare(a, a, "C", "Fortran")
        'C and Fortran tie within 10%'
    """
    check_interval("tie", tie, 0, 1, closed="left")
    r = ratio(b, a).of_min
    if r >= 1.0 + tie:
        return f"{name_a} is {r:.1f}× faster than {name_b}"
    if r <= 1.0 / (1.0 + tie):
        return f"{name_a} is {1.0 / r:.1f}× slower than {name_b}"
    return f"{name_a} and {name_b} tie within {tie:.0%}"


def peak_bytes(compiled) -> int:
    """The memory a compiled JAX program holds at once, by XLA's memory analysis:
    arguments + outputs + temporaries − the outputs that alias (reuse) an argument.

    Example:
        >>> import jax.numpy as jnp
        >>> peak_bytes(jax.jit(lambda x: 2 * x).lower(jnp.zeros(4)).compile()) >= 2 * 4 * 4
        True
    """
    m = compiled.memory_analysis()
    return int(m.argument_size_in_bytes + m.output_size_in_bytes + m.temp_size_in_bytes
               - m.alias_size_in_bytes)
