"""``jb build`` for the site, the decks or both in turn, from one interpreter.

``make book`` builds the site and then the decks, which share one Sphinx environment.
Two ``jb build`` processes would each spend two seconds importing Jupyter Book, Sphinx
and the extensions, a third of a build that finds nothing changed. This script imports
them once and runs each build in a child process forked from it: the child starts as a
fresh ``jb build`` would (nothing an earlier build set, such as a theme's additions to a
default setting, leaks into the next), prints what ``jb build`` prints, and its exit
status is the build's. The builds stop at the first that fails.

    python tools/build.py BUILDER [BUILDER ...] -- JB_BUILD_ARGUMENTS

BUILDER is ``html`` (the site) or ``revealjs`` (the decks); the arguments after ``--``
are those of ``jb build`` (the book's folder, then flags such as ``-W``).
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path

import yaml

BUILDERS = {"html": [], "revealjs": ["--builder", "custom", "--custom-builder", "revealjs"]}


def preload(book: Path) -> None:
    """Import what every build imports: Jupyter Book, Sphinx's built-in extensions and
    the extensions the book's configuration names (its local ones from their folders)."""
    from jupyter_book.cli.main import main  # noqa: F401
    from jupyter_book.sphinx import build_sphinx  # noqa: F401
    from sphinx.application import builtin_extensions

    config = yaml.safe_load((book / "_config.yml").read_text()).get("sphinx", {})
    folders = {str(book / folder) for folder in config.get("local_extensions", {}).values()}
    sys.path[:0] = sorted(folders - set(sys.path))
    for name in [*builtin_extensions, *config.get("config", {}).get("extensions", [])]:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # the build itself reports an extension it cannot load


def build(arguments: list[str]) -> int:
    """Run ``jb build arguments`` in a forked child; its exit status."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            from jupyter_book.cli.main import main

            main(["build", *arguments], prog_name="jb")
            status = 0
        except SystemExit as done:
            status = done.code if isinstance(done.code, int) else int(done.code is not None)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def main(argv: list[str]) -> int:
    if "--" not in argv:
        sys.exit("usage: build.py BUILDER [BUILDER ...] -- JB_BUILD_ARGUMENTS")
    split = argv.index("--")
    builders, arguments = argv[:split], argv[split + 1:]
    unknown = [b for b in builders if b not in BUILDERS]
    if not builders or unknown or not arguments:
        sys.exit(f"build.py: BUILDER must be one or more of {sorted(BUILDERS)}, then -- and "
                 f"the book's folder; got {argv}")
    preload(Path(arguments[0]))
    for builder in builders:
        status = build([*arguments, *BUILDERS[builder]])
        if status != 0:
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
