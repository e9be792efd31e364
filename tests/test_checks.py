"""One module of checks: every bad input gets the parameter, the rule and the value."""

import re

import jax.numpy as jnp
import numpy as np
import pytest

from jaxecon import checks
from jaxecon.epstein_zin import create_epstein_zin_model, lifetime_utility_newton
from jaxecon.mdp import policy_value_iterative, random_mdp
from jaxecon.savings import create_savings_model
from jaxecon.solow import create_solow_model
from jaxecon.solvers import hpi, opi, vfi


@pytest.mark.parametrize("value", [3, np.int64(3), np.int32(3), np.uint8(3)])
def test_integers_may_be_python_or_numpy(value):
    assert checks.check_integer("n", value) == 3 and type(checks.check_integer("n", value)) is int


@pytest.mark.parametrize("value", [True, 3.0, "3", None, np.float64(3.0), 0])
def test_non_integers_and_small_integers_are_refused_by_name(value):
    with pytest.raises(ValueError, match=r"^`n` must be an integer ≥ 1; got "):
        checks.check_integer("n", value)


@pytest.mark.parametrize("value", ["0.3", None, [0.3], True, float("nan")])
def test_reals_must_be_real_finite_numbers(value):
    with pytest.raises(ValueError, match=r"^`s` must be"):
        checks.check_open_unit("s", value)


def test_a_numpy_integer_max_iter_is_accepted_by_every_solver():
    model = create_savings_model(w_size=12, y_size=3)
    assert vfi(model, max_iter=np.int64(2000)).converged
    assert hpi(model, max_iter=np.int32(50)).converged
    assert opi(model, m=np.int64(5), max_iter=np.int64(500)).converged


def test_the_tolerance_is_reported_as_given_not_rounded():
    model = create_savings_model(w_size=12, y_size=3)
    with pytest.raises(RuntimeError, match=r"tol=1\.5e-09\); raise max_iter"):
        vfi(model, tol=1.5e-9, max_iter=3)


def test_a_string_parameter_gets_a_value_error_naming_it():
    with pytest.raises(ValueError, match=r"^`s` must be a real number; got '0.3'\.$"):
        create_solow_model(s="0.3")
    with pytest.raises(ValueError, match=r"`a` must be positive; got -1"):
        create_solow_model(a=-1)


def test_a_bad_v_init_is_refused_with_its_shape_or_values():
    model = create_savings_model(w_size=12, y_size=3)
    with pytest.raises(ValueError, match=r"`v_init` must have shape \(12, 3\); got \(3, 12\)"):
        vfi(model, v_init=jnp.zeros((3, 12)))
    with pytest.raises(ValueError, match=r"`v_init` must be finite"):
        hpi(model, v_init=jnp.full((12, 3), jnp.nan))


def test_epstein_zin_checks_its_starting_guess():
    model = create_epstein_zin_model(n=10, beta=0.9)
    with pytest.raises(ValueError, match=r"`v_init` must have shape \(10,\); got \(9,\)"):
        lifetime_utility_newton(model, v_init=jnp.ones(9))
    with pytest.raises(ValueError, match=r"`v_init` must be positive"):
        lifetime_utility_newton(model, v_init=-jnp.ones(10))


def test_policy_value_iterative_takes_its_options_by_keyword(key):
    mdp = random_mdp(key=key, n=5, m=3, beta=0.9)
    sigma = jnp.zeros(5, dtype=int)
    with pytest.raises(TypeError):
        policy_value_iterative(sigma, mdp, None, 1e-10)  # the positional form is gone
    assert policy_value_iterative(sigma, mdp, tol=1e-10).shape == (5,)


def test_a_failed_inner_newton_evaluation_makes_the_solver_raise(monkeypatch):
    import jax

    import jaxecon.job_search as js

    monkeypatch.setattr(js, "NEWTON_MAX_ITER", 1)  # one Newton step cannot reach 1e-11
    jax.clear_caches()  # the cap is read when the solver is traced
    model = js.create_risk_sensitive_job_search_model(theta=-2.0)
    try:
        with pytest.raises(RuntimeError, match=r"non-finite error"):
            hpi(model, tol=1e-8)
    finally:
        monkeypatch.undo()
        jax.clear_caches()
    assert hpi(model, tol=1e-8).converged  # the same model, with Newton's usual cap


