"""Reference implementations for the lectures of "JAX for computational economics".

Every model a lecture runs, and every solver and benchmark it times, lives here and is
tested in ``tests/``; the pages import it rather than defining models inline.
"""

from jaxecon.bench import SOLOW_BACKENDS, SolowRecord, bench_solow, format_table
from jaxecon.machine import KEY_PACKAGES, Machine, describe_machine, package_versions
from jaxecon.solow import (
    SolowModel,
    check_inputs,
    create_solow_model,
    law_of_motion,
    simulate_path,
    steady_state,
)
from jaxecon.solow_backends import (
    solow_c,
    solow_fortran,
    solow_jax,
    solow_jax_many,
    solow_numba,
    solow_numpy,
    solow_numpy_many,
    solow_python,
)
from jaxecon.timing import Timing, cpu_label, jax_device_label, measure

__version__ = "0.1.0"

__all__ = [
    "KEY_PACKAGES",
    "SOLOW_BACKENDS",
    "Machine",
    "SolowModel",
    "SolowRecord",
    "Timing",
    "bench_solow",
    "check_inputs",
    "cpu_label",
    "create_solow_model",
    "describe_machine",
    "format_table",
    "jax_device_label",
    "law_of_motion",
    "measure",
    "package_versions",
    "simulate_path",
    "solow_c",
    "solow_fortran",
    "solow_jax",
    "solow_jax_many",
    "solow_numba",
    "solow_numpy",
    "solow_numpy_many",
    "solow_python",
    "steady_state",
]
