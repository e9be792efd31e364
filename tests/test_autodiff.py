"""Finite differences, the Barzilai–Borwein descent and its closed-form oracles."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxecon import (
    barzilai_borwein,
    central_difference,
    descent_path,
    forward_difference,
    linear_data,
    ols_coefficients,
    polynomial_design,
)
from jaxecon.autodiff import bb_step_size
from tolerance import assert_agree, magnitude


def exp2(x):
    return jnp.exp(2.0 * x)


@pytest.mark.parametrize("x", [-1.0, 0.0, 0.7], ids=lambda x: f"x={x}")
def test_forward_difference_error_is_first_order(x):
    # f(x+h) = f + h f′ + h² f″/2 + …, so (D⁺f − f′)/h → f″(x)/2 = 2 e^{2x}
    h = 1e-4
    error = forward_difference(exp2, x, h=h) - 2 * np.exp(2 * x)
    assert float(error) / h == pytest.approx(2 * np.exp(2 * x), rel=1e-3)


@pytest.mark.parametrize("x", [-1.0, 0.0, 0.7], ids=lambda x: f"x={x}")
def test_central_difference_error_is_second_order(x):
    # (D⁰f − f′)/h² → f‴(x)/6 = 8 e^{2x} / 6
    h = 1e-3
    error = central_difference(exp2, x, h=h) - 2 * np.exp(2 * x)
    assert float(error) / h**2 == pytest.approx(8 * np.exp(2 * x) / 6, rel=1e-3)


@pytest.fixture
def ols_data(key):
    return linear_data(key=key, n=100, intercept=1.0, slope=0.5, sigma=0.1)


def test_closed_form_ols_agrees_with_numpy_polyfit(ols_data):
    x, y = ols_data
    slope, intercept = np.polyfit(np.asarray(x), np.asarray(y), 1)
    X = np.asarray(polynomial_design(x, 1))
    # least squares by two codes: the backward error of n-term sums, n ε, times cond(X)²
    assert_agree(ols_coefficients(X, y), [intercept, slope],
                 k=X.shape[0] * np.linalg.cond(X) ** 2, scale=magnitude(intercept, slope))


def test_bb_descent_recovers_the_closed_form_ols_coefficients(ols_data):
    x, y = ols_data
    X = polynomial_design(x, 1)
    result = barzilai_borwein(lambda b: jnp.sum((y - X @ b) ** 2), jnp.zeros(2), tol=1e-10)
    assert result.converged and result.error <= 1e-10
    np.testing.assert_allclose(result.x, ols_coefficients(X, y), rtol=1e-6, atol=1e-6)
    assert np.all(np.isnan(result.errors[result.num_iter:]))
    assert not np.any(np.isnan(result.errors[:result.num_iter]))


@pytest.mark.parametrize("degree", [2, 4, 6], ids=lambda d: f"degree={d}")
def test_bb_descent_fits_a_polynomial_by_least_squares(key, degree):
    x = jnp.linspace(-1.0, 1.0, 60)
    y = jnp.cos(jnp.pi * x) + 0.1 * jax.random.normal(key, (60,))
    X = polynomial_design(x, degree)
    result = barzilai_borwein(lambda b: jnp.sum((y - X @ b) ** 2), jnp.zeros(degree + 1),
                              tol=1e-10)
    np.testing.assert_allclose(result.x, ols_coefficients(X, y), rtol=1e-6, atol=1e-8)


def test_bb_descent_accepts_a_pytree_of_parameters(ols_data):
    x, y = ols_data
    start = {"intercept": jnp.array(0.0), "slope": jnp.array(0.0)}
    result = barzilai_borwein(lambda p: jnp.sum((y - p["intercept"] - p["slope"] * x) ** 2),
                              start, tol=1e-10)
    intercept, slope = ols_coefficients(polynomial_design(x, 1), y)
    assert set(result.x) == {"intercept", "slope"}
    assert float(result.x["slope"]) == pytest.approx(float(slope), rel=1e-6)
    assert float(result.x["intercept"]) == pytest.approx(float(intercept), rel=1e-6)


@pytest.mark.parametrize("c", [0.5, 2.0, 30.0], ids=lambda c: f"c={c}")
def test_bb_step_is_the_inverse_curvature_of_an_isotropic_quadratic(c):
    # ℓ(x) = c‖x‖²/2 has Δg = cΔx, so η = 1/c: the exact Newton step
    dx = jnp.array([0.3, -1.2, 2.0])
    # two sums of 3 positive terms, c Δx and the division: 8 roundings of 1/c
    assert_agree(bb_step_size(dx, c * dx), 1 / c, k=8, scale=1 / c)
    result = barzilai_borwein(lambda x: c * jnp.sum(x**2) / 2, jnp.array([1.0, -2.0]), tol=1e-12)
    assert result.num_iter <= 3


def test_non_convergence_raises_naming_max_iter(ols_data):
    x, y = ols_data
    X = polynomial_design(x, 1)
    with pytest.raises(RuntimeError, match="did not converge in max_iter=2 iterations"):
        barzilai_borwein(lambda b: jnp.sum((y - X @ b) ** 2), jnp.zeros(2), max_iter=2)


@pytest.mark.parametrize("eta", [0.1, 0.4], ids=lambda e: f"eta={e}")
def test_descent_path_on_a_quadratic_contracts_geometrically(eta):
    # ℓ(x) = ‖x‖² gives x_{k+1} = (1 − 2η) x_k
    x0 = jnp.array([1.0, -0.5])
    path = descent_path(lambda x: x @ x, x0, learning_rate=eta, steps=20)
    expected = (1 - 2 * eta) ** np.arange(21)[:, None] * np.asarray(x0)[None, :]
    # x − η 2x rounds by ε/(1 − 2η) of the next iterate, step after step; the power's 2 more
    assert_agree(path, expected, k=20 / (1 - 2 * eta) + 2, scale=np.abs(expected))


def test_polynomial_design_holds_the_powers():
    x = jnp.array([2.0, -1.0, 0.5])
    np.testing.assert_array_equal(polynomial_design(x, 3),
                                  [[1, 2, 4, 8], [1, -1, 1, -1], [1, 0.5, 0.25, 0.125]])


def test_linear_data_has_the_requested_size_and_line(key):
    x, y = linear_data(key=key, n=50_000, intercept=1.0, slope=0.5, sigma=0.1)
    assert x.shape == y.shape == (50_000,)
    intercept, slope = ols_coefficients(polynomial_design(x, 1), y)
    assert float(slope) == pytest.approx(0.5, abs=0.01)
    assert float(intercept) == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize(
    ("function", "kwarg", "bad"),
    [(forward_difference, "h", 0.0), (central_difference, "h", -1e-3)],
    ids=["forward-h=0", "central-h<0"])
def test_bad_difference_steps_raise(function, kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}` must be positive"):
        function(exp2, 0.0, **{kwarg: bad})


@pytest.mark.parametrize(("kwarg", "bad"), [("step0", 0.0), ("tol", -1.0), ("max_iter", 0),
                                            ("max_iter", 2.5)], ids=str)
def test_bad_descent_arguments_raise_naming_them(kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        barzilai_borwein(lambda x: x @ x, jnp.ones(2), **{kwarg: bad})


def test_integer_start_raises_type_error():
    with pytest.raises(TypeError, match="`x0` must hold floating-point arrays"):
        barzilai_borwein(lambda x: x @ x, jnp.ones(2, dtype=int))


@pytest.mark.parametrize(("kwargs", "name"),
                         [({"learning_rate": 0.0, "steps": 5}, "learning_rate"),
                          ({"learning_rate": 0.1, "steps": 0}, "steps")], ids=str)
def test_bad_path_arguments_raise_naming_them(kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        descent_path(lambda x: x @ x, jnp.ones(2), **kwargs)


@pytest.mark.parametrize(("kwarg", "bad"), [("n", 0), ("sigma", -0.1)], ids=str)
def test_bad_data_arguments_raise_naming_them(key, kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        linear_data(key=key, **{kwarg: bad})


def test_mismatched_ols_shapes_raise():
    with pytest.raises(ValueError, match="`y` must have shape"):
        ols_coefficients(jnp.ones((5, 2)), jnp.ones(4))


def test_negative_degree_raises():
    with pytest.raises(ValueError, match="`degree`"):
        polynomial_design(jnp.ones(3), -1)