@pytest.mark.parametrize(("closed", "good", "bad", "shown"),
                         [("neither", (-0.5, 0.999), (-1.0, 1.0), "(-1, 1)"),
                          ("left", (-1.0, 0.0), (1.0, -1.5), "[-1, 1)"),
                          ("right", (1.0, 0.5), (-1.0, 2.0), "(-1, 1]"),
                          ("both", (-1.0, 1.0), (-1.01, 1.01), "[-1, 1]")])
def test_an_interval_keeps_its_stated_ends(closed, good, bad, shown):
    for value in good:
        assert checks.check_interval("rho", value, -1, 1, closed=closed) == value
    for value in bad:
        message = f"`rho` must be in {shown}; got {value!r}."
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            checks.check_interval("rho", value, -1, 1, closed=closed)


def test_an_interval_shows_fractional_ends_as_written():
    with pytest.raises(ValueError, match=re.escape("`f` must be in [0, 0.5]; got 0.6.")):
        checks.check_interval("f", 0.6, 0.0, 0.5, closed="both")


@pytest.mark.parametrize(("helper", "good", "bad", "message"), [
    (checks.check_nonnegative, (0.0, 2), -1e-3, "`x` must be non-negative; got -0.001."),
    (checks.check_nonzero, (-2.0, 1e-300), 0.0, "`x` must be non-zero; got 0.0."),
    (checks.check_nonzero, (3,), float("nan"), "`x` must be finite; got nan."),
])
def test_sign_helpers_return_good_values_and_name_bad_ones(helper, good, bad, message):
    for value in good:
        assert helper("x", value) == float(value)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        helper("x", bad)


def test_a_value_other_than_an_excluded_one():
    assert checks.check_not_equal("eis", np.float64(1.5), 1) == 1.5
    with pytest.raises(ValueError, match=re.escape("`eis` must not be 1; got 1.0.")):
        checks.check_not_equal("eis", 1.0, 1)


def test_greater_names_the_other_parameter_and_its_value():
    assert checks.check_greater("w_max", 2.0, "w_min", 0.01) == 2.0
    for bad in (0.0, 0.01):
        with pytest.raises(ValueError, match=re.escape(
                f"`w_max` must exceed w_min=0.01; got {bad!r}.")):
            checks.check_greater("w_max", bad, "w_min", 0.01)


def test_a_choice_lists_the_choices():
    assert checks.check_choice("method", "b", ("a", "b")) == "b"
    for bad in ("c", ["a"], None):
        with pytest.raises(ValueError, match=re.escape(
                f"`method` must be one of 'a', 'b'; got {bad!r}.")):
            checks.check_choice("method", bad, ("a", "b"))


def test_integers_come_as_a_tuple_of_at_least_length():
    assert checks.check_integers("sizes", [1, np.int64(4)], length=2) == (1, 4)
    for bad in [(3,), (1, 0), (1, 2.5), (True, 2)]:
        with pytest.raises(ValueError, match=re.escape(
                f"`sizes` must be at least 2 integers ≥ 1; got {bad!r}.")):
            checks.check_integers("sizes", bad, length=2)


def test_array_helpers_check_axes_shape_and_sign():
    x = jnp.ones((3, 2))
    assert checks.check_ndim("x", x, 2) is x and checks.check_shape("x", x, (3, 2)) is x
    with pytest.raises(ValueError, match=re.escape(
            "`x` must be a non-empty 1-D array; got shape (3, 2).")):
        checks.check_ndim("x", x, 1)
    with pytest.raises(ValueError, match=re.escape("`x` must be a non-empty 2-D array")):
        checks.check_ndim("x", np.zeros((0, 2)), 2)
    with pytest.raises(ValueError, match=re.escape("`x` must have shape (2, 3); got (3, 2).")):
        checks.check_shape("x", x, (2, 3))
    assert checks.check_positive_array("k", x) is x
    with pytest.raises(ValueError, match=re.escape(
            "`k` must be positive; its least entry is -2.0.")):
        checks.check_positive_array("k", [1.0, -2.0])
    with pytest.raises(ValueError, match="`k` must be a positive number or array"):
        checks.check_positive_array("k", "1.0")
