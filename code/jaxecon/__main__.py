"""Command line: re-run the site's benchmarks on this machine, or describe it.

    python -m jaxecon bench NAME [options] [--repeats R] [--json] [--save DIR]
    python -m jaxecon machine [--json]
    python -m jaxecon solve savings [--processes N --devices-per-process D] [options]

``bench NAME`` prints the table the lecture page shows; ``--json`` prints one JSON
record per line instead, each wrapped with its provenance (machine, devices, versions,
git commit, date); ``--save DIR`` also appends those lines to DIR/NAME-MACHINE.jsonl,
the form committed under ``results/``. NAME is the page that shows the benchmark
(``history``, ``why_jax``, ``intro_jax``, ``opt_savings``, ``epstein_zin``,
``parallel``), or ``PAGE.PART`` for a page's further benchmarks (``opt_savings.scaling``,
``opt_savings.big``); :data:`jaxecon.bench.BENCHMARKS` lists them all.
``python -m jaxecon bench NAME --help`` lists its options. ``solve savings`` solves the
savings model, in this process or in N processes of D CPU devices each joined by
``jax.distributed`` (:mod:`jaxecon.launch`), and prints its record.
"""

from __future__ import annotations

import argparse
import json
import sys

import jax

from jaxecon.bench import BENCHMARKS, benchmark
from jaxecon.machine import describe_machine, package_versions
from jaxecon.results import provenance, save, wrap


def _positive_int(text: str) -> int:
    value = int(float(text))  # accepts 1e7
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer ≥ 1; got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jaxecon", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    machine = commands.add_parser("machine", help="describe this machine and its JAX devices")
    machine.add_argument("--json", action="store_true", help="print one JSON object")
    solve = commands.add_parser("solve", help="solve a model, optionally over N processes")
    solve.add_argument("model", choices=["savings"], help="the model to solve")
    solve.add_argument("--processes", type=_positive_int, help="worker processes (N)")
    solve.add_argument("--devices-per-process", type=_positive_int, help="CPU devices each (D)")
    from jaxecon.launch import METHODS, W_SIZE, Y_SIZE  # the launcher's, defined there

    solve.add_argument("--w-size", type=_positive_int, default=W_SIZE, help="wealth grid points")
    solve.add_argument("--y-size", type=_positive_int, default=Y_SIZE, help="income states")
    solve.add_argument("--method", choices=METHODS, default="vfi", help="the solver")
    solve.add_argument("--out", help="save the value function to this .npy file")
    solve.add_argument("--timeout", type=float, default=120, help="seconds for the whole run")
    solve.add_argument("--json", action="store_true", help="print one JSON record")
    bench = commands.add_parser("bench", help="re-run a benchmark of the site")
    names = bench.add_subparsers(dest="name", required=True, metavar="NAME")
    for name in BENCHMARKS:
        chosen = benchmark(name)
        sub = names.add_parser(name, help=chosen.help)
        chosen.add_arguments(sub)
        sub.add_argument("--repeats", type=_positive_int, default=5, help="timed repeats")
        sub.add_argument("--json", action="store_true",
                         help="one JSON record per line, with its provenance")
        sub.add_argument("--save", metavar="DIR",
                         help="also append the JSON records to DIR/NAME-MACHINE.jsonl")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "solve":
        return _solve(args)
    jax.config.update("jax_enable_x64", True)  # every benchmark of the site runs in float64
    if args.command == "machine":
        facts = describe_machine()._asdict() | {"versions": package_versions()}
        if args.json:
            print(json.dumps(facts, indent=2))
        else:
            for key, value in facts.items():
                print(f"{key:>12}: {value}")
        return 0
    chosen = benchmark(args.name)
    title, records = chosen.run(args)
    origin = provenance()  # one place adds machine, versions, commit and date
    lines = [wrap(args.name, record, origin) for record in records]
    if args.save:
        print(f"appended {len(lines)} records to {save(lines, args.save)}", file=sys.stderr)
    if args.json:
        for line in lines:
            print(json.dumps(line, ensure_ascii=False))
    else:
        print(title)
        print(chosen.format(records))
    return 0


def _solve(args) -> int:
    """``solve``: run it, print the record; a failed run is one line on stderr, status 1."""
    from jaxecon.launch import solve_savings

    try:
        record = solve_savings(processes=args.processes,
                               devices_per_process=args.devices_per_process,
                               w_size=args.w_size, y_size=args.y_size, method=args.method,
                               out=args.out, timeout=args.timeout)
    except (ValueError, RuntimeError, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(record) if args.json else
          "\n".join(f"{key:>14}: {value}" for key, value in record.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
