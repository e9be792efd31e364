"""Compile the C and Fortran sources in ``native/`` at run time and call them in-process.

The lectures compare the same loop in compiled languages. Each source is compiled once
per content (source bytes, compiler version and flags) into a user cache folder, then
loaded with :mod:`ctypes`, so a benchmark times the loop and not process start-up or
compilation. The cache folder is ``$JAXECON_CACHE``, else ``$XDG_CACHE_HOME/jaxecon``,
else ``~/.cache/jaxecon``.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["NATIVE_DIR", "cache_dir", "compile_native", "compiler_version", "load_library"]

NATIVE_DIR = Path(__file__).parent / "native"


def cache_dir() -> Path:
    """The folder that holds compiled programs and libraries, created if missing."""
    base = os.environ.get("JAXECON_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "jaxecon"
    )
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


@functools.cache
def compiler_version(compiler: str) -> str:
    """First line of ``compiler --version``.

    Raises:
        FileNotFoundError: if ``compiler`` is not on the PATH.
    """
    if shutil.which(compiler) is None:
        raise FileNotFoundError(f"`compiler` {compiler!r} is not installed (not on PATH).")
    out = subprocess.run([compiler, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[0]


def compile_native(
    sources: list[str], *, compiler: str, flags: tuple[str, ...] = ("-O2",), shared: bool
) -> Path:
    """Compile ``sources`` (names in ``native/``) into the cache; return the output path.

    The output is named by a digest of the compiler version, the flags and the sources,
    so an edit to any of them compiles anew and an unchanged build is reused.

    Raises:
        FileNotFoundError: if the compiler is not installed.
        RuntimeError: if compilation fails; the message holds the compiler's output.
    """
    paths = [NATIVE_DIR / name for name in sources]
    kind = ("-shared", "-fPIC") if shared else ()
    sha = hashlib.sha256(compiler_version(compiler).encode())
    for part in (*flags, *kind):
        sha.update(part.encode() + b"\0")
    for path in paths:
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    out = cache_dir() / f"{paths[-1].stem}-{sha.hexdigest()[:16]}{'.so' if shared else ''}"
    if out.exists():
        return out
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        target = Path(tmp) / out.name
        command = [compiler, *flags, *kind, *map(str, paths), "-o", str(target), "-lm"]
        if compiler.endswith("gfortran"):
            command[1:1] = ["-J", tmp]  # keep .mod files out of the source tree
        result = subprocess.run(command, capture_output=True, text=True, cwd=tmp)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}")
        os.replace(target, out)  # atomic, so concurrent builds never see half a file
    return out


@functools.cache
def load_library(source: str, *, compiler: str, flags: tuple[str, ...]) -> ctypes.CDLL:
    """Compile ``source`` as a shared library (cached) and load it with ctypes."""
    return ctypes.CDLL(str(compile_native([source], compiler=compiler, flags=flags, shared=True)))
