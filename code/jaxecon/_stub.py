"""Write ``__init__.pyi`` from :data:`jaxecon.API`: ``make stub`` (``python -m jaxecon._stub``).

Editors and type checkers read the stub for the names that ``jaxecon/__init__.py`` loads
on first use: the top-level names, then the submodules reached as attributes
(``jaxecon.devices.jax_device_label`` after ``import jaxecon``). ``--check`` writes
nothing and exits 1 when the stub is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STUB = PACKAGE / "__init__.pyi"

HEADER = '''"""Public names and the modules that provide them.

Generated from ``jaxecon.API`` by ``make stub``; do not edit.
"""
'''


def submodules() -> list[str]:
    """The package's modules and subpackages directly below it, public ones only."""
    return sorted(p.stem if p.suffix == ".py" else p.name for p in PACKAGE.iterdir()
                  if not p.name.startswith("_") and
                  (p.suffix == ".py" or (p / "__init__.py").is_file()))


def stub_text() -> str:
    """The text of ``__init__.pyi``."""
    from jaxecon import API

    blocks = [HEADER, "__version__: str", "__all__: list[str]", ""]
    for module, names in sorted(API.items()):
        body = "".join(f"    {name} as {name},\n" for name in sorted(names))
        blocks.append(f"from {module} import (\n{body})")
    body = "".join(f"    {name} as {name},\n" for name in submodules())
    blocks.append(f"from jaxecon import (\n{body})")
    return "\n".join(blocks) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the stub, or with ``--check`` say whether it is current; the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    text = stub_text()
    if "--check" in argv:
        if STUB.read_text() != text:
            print(f"{STUB.name} is out of date: run `make stub`", file=sys.stderr)
            return 1
        return 0
    STUB.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
