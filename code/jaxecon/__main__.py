"""Command line: re-run the site's benchmarks on this machine, or describe it.

    python -m jaxecon bench solow [--steps N] [--repeats R] [--json]
    python -m jaxecon machine [--json]

``bench`` prints the table the lecture page shows; ``--json`` prints one JSON record per
backend instead. Benchmarks run in float64 (this entry point enables JAX's x64 mode).
"""

from __future__ import annotations

import argparse
import json
import sys

import jax

from jaxecon.bench import bench_solow, format_table
from jaxecon.machine import describe_machine, package_versions


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
    bench = commands.add_parser("bench", help="re-run a benchmark of the site")
    bench.add_argument("name", choices=["solow"], help="which benchmark")
    bench.add_argument("--steps", type=_positive_int, default=10**7, help="time steps per run")
    bench.add_argument("--repeats", type=_positive_int, default=5, help="timed repeats")
    bench.add_argument("--json", action="store_true", help="one JSON record per backend")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "machine":
        facts = describe_machine()._asdict() | {"versions": package_versions()}
        if args.json:
            print(json.dumps(facts, indent=2))
        else:
            for key, value in facts.items():
                print(f"{key:>12}: {value}")
        return 0
    jax.config.update("jax_enable_x64", True)
    records = bench_solow(steps=args.steps, repeats=args.repeats)
    if args.json:
        for record in records:
            print(json.dumps(record._asdict()))
    else:
        print(f"Solow model, {args.steps:,} steps, float64, on {describe_machine().label}")
        print(format_table(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
