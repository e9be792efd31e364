"""Benchmarks behind the lecture pages, re-runnable with ``python -m jaxecon bench``.

Each module times one lecture's models and returns one record per run, measured by
:func:`jaxecon.timing.measure` on this machine, with the result it computed so that
pages can assert agreement. A backend whose toolchain is missing is reported as
unavailable with a reason; it never stops the others. Models never import this
subpackage: a benchmark depends on the models it times, not the reverse.
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["Benchmark"]


class Benchmark(NamedTuple):
    """A benchmark the command line can run: ``python -m jaxecon bench <name>``.

    ``add_arguments(parser)`` adds its options to an argparse parser; ``run(args)`` runs
    it from the parsed options and returns ``(title, records)``, where each record is a
    NamedTuple (printed as JSON by ``--json``); ``format(records)`` is the table the
    lecture page shows. Every benchmark also gets ``--repeats`` and ``--json``.
    """

    help: str
    add_arguments: Any
    run: Any
    format: Any
