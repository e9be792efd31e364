"""Shared test set-up: float64 JAX, strict rank promotion, a PRNG key, a private cache
folder for compiled native code, so no test writes into the user's own cache, and a
project-local cache of compiled XLA programs."""

import os
import tempfile
from pathlib import Path

import jax
import pytest

# Set before any test runs, so subprocesses (kernels of test builds, CLI runs) inherit it.
os.environ["JAXECON_CACHE"] = tempfile.mkdtemp(prefix="jaxecon-test-cache-")

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_numpy_rank_promotion", "raise")

# XLA programs compiled by a test run persist in the project's (ignored) pytest cache, so
# the next run, the inner loop after an edit, compiles only what changed. Set in this
# process only: subprocesses, and the book's kernels that time compilation, never see it.
jax.config.update("jax_compilation_cache_dir",
                  str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "jax"))
jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)


@pytest.fixture
def key():
    """A fixed PRNG key; tests that need randomness take it instead of a global seed."""
    return jax.random.key(20260601)

