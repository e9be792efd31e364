"""Benchmarks of the parallelization lecture: ``python -m jaxecon bench parallel``.

Two measurements on the optimal savings model, float64. One Bellman step T v computed
serially and in parallel (Numba on one thread and with ``prange``; JAX jit-compiled
broadcasting and ``vmap``). And a whole VFI solve with the state space sharded over
1, 2, 4, … devices: each count up to the devices present runs in this process; on a
CPU a larger count runs in a fresh process whose host is split into that many devices
by ``--xla_force_host_platform_device_count`` (the count is fixed when JAX starts).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import jax
import numpy as np

from jaxecon.backends.savings import bellman_numba
from jaxecon.bench import Benchmark
from jaxecon.checks import check_integer, check_interval
from jaxecon.devices import cpu_label, jax_device_label
from jaxecon.mdp import bellman_operator
from jaxecon.parallel import sharded_value_function_iteration
from jaxecon.results import Record, format_records
from jaxecon.savings import create_savings_model
from jaxecon.savings_stored import savings_bellman_vmap, store_utility
from jaxecon.timing import measure

__all__ = ["BENCHMARK", "bench_bellman_step", "bench_sharded_vfi", "format_parallel_table",
           "sharded_plan", "speedup_sentence"]

PACKAGES = ("jax", "jaxlib", "numpy", "numba")


def bench_bellman_step(model, *, repeats: int = 5) -> list[Record]:
    """Time one Bellman step T v, serially and in parallel, from the same v.

    ``model`` is a :class:`~jaxecon.savings_stored.StoredSavingsModel`: every step reads
    the stored u (Numba its own copy, computed once outside the timing). Each
    :class:`~jaxecon.results.Record` has the facts ``method`` (what ran), ``devices`` (JAX
    devices, or threads for Numba), ``num_iter`` and ``states``.
    """
    import numba

    v = np.asarray(bellman_operator(np.zeros(model.u.shape[:2]), model))
    threads = numba.config.NUMBA_NUM_THREADS
    runs = [
        ("Numba, one thread", 1, lambda: bellman_numba(v, model, parallel=False), cpu_label()),
        ("Numba prange", threads, lambda: bellman_numba(v, model, parallel=True), cpu_label()),
        ("JAX jit (broadcast)", 1, jax.jit(bellman_operator), None),  # the default device
        ("JAX vmap", 1, jax.jit(savings_bellman_vmap), None),
    ]
    records, results = [], []
    for name, n, fn, device in runs:
        args = () if device else (jax.numpy.asarray(v), model)
        timing, out = measure(fn, *args, name=name, size=1, repeats=repeats,
                              device=device or jax_device_label(), packages=PACKAGES)
        results.append(np.asarray(out))
        records.append(Record(timing, {"method": name, "devices": n, "num_iter": 1,
                                       "states": v.size}))
    # Loops and fused kernels round differently: T v = max u + β Σ_{y'} v Q, a sum of
    # y_size products, agrees to (y_size + 4) ε times its terms, |T v| + 2β max|v|.
    scale = np.abs(results[0]).max() + 2 * model.model.beta * np.abs(v).max()
    bound = (model.model.y_grid.size + 4) * np.finfo(v.dtype).eps * scale
    for out in results[1:]:
        np.testing.assert_allclose(out, results[0], rtol=0, atol=bound)
    return records


def _sharded_record(w_size: int, y_size: int, repeats: int, devices=None) -> Record:
    model = store_utility(create_savings_model(w_size=w_size, y_size=y_size))  # u split
    devices = jax.devices() if devices is None else devices
    timing, solution = measure(lambda: sharded_value_function_iteration(model, devices=devices),
                               name="sharded", size=1, repeats=repeats,
                               device=jax_device_label(), packages=PACKAGES)
    return Record(timing, {"method": "JAX sharded VFI", "devices": len(devices),
                           "num_iter": int(solution.num_iter), "states": w_size * y_size})


def bench_sharded_vfi(*, w_size: int = 152, y_size: int = 100, device_counts=(1, 2, 4),
                      repeats: int = 3) -> list[Record]:
    """Time VFI with the state space sharded over each number of devices in ``device_counts``.

    A count up to the devices present runs in this process, on the first that many; a
    larger count, on a CPU only, runs in a fresh process whose CPU is split into that
    many devices (the count is fixed when JAX starts).

    Raises:
        ValueError: if a count is below 1, or above the accelerators present.
    """
    on_cpu = jax.default_backend() == "cpu"
    for n in device_counts:
        check_integer("device_counts", n)
        if not on_cpu:
            check_interval("device_counts", n, 1, jax.device_count(), closed="both")
    records = []
    for n in device_counts:
        if n <= jax.device_count():
            records.append(_sharded_record(w_size, y_size, repeats, jax.devices()[:n]))
            continue
        flags = f"{os.environ.get('XLA_FLAGS', '')} --xla_force_host_platform_device_count={n}"
        command = [sys.executable, "-m", "jaxecon.bench.parallel", str(w_size), str(y_size),
                   str(repeats)]
        out = subprocess.run(command, capture_output=True, text=True, check=True,
                             env={**os.environ, "XLA_FLAGS": flags.strip(),
                                  "JAX_PLATFORMS": "cpu"})
        records.append(Record.from_json(json.loads(out.stdout.splitlines()[-1])))
    return records


def sharded_plan(devices=None, *, w_target: int = 152,
                 cpu_counts=(1, 2, 4)) -> tuple[tuple[int, ...], int]:
    """Device counts and a wealth grid size for :func:`bench_sharded_vfi` on ``devices``.

    On a CPU the counts are ``cpu_counts`` (each runs in its own process, its CPU split
    into that many devices); on accelerators, 1, 2, 4, … up to the devices present, and
    that number itself. The grid size is the multiple of every count nearest above
    ``w_target``, so that each device holds the same number of wealth points.

    Args:
        devices: the devices present, ``jax.devices()`` by default.
        w_target: the wealth grid size wanted.
        cpu_counts: the device counts to split a CPU into.

    Example:
        >>> from types import SimpleNamespace
        >>> sharded_plan([SimpleNamespace(platform="gpu")] * 3, w_target=100)
        ((1, 2, 3), 102)
    """
    devices = jax.devices() if devices is None else list(devices)
    if devices[0].platform == "cpu":
        counts = tuple(cpu_counts)
    else:
        counts = tuple(sorted({2**k for k in range(len(devices).bit_length())
                               if 2**k <= len(devices)} | {len(devices)}))
    step = math.lcm(*counts)
    return counts, step * -(-w_target // step)


def speedup_sentence(records: list[Record]) -> str:
    """What the sharded timings show, in words chosen from them (glued on the page)."""
    by_n = {r.devices: r for r in records}
    if set(by_n) == {1}:
        return ("Only one device is present, so this build measures the sharded code on one "
                "device and makes no comparison across devices.")
    parts = [f"{by_n[1].seconds_min / r.seconds_min:.2f} times as fast on {n}"
             for n, r in sorted(by_n.items()) if n > 1]
    return "Relative to one device the solve runs " + ", ".join(parts) + "."


def format_parallel_table(records: list[Record]) -> str:
    """Plain-text table: method, devices or threads, times, iterations."""
    return format_records(records, [
        ("method", "<22", lambda r: r.method), ("devices", ">8", lambda r: r.devices),
        ("min s", ">10.4f", lambda r: r.seconds_min),
        ("median s", ">10.4f", lambda r: r.seconds_median),
        ("compile s", ">11.3f", lambda r: r.compile_seconds),
        ("iterations", ">12", lambda r: r.num_iter)])


def _arguments(parser) -> None:
    parser.add_argument("--w-size", type=int, default=152, help="wealth grid points")
    parser.add_argument("--y-size", type=int, default=100, help="income states")
    parser.add_argument("--devices", type=int, nargs="+", default=None,
                        help="device counts for the sharded solve (default: from the devices "
                             "present, as the lecture chooses them)")


def _run(args) -> tuple[str, list[Record]]:
    model = store_utility(create_savings_model(w_size=args.w_size, y_size=args.y_size))
    records = bench_bellman_step(model, repeats=args.repeats)
    counts, w_sharded = (tuple(args.devices), args.w_size) if args.devices else \
        sharded_plan(w_target=args.w_size)
    records += bench_sharded_vfi(w_size=w_sharded, y_size=args.y_size,
                                 device_counts=counts, repeats=args.repeats)
    title = (f"Optimal savings, {args.w_size} x {args.y_size} states, float64, "
             f"on {jax_device_label()}")
    return title, records


#: ``python -m jaxecon bench parallel``: the tables of the parallelization lecture.
BENCHMARK = Benchmark("parallel Bellman steps and a sharded VFI", _arguments, _run,
                      format_parallel_table)


if __name__ == "__main__":  # one sharded solve in a process with its own device count
    jax.config.update("jax_enable_x64", True)  # as the command line sets it
    w, y, r = map(int, sys.argv[1:4])
    print(json.dumps(_sharded_record(w, y, r).as_json()))
