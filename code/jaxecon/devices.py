"""The devices JAX computes on: their labels, and the check that a build runs on the right kind.

:func:`jax_device_label` and :func:`cpu_label` name the hardware a timing was measured
on, for captions and records. A timing is published next to the device that produced
it, so a build meant for a GPU must stop when JAX silently falls back to the CPU (a
missing CUDA plugin, a driver mismatch, a runner without the card): otherwise CPU
numbers would be captioned as GPU numbers. This module checks the platform of the
devices JAX reports ('cpu', 'gpu' or 'tpu'; NVIDIA and AMD cards both report 'gpu') and
offers the check as a command, ``python -m jaxecon.devices --require gpu``, that exits
non-zero when it fails.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from jaxecon.checks import check_choice

__all__ = ["PLATFORMS", "cpu_label", "describe_device", "jax_device_label", "require_platform"]

#: The platforms JAX reports for its devices.
PLATFORMS = ("cpu", "gpu", "tpu")


def describe_device(device) -> str:
    """One line naming a device, e.g. 'gpu:0 NVIDIA H100 80GB HBM3'.

    Args:
        device: a JAX device, or any object with ``platform``, ``id`` and
            ``device_kind`` attributes.

    Returns:
        The platform, the id and the kind of the device.
    """
    kind = getattr(device, "device_kind", "") or ""
    return f"{device.platform}:{device.id} {kind}".strip()


def cpu_label() -> str:
    """The processor that runs CPU code, e.g. 'AMD EPYC (2 cores)'."""
    from jaxecon.machine import describe_machine  # here: machine imports this module

    return describe_machine().cpu_label


def jax_device_label() -> str:
    """The device JAX runs on by default: the CPU label, or the accelerator's name."""
    from jaxecon.machine import describe_machine

    return describe_machine().label


def require_platform(devices: Iterable, platform: str) -> list:
    """The devices of ``devices`` on ``platform``; raises if there are none.

    Args:
        devices: the devices to check, typically ``jax.devices()``.
        platform: the platform required, one of 'cpu', 'gpu', 'tpu'.

    Returns:
        The devices whose ``platform`` is ``platform``, in the order given (never empty).

    Raises:
        ValueError: if ``platform`` is not one of 'cpu', 'gpu', 'tpu'.
        RuntimeError: if no device is on ``platform``; the message lists the devices seen.

    Example:
        >>> from types import SimpleNamespace
        >>> cpu = SimpleNamespace(platform="cpu", id=0, device_kind="cpu")
        >>> require_platform([cpu], "cpu") == [cpu]
        True
    """
    check_choice("platform", platform, PLATFORMS)
    devices = list(devices)
    matching = [device for device in devices if device.platform == platform]
    if not matching:
        seen = ", ".join(describe_device(device) for device in devices) or "none"
        raise RuntimeError(
            f"no JAX device on the required platform {platform!r}; devices seen: {seen}"
        )
    return matching


def main(argv: list[str] | None = None) -> int:
    """Check that JAX computes on the required platform; returns the exit status.

    Checks ``jax.devices()``, the devices of JAX's default backend, which are the ones
    computations run on: when a GPU is present, they are the GPUs. Prints the devices
    found on success, and the reason on standard error otherwise.

    Args:
        argv: the command-line arguments, ``sys.argv[1:]`` when None.

    Returns:
        0 when JAX sees a device on the required platform, 1 when it does not.
    """
    parser = argparse.ArgumentParser(
        prog="python -m jaxecon.devices",
        description="Fail unless JAX sees a device of the required platform.",
    )
    parser.add_argument(
        "--require", choices=PLATFORMS, required=True, help="the platform JAX must see"
    )
    args = parser.parse_args(argv)

    import jax  # here, so that `--help` and bad arguments answer without starting JAX

    try:
        found = require_platform(jax.devices(), args.require)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for device in found:
        print(describe_device(device))
    return 0


if __name__ == "__main__":
    sys.exit(main())
