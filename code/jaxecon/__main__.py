"""Command-line entry point: ``python -m jaxecon machine`` describes this machine."""

from __future__ import annotations

import argparse
import json
import sys

from jaxecon.machine import describe_machine, package_versions


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m jaxecon", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    machine = commands.add_parser("machine", help="describe this machine and its JAX devices")
    machine.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    if args.command == "machine":
        facts = describe_machine()._asdict() | {"versions": package_versions()}
        if args.json:
            print(json.dumps(facts, indent=2))
        else:
            for key, value in facts.items():
                print(f"{key:>12}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
