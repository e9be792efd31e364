"""The grid of the intro_jax page, three ways: ``python -m jaxecon bench intro_jax``.

Evaluates f(x, y) = cos(x² + y²) / (1 + x² + y²) on a square grid by meshgrid,
broadcasting and ``vmap`` (:mod:`jaxecon.intro_jax`) and reports the time and the memory
of each, with the largest deviation from broadcasting so that agreement is checked on
every run. Timings come from :func:`jaxecon.timing.measure` on JAX's default device.
"""

from __future__ import annotations

import jax.numpy as jnp

from jaxecon.bench import Benchmark
from jaxecon.checks import check_integer
from jaxecon.devices import jax_device_label
from jaxecon.intro_jax import GRID_METHODS, evaluate_grid, grid_memory_bytes
from jaxecon.results import Record, format_records
from jaxecon.timing import measure

__all__ = ["BENCHMARK", "bench_grid", "format_grid_table"]


def bench_grid(*, size: int = 2000, repeats: int = 5) -> list[Record]:
    """Time f(x, y) on an n × n grid of [−3, 3]² by each of :data:`GRID_METHODS`.

    The meshgrid method's time includes building its two coordinate arrays.

    Args:
        size: n, points per axis, at least 1.
        repeats: timed repeats after the compiling first call, at least 1.

    Returns:
        One :class:`~jaxecon.results.Record` per method, times per evaluation.

    Raises:
        ValueError: for a bad ``size`` or ``repeats``.
    """
    check_integer("size", size)
    x = jnp.linspace(-3.0, 3.0, size)
    timings, values = {}, {}
    for method in GRID_METHODS:
        timings[method], values[method] = measure(
            lambda m=method: evaluate_grid(x, x, method=m), name=method, size=size * size,
            dtype=str(x.dtype), repeats=repeats, device=jax_device_label())
    records = []
    for method, timing in timings.items():
        deviation = float(jnp.max(jnp.abs(values[method] - values["broadcast"])))
        records.append(Record(timing, {
            "method": method, "size": size, "memory_bytes": grid_memory_bytes(x, x, method=method),
            "max_deviation": deviation}))
    return records


def format_grid_table(records: list[Record]) -> str:
    """A plain-text table: time, memory and deviation from broadcasting, per method."""
    return format_records(records, [
        ("method", "<11", lambda r: r.method),
        ("ms min", ">9.2f", lambda r: r.seconds_min * 1e3),
        ("ms median", ">11.2f", lambda r: r.seconds_median * 1e3),
        ("compile s", ">11.3f", lambda r: r.compile_seconds),
        ("MiB", ">9.1f", lambda r: r.memory_bytes / 2**20),
        ("max |ΔF|", ">11.1e", lambda r: r.max_deviation)])


def _grid_arguments(parser) -> None:
    parser.add_argument("--size", type=lambda t: int(float(t)), default=2000,
                        help="points per axis n of the n × n grid (default 2000)")


def _grid_run(args) -> tuple[str, list[Record]]:
    records = bench_grid(size=args.size, repeats=args.repeats)
    return (f"f(x, y) on a {args.size:,} × {args.size:,} grid, {records[0].dtype}, "
            f"on {records[0].device}"), records


#: ``python -m jaxecon bench intro_jax``: vectorization three ways (the intro_jax page).
BENCHMARK = Benchmark("f(x, y) on a grid by meshgrid, broadcasting and vmap",
                      _grid_arguments, _grid_run, format_grid_table)
