"""How a Bellman step's time and memory grow with the grid: ``bench opt_savings.scaling``.

For the savings model with y_size income states and wealth grids of w_size points from
150 up to the largest whose stored utility u(w, y, w') fits a memory budget, one step
T v = max_{w'} B(·, ·, w') is timed for each method: ``stored`` (JAX, reads u),
``computed`` (JAX, computes u(c) inside the fused step, γ fixed when compiling),
``numpy`` (u precomputed, one w²·y temporary per step) and optionally ``inline`` (JAX,
γ traced, so both the log and the power branch are computed). A step touches
states × choices = w_size · y_size · w_size elements; ``peak_bytes`` is XLA's memory
analysis of the compiled step (arguments + outputs + temporaries) for JAX, the bytes
of the arrays a step holds for NumPy. ``python -m jaxecon bench opt_savings.big``
(:mod:`jaxecon.bench.big_savings`) solves, once and with the computed operator, a grid
whose stored utility would not fit in this machine's memory.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from jaxecon.backends.savings import bellman_numpy, utility_numpy
from jaxecon.bench import Benchmark
from jaxecon.checks import check_integer, check_size
from jaxecon.crra import stored_utility_bytes
from jaxecon.devices import cpu_label, jax_device_label
from jaxecon.mdp import bellman_operator
from jaxecon.results import Record, format_records
from jaxecon.savings import create_savings_model
from jaxecon.savings_stored import savings_action_values_inline, store_utility
from jaxecon.timing import measure, peak_bytes

__all__ = ["BENCHMARK", "METHODS", "SCALING_BUDGET_BYTES", "scaling_sizes", "bench_scaling",
           "power_law", "largest_states", "format_scaling_table"]

#: The memory budget of the command: 1 GiB for the largest array a step may hold.
SCALING_BUDGET_BYTES = 1024**3
#: Every method the benchmark knows, in table order.
METHODS = ("stored", "computed", "numpy", "inline")


def _stored_step_bytes(w_size: int, y_size: int) -> int:
    """u plus the state-sized arrays and Q that a stored step holds, an upper bound."""
    return stored_utility_bytes(w_size, y_size) + 8 * (4 * w_size * y_size + y_size**2
                                                        + 2 * w_size + y_size)


def scaling_sizes(budget_bytes: int, y_size: int = 100, start: int = 150,
                  factor: float = math.sqrt(2.0)) -> list[int]:
    """Wealth grid sizes from ``start`` by ``factor`` up to the largest whose stored step fits.

    Example:
        >>> scaling_sizes(2**28, 100)
        [150, 212, 299, 422, 577]
    """
    check_size("start", start)
    largest = math.isqrt(check_integer("budget_bytes", budget_bytes) // (8 * y_size))
    while largest > 1 and _stored_step_bytes(largest, y_size) > budget_bytes:
        largest -= 1  # the stored step also holds v, T v, E[v] and Q
    if largest < start:
        raise ValueError(f"`budget_bytes` must hold the stored u of a {start} × {y_size} "
                         f"grid ({stored_utility_bytes(start, y_size):,} bytes); "
                         f"got {budget_bytes:,}.")
    sizes = [start]
    while int(sizes[-1] * factor) < largest:
        sizes.append(int(sizes[-1] * factor))
    return sizes + [largest] if sizes[-1] != largest else sizes


def _jax_peak(fn, *args) -> int:
    """Arguments + outputs + temporaries − aliases of ``fn(*args)`` compiled, in bytes."""
    return peak_bytes(jax.jit(fn).lower(*args).compile())


def _inline_step(v, model, gamma):
    return jnp.max(savings_action_values_inline(v, model, gamma=gamma), axis=-1)


def _step(method: str, w_size: int, y_size: int, gamma: float, budget: int):
    """(step, args, device, peak_bytes) for one method and grid."""
    computed = create_savings_model(w_size=w_size, y_size=y_size, gamma=gamma)
    v = jnp.zeros((w_size, y_size))
    if method == "numpy":
        w, y, Q = (np.asarray(a) for a in (computed.w_grid, computed.y_grid, computed.Q))
        # u, the temporary u + β E of the same size, and the small arrays a step holds
        peak = 2 * stored_utility_bytes(w_size, y_size) + (3 * w_size + y_size) * y_size * 8
        if peak > budget:
            return None, (), cpu_label(), peak
        u = utility_numpy(computed.R, gamma, w, y)
        return bellman_numpy, (np.asarray(v), u, Q, computed.beta), cpu_label(), peak
    if method == "stored":
        if stored_utility_bytes(w_size, y_size) > budget:
            return None, (), jax_device_label(), stored_utility_bytes(w_size, y_size)
        model = store_utility(computed, memory_budget_bytes=budget)
        fn, args = bellman_operator, (v, model)
    elif method == "computed":
        fn, args = bellman_operator, (v, computed)
    else:  # inline: γ an argument, so traced
        fn, args = jax.jit(_inline_step), (v, computed, jnp.asarray(gamma))
    peak = _jax_peak(fn, *args)
    return (fn if peak <= budget else None), args, jax_device_label(), peak


def bench_scaling(*, sizes=None, y_size: int = 100, gamma: float = 2.0,
                  methods=("stored", "computed", "numpy"), budget_bytes: int = SCALING_BUDGET_BYTES,
                  repeats: int = 3) -> list[Record]:
    """Time one Bellman step per method and grid; skip a method whose step exceeds the budget.

    Every step starts from the same v (the computed step's T 0), so the steps are compared
    on a value function with the shape of a real iterate; each record's ``gap`` is its
    sup distance to the computed step.

    Args:
        sizes: wealth grid sizes; :func:`scaling_sizes` of the budget by default.
        y_size: income states, fixed across the sweep, at least 2.
        gamma: relative risk aversion γ (it fixes the computed step's form of u).
        methods: a subset of :data:`METHODS`.
        budget_bytes: the most bytes a step may hold; larger steps are not run.
        repeats: timed repeats after a first (compiling) call, at least 1.

    Returns:
        One :class:`~jaxecon.results.Record` per (method, size) that fits the budget, its
        times per Bellman step, with the facts ``method``, ``w_size``, ``y_size``,
        ``states``, ``choices`` (w' per state), ``gamma``, ``ns_per_element`` (fastest
        step / (states · choices)), ``peak_bytes`` (XLA's memory analysis, or NumPy's
        arrays), ``budget_bytes`` and ``gap`` (sup distance to the computed step).

    Raises:
        ValueError: for an unknown method, or a bad size, budget or repeat count.

    Example:
        >>> rs = bench_scaling(sizes=[20], y_size=3, methods=("computed",), repeats=1)
        >>> rs[0].states, rs[0].choices
        (60, 20)
    """
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"`methods` must be among {METHODS}; got {unknown[0]!r}.")
    check_integer("repeats", repeats)
    sizes = scaling_sizes(budget_bytes, y_size) if sizes is None else sizes
    records = []
    for w_size in (check_size("sizes", s) for s in sizes):
        computed = create_savings_model(w_size=w_size, y_size=y_size, gamma=gamma)
        v = bellman_operator(jnp.zeros((w_size, y_size)), computed)
        reference = np.asarray(bellman_operator(v, computed))
        for method in methods:
            step, args, device, peak = _step(method, w_size, y_size, gamma, budget_bytes)
            if step is None:
                continue
            args = (np.asarray(v) if method == "numpy" else v,) + args[1:]
            elements = w_size * y_size * w_size
            timing, out = measure(step, *args, name=method, size=elements, repeats=repeats,
                                  device=device)
            gap = float(np.max(np.abs(np.asarray(out) - reference)))
            records.append(Record(timing, {
                "method": method, "w_size": w_size, "y_size": y_size,
                "states": w_size * y_size, "choices": w_size, "gamma": float(gamma),
                "ns_per_element": timing.seconds_min / elements * 1e9, "peak_bytes": peak,
                "budget_bytes": int(budget_bytes), "gap": gap}))
    return records


def power_law(x, y) -> tuple[float, float]:
    """(slope b, prefactor a) of the least-squares fit log y = log a + b log x.

    Example:
        >>> [round(t, 6) for t in power_law([1, 2, 4], [3, 12, 48])]
        [2.0, 3.0]
    """
    b, log_a = np.polyfit(np.log(np.asarray(x, float)), np.log(np.asarray(y, float)), 1)
    return float(b), float(np.exp(log_a))


def largest_states(records, method: str, budget_bytes: int) -> int:
    """The most states whose step fits ``budget_bytes``, by the method's fitted memory law."""
    rows = [r for r in records if r.method == method]
    if len(rows) < 2:
        raise ValueError(f"`records` must hold two sizes of method {method!r}; "
                         f"got {len(rows)}.")
    b, a = power_law([r.states for r in rows], [r.peak_bytes for r in rows])
    return int((budget_bytes / a) ** (1.0 / b))


def format_scaling_table(records) -> str:
    """Plain-text table: method, grid, ms per step, ns per element, peak MB, ÷ stored."""
    stored = {r.w_size: r.seconds_min for r in records if r.method == "stored"}
    return format_records(records, [
        ("method", "<8", lambda r: r.method), ("w", ">7", lambda r: r.w_size),
        ("states", ">10", lambda r: r.states),
        ("ms/step", ">10.2f", lambda r: r.seconds_min * 1e3),
        ("ns/elem", ">9.2f", lambda r: r.ns_per_element),
        ("peak MB", ">10.1f", lambda r: r.peak_bytes / 1e6),
        ("÷ stored", ">10.2f",
         lambda r: r.seconds_min / stored[r.w_size] if r.w_size in stored else None),
        ("gap", ">9.1e", lambda r: r.gap)])


def _arguments(parser) -> None:
    parser.add_argument("--sizes", default="", help="comma-separated wealth grid sizes "
                        "(default: 150 up to the largest whose stored u fits the budget)")
    parser.add_argument("--y-size", type=int, default=100, help="income states (100)")
    parser.add_argument("--gamma", type=float, default=2.0, help="risk aversion γ (2)")
    parser.add_argument("--methods", default="stored,computed,numpy",
                        help=f"comma-separated, among {','.join(METHODS)}")
    parser.add_argument("--budget-bytes", type=int, default=SCALING_BUDGET_BYTES,
                        help=f"memory budget of a step ({SCALING_BUDGET_BYTES})")


def _run(args) -> tuple[str, list[Record]]:
    sizes = [int(s) for s in args.sizes.split(",") if s] or None
    methods = tuple(m for m in args.methods.split(",") if m)
    records = bench_scaling(sizes=sizes, y_size=args.y_size, gamma=args.gamma,
                            methods=methods, budget_bytes=args.budget_bytes,
                            repeats=args.repeats)
    return (f"One Bellman step of the savings model, w × {args.y_size} states, γ = "
            f"{args.gamma:g}, float64, budget {args.budget_bytes:,} bytes, JAX on "
            f"{jax_device_label()}, NumPy on {cpu_label()}", records)


#: ``python -m jaxecon bench opt_savings.scaling``: step time and memory against grid size.
BENCHMARK = Benchmark("savings Bellman step, stored u vs computed in the step, against grid "
                      "size", _arguments, _run, format_scaling_table)
