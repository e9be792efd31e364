"""Benchmarks of Lectures 2 and 3, re-runnable with ``python -m jaxecon bench mlp|grid``.

``mlp`` times one training step of the MLP of :mod:`jaxecon.mlp` (gradient descent and
Adam) and reports how far each lowers the loss; ``grid`` evaluates f(x, y) =
cos(x² + y²) / (1 + x² + y²) on a square grid three ways (:mod:`jaxecon.jax_intro`) and
reports the time and the memory of each, with the largest deviation from broadcasting
so that agreement is checked on every run. Timings come from :func:`jaxecon.timing.measure`
on JAX's default device.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from jaxecon.bench import Benchmark
from jaxecon.checks import check_integer
from jaxecon.jax_intro import GRID_METHODS, evaluate_grid, grid_memory_bytes
from jaxecon.mlp import (
    LEARNING_RATES,
    OPTIMIZERS,
    init_mlp,
    make_regression_data,
    train_mlp,
)
from jaxecon.timing import jax_device_label, measure

__all__ = ["MLPRecord", "GridRecord", "bench_mlp", "bench_grid", "format_mlp_table",
           "format_grid_table", "MLP", "GRID"]


class MLPRecord(NamedTuple):
    """One optimiser's training benchmark; ``_asdict()`` is the JSON the CLI prints."""

    optimizer: str  # 'gd' or 'adam'
    learning_rate: float  # step size η
    steps: int  # updates per timed run
    seconds_per_step_min: float  # fastest repeat / steps
    seconds_per_step_median: float  # median repeat / steps
    compile_seconds: float  # first-call overhead: tracing and XLA compilation
    initial_loss: float  # ℓ(θ_0)
    final_loss: float  # ℓ(θ_steps)
    layer_sizes: list[int]  # (k_0, …, k_L)
    n: int  # observations
    dtype: str  # floating-point type of the computation
    device: str  # hardware that ran it
    versions: dict[str, str]  # versions of jax, jaxlib, numpy, optax


def bench_mlp(
    *, key: jax.Array, steps: int = 1000, repeats: int = 5,
    layer_sizes: tuple[int, ...] = (1, 32, 32, 1), n: int = 200,
    optimizers: tuple[str, ...] = OPTIMIZERS,
) -> list[MLPRecord]:
    """Time training of the MLP on :func:`make_regression_data`, per step, per optimiser.

    Each optimiser runs ``steps`` updates from the same θ_0 with its rate from
    :data:`LEARNING_RATES`, timed by :func:`jaxecon.timing.measure` on JAX's device.

    Args:
        key: a JAX PRNG key for the data and θ_0.
        steps: updates per timed run, at least 1.
        repeats: timed repeats after the compiling first run, at least 1.
        layer_sizes: (k_0, …, k_L) with k_0 = k_L = 1.
        n: observations, at least 1.
        optimizers: names from :data:`OPTIMIZERS`.

    Returns:
        One :class:`MLPRecord` per optimiser.

    Raises:
        ValueError: for bad ``steps``, ``repeats``, ``layer_sizes``, ``n`` or ``optimizers``.
    """
    key_data, key_theta = jax.random.split(key)
    data = make_regression_data(key=key_data, n=n)
    theta = init_mlp(key=key_theta, layer_sizes=layer_sizes)
    records = []
    for optimizer in optimizers:
        rate = LEARNING_RATES.get(optimizer, 1.0)
        timing, result = measure(
            lambda o=optimizer, r=rate: train_mlp(theta, data, optimizer=o, learning_rate=r,
                                              steps=steps),
            name=optimizer, size=steps, dtype=str(data.x.dtype), repeats=repeats,
            device=jax_device_label(), packages=("jax", "jaxlib", "numpy", "optax"))
        per_min, per_median = timing.per()
        records.append(MLPRecord(
            optimizer, rate, steps, per_min, per_median, timing.compile_seconds,
            float(result.losses[0]), float(result.losses[-1]), list(layer_sizes), n,
            timing.dtype, timing.device, timing.versions))
    return records


