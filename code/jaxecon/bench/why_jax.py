"""The MLP of the why_jax page, timed per training step: ``python -m jaxecon bench why_jax``.

One training step of the MLP of :mod:`jaxecon.mlp`, by gradient descent and by Adam, timed
by :func:`jaxecon.timing.measure` on JAX's default device, with how far each lowers the
loss.
"""

from __future__ import annotations

import jax

from jaxecon.bench import Benchmark
from jaxecon.devices import jax_device_label
from jaxecon.mlp import (
    LEARNING_RATES,
    OPTIMIZERS,
    init_mlp,
    make_regression_data,
    train_mlp,
)
from jaxecon.results import Record, format_records
from jaxecon.timing import measure

__all__ = ["BENCHMARK", "bench_mlp", "format_mlp_table"]


def bench_mlp(
    *, key: jax.Array, steps: int = 1000, repeats: int = 5,
    layer_sizes: tuple[int, ...] = (1, 32, 32, 1), n: int = 200,
    optimizers: tuple[str, ...] = OPTIMIZERS,
) -> list[Record]:
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
        One :class:`~jaxecon.results.Record` per optimiser; its times are seconds per step
        (``unit`` 'step').

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
        records.append(Record(timing.scaled(steps), {
            "optimizer": optimizer, "learning_rate": rate, "steps": steps, "unit": "step",
            "initial_loss": float(result.losses[0]), "final_loss": float(result.losses[-1]),
            "layer_sizes": list(layer_sizes), "n": n}))
    return records


def format_mlp_table(records: list[Record]) -> str:
    """A plain-text table: time per step and the loss before and after, per optimiser."""
    return format_records(records, [
        ("optimizer", "<10", lambda r: r.optimizer), ("η", ">7g", lambda r: r.learning_rate),
        ("µs/step min", ">13.1f", lambda r: r.seconds_min * 1e6),
        ("µs/step med", ">13.1f", lambda r: r.seconds_median * 1e6),
        ("compile s", ">11.3f", lambda r: r.compile_seconds),
        ("loss first", ">12.4f", lambda r: r.initial_loss),
        ("loss last", ">12.4f", lambda r: r.final_loss),
        ("fall ×", ">9.0f", lambda r: r.initial_loss / r.final_loss)])


def _mlp_arguments(parser) -> None:
    parser.add_argument("--steps", type=lambda t: int(float(t)), default=1000,
                        help="gradient steps per timed run (default 1000)")
    parser.add_argument("--width", type=int, default=32, help="units per hidden layer (32)")
    parser.add_argument("--depth", type=int, default=2, help="hidden layers (default 2)")
    parser.add_argument("--n", type=int, default=200, help="observations (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the PRNG key (0)")


def _mlp_run(args) -> tuple[str, list[Record]]:
    sizes = (1, *([args.width] * args.depth), 1)
    records = bench_mlp(key=jax.random.key(args.seed), steps=args.steps, repeats=args.repeats,
                        layer_sizes=sizes, n=args.n)
    shape = "-".join(map(str, sizes))
    return (f"MLP {shape}, {args.n} observations, {args.steps:,} steps, "
            f"{records[0].dtype}, on {records[0].device}"), records


#: ``python -m jaxecon bench why_jax``: time per training step of the page's network.
BENCHMARK = Benchmark("time per training step of the MLP, gradient descent and Adam",
                      _mlp_arguments, _mlp_run, format_mlp_table)
