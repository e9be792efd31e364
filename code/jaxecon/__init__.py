"""Reference implementations for the lectures of "JAX for computational economics".

Every model a lecture runs, and every solver and benchmark it times, lives here and is
tested in ``tests/``; the pages import it rather than defining models inline.
"""

from jaxecon.machine import KEY_PACKAGES, Machine, describe_machine, package_versions
from jaxecon.solow import (
    SolowModel,
    create_solow_model,
    law_of_motion,
    simulate_path,
    steady_state,
)

__version__ = "0.1.0"

__all__ = [
    "KEY_PACKAGES",
    "Machine",
    "SolowModel",
    "create_solow_model",
    "describe_machine",
    "law_of_motion",
    "package_versions",
    "simulate_path",
    "steady_state",
]
