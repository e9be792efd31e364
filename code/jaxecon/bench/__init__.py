"""Benchmarks behind the lecture pages, re-runnable with ``python -m jaxecon bench NAME``.

Each benchmark times one lecture's models and returns one :class:`~jaxecon.results.Record` per run:
the :class:`~jaxecon.timing.Timing` that :func:`jaxecon.timing.measure` took on this
machine, and the facts of the run (method, backend, sizes, iterations, the result it
computed) so that pages can assert agreement. A backend whose toolchain is missing is
recorded without a timing and with the reason; it never stops the others. Models never
import this subpackage: a benchmark depends on the models it times, not the reverse.

A benchmark is named by the page that shows it (:data:`BENCHMARKS`); a page that shows
more than one names the others ``PAGE.PART``. Its module is ``bench/PAGE.py``, or the
module :data:`BENCHMARKS` names for a part; each defines ``BENCHMARK``, a
:class:`Benchmark`.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

from jaxecon import _submodules_on_first_use

__all__ = ["BENCHMARKS", "Benchmark", "benchmark"]

#: Every benchmark of the site: its command-line name (the page's) -> its module.
BENCHMARKS = {
    "history": "jaxecon.bench.history",  # the Solow loop in every backend
    "why_jax": "jaxecon.bench.why_jax",  # a training step of the MLP
    "intro_jax": "jaxecon.bench.intro_jax",  # f(x, y) on a grid three ways
    "opt_savings": "jaxecon.bench.opt_savings",  # VFI in three backends, HPI, OPI over m
    "opt_savings.scaling": "jaxecon.bench.scaling",  # a Bellman step against grid size
    "opt_savings.big": "jaxecon.bench.big_savings",  # one solve too large to store u
    "epstein_zin": "jaxecon.bench.epstein_zin",  # successive approximation vs Newton
    "parallel": "jaxecon.bench.parallel",  # prange, vmap, a sharded VFI
}


class Benchmark(NamedTuple):
    """A benchmark the command line can run: ``python -m jaxecon bench NAME``.

    ``add_arguments(parser)`` adds its options to an argparse parser; ``run(args)`` runs
    it from the parsed options and returns ``(title, records)``, a list of
    :class:`~jaxecon.results.Record`; ``format(records)`` is the table the lecture page shows. Every
    benchmark also gets ``--repeats``, ``--json`` and ``--save``.
    """

    help: str
    add_arguments: Any
    run: Any
    format: Any


def benchmark(name: str) -> Benchmark:
    """The :class:`Benchmark` registered as ``name`` in :data:`BENCHMARKS`."""
    from jaxecon.checks import check_choice

    check_choice("name", name, BENCHMARKS)
    return importlib.import_module(BENCHMARKS[name]).BENCHMARK


# jaxecon.bench.NAME after import jaxecon: submodules load on first use.
__getattr__ = _submodules_on_first_use(__name__)