def format_mlp_table(records: list[MLPRecord]) -> str:
    """A plain-text table: time per step and the loss before and after, per optimiser."""
    lines = [f"{'optimizer':<10}{'η':>7}{'µs/step min':>13}{'µs/step med':>13}"
             f"{'compile s':>11}{'loss first':>12}{'loss last':>12}{'fall ×':>9}"]
    for r in records:
        lines.append(
            f"{r.optimizer:<10}{r.learning_rate:>7g}{r.seconds_per_step_min * 1e6:>13.1f}"
            f"{r.seconds_per_step_median * 1e6:>13.1f}{r.compile_seconds:>11.3f}"
            f"{r.initial_loss:>12.4f}{r.final_loss:>12.4f}{r.initial_loss / r.final_loss:>9.0f}")
    return "\n".join(lines)


def _mlp_arguments(parser) -> None:
    parser.add_argument("--steps", type=lambda t: int(float(t)), default=1000,
                        help="gradient steps per timed run (default 1000)")
    parser.add_argument("--width", type=int, default=32, help="units per hidden layer (32)")
    parser.add_argument("--depth", type=int, default=2, help="hidden layers (default 2)")
    parser.add_argument("--n", type=int, default=200, help="observations (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the PRNG key (0)")


def _mlp_run(args) -> tuple[str, list[MLPRecord]]:
    sizes = (1, *([args.width] * args.depth), 1)
    records = bench_mlp(key=jax.random.key(args.seed), steps=args.steps, repeats=args.repeats,
                        layer_sizes=sizes, n=args.n)
    shape = "-".join(map(str, sizes))
    return (f"MLP {shape}, {args.n} observations, {args.steps:,} steps, "
            f"{records[0].dtype}, on {records[0].device}"), records


#: ``python -m jaxecon bench mlp``: time per training step of Lecture 2's network.
MLP = Benchmark("time per training step of the MLP, gradient descent and Adam (Lecture 2)",
                _mlp_arguments, _mlp_run, format_mlp_table)


class GridRecord(NamedTuple):
    """One method's grid evaluation; ``_asdict()`` is the JSON the CLI prints."""

    method: str  # 'meshgrid', 'broadcast' or 'vmap'
    size: int  # n: the grid is n × n
    seconds_min: float  # fastest repeat, seconds per evaluation
    seconds_median: float  # median repeat, seconds per evaluation
    compile_seconds: float  # first-call overhead: tracing and XLA compilation
    memory_bytes: int  # inputs + output + XLA temporaries of the compiled computation
    max_deviation: float  # max |F − F_broadcast| over the grid
    dtype: str  # floating-point type
    device: str  # hardware that ran it
    versions: dict[str, str]  # versions of jax, jaxlib, numpy


def bench_grid(*, size: int = 2000, repeats: int = 5) -> list[GridRecord]:
    """Time f(x, y) on an n × n grid of [−3, 3]² by each of :data:`GRID_METHODS`.

    The meshgrid method's time includes building its two coordinate arrays.

    Args:
        size: n, points per axis, at least 1.
        repeats: timed repeats after the compiling first call, at least 1.

    Returns:
        One :class:`GridRecord` per method.

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
        records.append(GridRecord(
            method, size, timing.seconds_min, timing.seconds_median, timing.compile_seconds,
            grid_memory_bytes(x, x, method=method), deviation, timing.dtype, timing.device,
            timing.versions))
    return records


def format_grid_table(records: list[GridRecord]) -> str:
    """A plain-text table: time, memory and deviation from broadcasting, per method."""
    lines = [f"{'method':<11}{'ms min':>9}{'ms median':>11}{'compile s':>11}{'MiB':>9}"
             f"{'max |ΔF|':>11}"]
    for r in records:
        lines.append(
            f"{r.method:<11}{r.seconds_min * 1e3:>9.2f}{r.seconds_median * 1e3:>11.2f}"
            f"{r.compile_seconds:>11.3f}{r.memory_bytes / 2**20:>9.1f}{r.max_deviation:>11.1e}")
    return "\n".join(lines)


def _grid_arguments(parser) -> None:
    parser.add_argument("--size", type=lambda t: int(float(t)), default=2000,
                        help="points per axis n of the n × n grid (default 2000)")


def _grid_run(args) -> tuple[str, list[GridRecord]]:
    records = bench_grid(size=args.size, repeats=args.repeats)
    return (f"f(x, y) on a {args.size:,} × {args.size:,} grid, {records[0].dtype}, "
            f"on {records[0].device}"), records


#: ``python -m jaxecon bench grid``: vectorization three ways (Lecture 3).
GRID = Benchmark("f(x, y) on a grid by meshgrid, broadcasting and vmap (Lecture 3)",
                 _grid_arguments, _grid_run, format_grid_table)
