"""The timing helper: repeats, first-call cost apart, asynchronous JAX work waited for."""

import time

import jax
import jax.numpy as jnp
import pytest

from jaxecon.timing import measure


def test_records_min_median_and_metadata():
    timing, out = measure(lambda x: x + 1, 41, name="inc", size=1, repeats=4)
    assert out == 42
    assert timing.repeats == 4 and timing.number == 1 and timing.size == 1
    assert 0 < timing.seconds_min <= timing.seconds_median
    assert timing.versions["jax"] == jax.__version__
    assert timing.device


def test_first_call_cost_is_reported_apart_from_the_run():
    calls = []

    def slow_first():
        if not calls:
            time.sleep(0.2)  # stands in for compilation
        calls.append(1)

    timing, _ = measure(slow_first, name="first", size=1, repeats=3)
    assert timing.compile_seconds >= 0.15
    assert timing.seconds_median < 0.05


def test_jax_work_is_waited_for():
    x = jnp.ones((600, 600))
    f = jax.jit(lambda a: (a @ a @ a).sum())
    timing, out = measure(f, x, name="matmul", size=1, repeats=3)
    assert float(out) == pytest.approx(600.0**4, rel=1e-6)  # every entry of A³ is 600²
    # an unsynchronised timer would see only dispatch, far below the matmul's cost
    assert timing.seconds_min > 1e-4


def test_per_unit_divides_by_size():
    timing, _ = measure(lambda: None, name="noop", size=1000, repeats=2)
    assert timing.per() == (timing.seconds_min / 1000, timing.seconds_median / 1000)


@pytest.mark.parametrize(("kwarg", "bad"), [("size", 0), ("repeats", 0), ("number", -1),
                                            ("repeats", 2.5)], ids=str)
def test_bad_counts_raise_naming_the_argument(kwarg, bad):
    kwargs = {"name": "x", "size": 1} | {kwarg: bad}
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        measure(lambda: None, **kwargs)
