"""The timing helper: repeats, first-call cost apart, asynchronous JAX work waited for."""

import time

import jax
import jax.numpy as jnp
import pytest

from jaxecon.results import Record
from jaxecon.timing import MIN_REPEATS, Timing, compare, measure, ratio


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


def _timing(lo, mid, hi):
    return Timing("t", lo, mid, hi, 0.0, MIN_REPEATS, 1, 1, "float64", "cpu", {})


def test_max_is_recorded_above_the_median():
    timing, _ = measure(lambda: None, name="noop", size=1, repeats=MIN_REPEATS)
    assert timing.seconds_min <= timing.seconds_median <= timing.seconds_max


def test_ratio_uses_the_minima_and_shows_medians_and_spread():
    # the case: a disturbed median would say 5.4x where the minima say 2.4x
    numba, jax_ = _timing(0.93, 2.19, 2.5), _timing(0.3875, 0.4055, 0.41)
    r = ratio(numba, jax_)
    assert r.of_min == pytest.approx(2.4)
    assert r.of_median == pytest.approx(2.19 / 0.4055)
    assert r.spread == pytest.approx((2.5 - 0.93) / 0.93)
    assert "2.40×" in str(r) and "medians give 5.40×" in str(r)


def test_ratio_reads_a_bench_record_and_refuses_records_without_times():
    per_step = Record(_timing(2e-6, 3e-6, 4e-6).scaled(1000), {"unit": "step"})
    assert per_step.seconds_max == pytest.approx(4e-9)
    assert ratio(per_step, _timing(1e-9, 1e-9, 1e-9)).of_min == pytest.approx(2.0)
    unobserved_max = Record(_timing(2e-9, 3e-9, 4e-9)._replace(seconds_max=None), {})
    assert ratio(unobserved_max, _timing(1e-9, 1e-9, 1e-9)).spread == pytest.approx(0.5)
    with pytest.raises(ValueError, match="`fast`"):
        ratio(per_step, Record(None, {"note": "gcc is not installed"}))
    with pytest.raises(ValueError, match="`fast`"):
        ratio(per_step, object())


@pytest.mark.parametrize(("fast", "slow", "expected"), [
    (1.0, 3.0, "A is 3.0× faster than B"),
    (3.0, 1.0, "A is 3.0× slower than B"),
    (1.0, 1.05, "A and B tie within 10%"),
    (1.05, 1.0, "A and B tie within 10%"),
])
def test_compare_chooses_the_sentence_from_the_minima(fast, slow, expected):
    a, b = _timing(fast, 9.0, 9.0), _timing(slow, 1.0, 1.0)  # medians point the other way
    assert compare(a, b, "A", "B") == expected


def test_compare_refuses_a_bad_tie():
    with pytest.raises(ValueError, match="`tie`"):
        compare(_timing(1, 1, 1), _timing(1, 1, 1), "A", "B", tie=1.5)


def test_scaled_divides_every_time():
    t = _timing(2.0, 4.0, 6.0).scaled(2)
    assert (t.seconds_min, t.seconds_median, t.seconds_max) == (1.0, 2.0, 3.0)
