"""Shared test set-up: float64 JAX, strict rank promotion, and a PRNG key."""

import jax
import pytest

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_numpy_rank_promotion", "raise")


@pytest.fixture
def key():
    """A fixed PRNG key; tests that need randomness take it instead of a global seed."""
    return jax.random.key(20260601)
