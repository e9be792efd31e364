"""What a computation ran on: processor, memory, accelerators, JAX backend, versions.

Every timing the site publishes is only meaningful next to the hardware and software
that produced it. This module reads those facts from the running process (the Linux
``/proc`` files, ``jax.devices()``, ``nvidia-smi`` when present, installed package
metadata) without changing any state, so a page or a benchmark record can carry them.
"""

from __future__ import annotations

import functools
import os
import platform
import shutil
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import jax

from jaxecon.devices import describe_device

__all__ = [
    "KEY_PACKAGES",
    "Machine",
    "ProvenanceNote",
    "describe_machine",
    "package_versions",
    "provenance_note",
]

#: Distributions whose versions a result depends on, in the order pages list them.
KEY_PACKAGES = (
    "jaxecon",
    "jax",
    "jaxlib",
    "numpy",
    "scipy",
    "numba",
    "quantecon",
    "optax",
    "matplotlib",
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "sphinx-revealjs",
)


class Machine(NamedTuple):
    """Facts about the machine a computation ran on."""

    cpu: str  # processor model name
    cores: int  # logical CPUs available to this process
    memory_gib: float  # total physical memory, GiB
    os: str  # operating system and release
    python: str  # Python version
    jax_backend: str  # 'cpu', 'gpu' or 'tpu'
    devices: tuple[str, ...]  # one description per JAX device
    gpu_driver: str | None  # NVIDIA driver version, None without an NVIDIA GPU

    @property
    def cpu_label(self) -> str:
        """The processor that runs CPU code, e.g. 'AMD EPYC (2 cores)'."""
        return f"{self.cpu} ({self.cores} cores)"

    @property
    def label(self) -> str:
        """Short name of the hardware that runs JAX code, for captions and tables."""
        return self.cpu_label if self.jax_backend == "cpu" else self.devices[0]


@functools.cache
def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return float("nan")


@functools.cache
def _gpu_driver() -> str | None:
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return None
    out = subprocess.run(
        [smi, "--query-gpu=driver_version", "--format=csv,noheader"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip().splitlines()[0] if out.returncode == 0 and out.stdout else None


def package_versions(names=KEY_PACKAGES) -> dict[str, str]:
    """Installed version of each distribution in ``names``; 'not installed' if absent."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def describe_machine() -> Machine:
    """Describe the machine and JAX configuration of the running process.

    Example:
        >>> describe_machine().jax_backend in {"cpu", "gpu", "tpu"}
        True
    """
    return Machine(
        cpu=_cpu_model(),
        cores=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        memory_gib=round(_memory_gib(), 1),
        os=f"{platform.system()} {platform.release()}",
        python=platform.python_version(),
        jax_backend=jax.default_backend(),
        devices=tuple(describe_device(d) for d in jax.devices()),
        gpu_driver=_gpu_driver(),
    )


class ProvenanceNote(NamedTuple):
    """Where and when a page's numbers were measured; renders as a note in notebooks."""

    device: str  # the hardware JAX ran on, e.g. 'AMD EPYC (2 cores)' or 'cuda:0 NVIDIA H100'
    backend: str  # JAX backend: 'cpu', 'gpu' or 'tpu'
    executed: str  # when the page was executed, 'YYYY-MM-DD HH:MM UTC'

    def __str__(self) -> str:
        text = (f"Built on {self.device} (JAX backend: {self.backend}) at {self.executed}; "
                "every timing on this page was measured then.")
        if self.backend == "cpu":
            text += (" These are CPU timings: JAX code on a GPU runs at different, often very "
                     "different, speeds, so rebuild on a GPU machine to see those.")
        return text

    def _repr_markdown_(self) -> str:
        return f":::{{note}}\n{self}\n:::"


def provenance_note() -> ProvenanceNote:
    """The "built on" note of a page whose numbers depend on the hardware.

    Example:
        >>> provenance_note().backend in {"cpu", "gpu", "tpu"}
        True
    """
    machine = describe_machine()
    executed = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return ProvenanceNote(device=machine.label, backend=machine.jax_backend, executed=executed)
