"""Shared test set-up: float64 JAX, strict rank promotion, a PRNG key, and a private
cache folder for compiled native code, so no test writes into the user's own cache."""

import os
import tempfile

import jax
import pytest

# Set before any test runs, so subprocesses (kernels of test builds, CLI runs) inherit it.
os.environ["JAXECON_CACHE"] = tempfile.mkdtemp(prefix="jaxecon-test-cache-")

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_numpy_rank_promotion", "raise")


@pytest.fixture
def key():
    """A fixed PRNG key; tests that need randomness take it instead of a global seed."""
    return jax.random.key(20260601)
