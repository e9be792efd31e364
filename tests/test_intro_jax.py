"""f(x, y) on a grid three ways, the option pricers, bad input and `bench grid`."""

import json
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.scipy.stats import norm

from jaxecon import create_sv_call_model, evaluate_grid, grid_function
from jaxecon.__main__ import main
from jaxecon.intro_jax import GRID_METHODS, grid_memory_bytes, price_call_jax, price_call_numba
from jaxecon.results import Record
from tolerance import EPS, assert_agree

X = jnp.linspace(-3.0, 3.0, 41)
Y = jnp.linspace(-2.0, 2.5, 29)
PRICERS = {"jax": price_call_jax, "numba": price_call_numba}
# f = cos(r²)/(1 + r²) by two codes: r² = x² + y² rounds by ε r², which cos carries and
# 1 + r² divides away, and cos, the sum and the division each round by ε: 8 of scale 1
GRID_K = 8


def f_numpy(x, y):
    return np.cos(x**2 + y**2) / (1 + x**2 + y**2)


@pytest.mark.parametrize("method", GRID_METHODS)
def test_grid_evaluation_agrees_with_a_python_double_loop(method):
    expected = [[f_numpy(float(x), float(y)) for y in Y] for x in X]
    assert_agree(evaluate_grid(X, Y, method=method), expected, k=GRID_K, scale=1.0)


@pytest.mark.parametrize("method", GRID_METHODS)
def test_the_three_grid_evaluations_agree(method):
    assert_agree(evaluate_grid(X, Y, method=method), evaluate_grid(X, Y, method="broadcast"),
                 k=GRID_K, scale=1.0)


def test_grid_function_is_one_at_the_origin_and_radial():
    assert float(grid_function(0.0, 0.0)) == 1.0
    assert float(grid_function(1.2, -0.5)) == pytest.approx(float(grid_function(-0.5, 1.2)))


def test_meshgrid_holds_two_full_coordinate_arrays_the_others_do_not():
    n_x, n_y, item = X.shape[0], Y.shape[0], X.dtype.itemsize
    memory = {m: grid_memory_bytes(X, Y, method=m) for m in GRID_METHODS}
    assert memory["meshgrid"] >= 3 * n_x * n_y * item  # two coordinate arrays + the output
    assert memory["broadcast"] == memory["vmap"] == (n_x * n_y + n_x + n_y) * item


@pytest.mark.parametrize(("kwargs", "match"),
                         [({"method": "loops"}, "`method` must be one of 'meshgrid'"),
                          ({"x": jnp.ones((2, 2))}, "`x` must be a non-empty 1-D array"),
                          ({"y": jnp.ones(0)}, "`y` must be a non-empty 1-D array")],
                         ids=["method", "x-2d", "y-empty"])
def test_bad_grid_arguments_raise_naming_them(kwargs, match):
    args = {"x": X, "y": Y, "method": "vmap"} | kwargs
    with pytest.raises(ValueError, match=match):
        evaluate_grid(args.pop("x"), args.pop("y"), **args)


@pytest.fixture(scope="module")
def model():
    return create_sv_call_model()


@pytest.fixture(scope="module")
def prices(model):
    key = jax.random.key(7)
    return {name: pricer(model, key=key, steps=12, num_paths=200_000)
            for name, pricer in PRICERS.items()}


def test_the_two_pricers_agree_within_monte_carlo_error(prices):
    jax_price, numba_price = prices["jax"], prices["numba"]
    tolerance = 4 * math.hypot(jax_price.std_error, numba_price.std_error)
    assert abs(jax_price.price - numba_price.price) <= tolerance


def test_default_prices_are_sane(model, prices):
    # a call is worth more than its discounted intrinsic value and less than the stock
    for estimate in prices.values():
        assert max(model.s0 - model.strike * model.beta**12, 0.0) < estimate.price < model.s0
        assert 0 < estimate.std_error < 0.01 * estimate.price


def lognormal_call(model, steps):
    """With ν = 0 and σ_0 = σ̄, ln S_n ~ N(ln S_0 + nμ, nσ̄²): the discounted call in closed form."""
    m, v = math.log(model.s0) + steps * model.mu, steps * math.exp(2 * model.h_bar)
    d1 = (m - math.log(model.strike) + v) / math.sqrt(v)
    value = math.exp(m + v / 2) * norm.cdf(d1) - model.strike * norm.cdf(d1 - math.sqrt(v))
    return model.beta**steps * float(value)


@pytest.mark.parametrize("name", list(PRICERS))
def test_constant_volatility_price_matches_the_lognormal_closed_form(name):
    model = create_sv_call_model(nu=0.0, sigma0=0.05, sigma_bar=0.05)
    estimate = PRICERS[name](model, key=jax.random.key(3), steps=12, num_paths=200_000)
    assert abs(estimate.price - lognormal_call(model, 12)) <= 4 * estimate.std_error


@pytest.mark.parametrize("name", list(PRICERS))
def test_a_fixed_key_gives_the_same_price(name, model):
    first = PRICERS[name](model, key=jax.random.key(11), steps=6, num_paths=10_000)
    assert PRICERS[name](model, key=jax.random.key(11), steps=6, num_paths=10_000) == first


def test_the_numba_price_does_not_depend_on_the_thread_count(model):
    import numba

    def price():
        return price_call_numba(model, key=jax.random.key(13), steps=6, num_paths=20_000)

    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        single = price()
    finally:
        numba.set_num_threads(threads)
    assert price() == single


@pytest.mark.parametrize("name", list(PRICERS))
def test_price_falls_with_the_strike_on_common_random_numbers(name):
    key = jax.random.key(5)
    values = [PRICERS[name](create_sv_call_model(strike=k), key=key, steps=6,
                            num_paths=10_000).price for k in (90.0, 100.0, 110.0)]
    assert values[0] > values[1] > values[2]


@pytest.mark.parametrize(
    ("kwarg", "bad"),
    [("s0", 0.0), ("strike", -1.0), ("beta", 0.0), ("beta", 1.1), ("rho", 1.0),
     ("nu", -0.1), ("sigma_bar", 0.0), ("sigma0", -0.2), ("mu", math.inf)],
    ids=str)
def test_bad_model_parameters_raise_naming_them(kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`.*got {bad!r}"):
        create_sv_call_model(**{kwarg: bad})


@pytest.mark.parametrize("name", list(PRICERS))
@pytest.mark.parametrize(("kwarg", "bad"), [("steps", 0), ("num_paths", 1),
                                            ("num_paths", 2.5)], ids=str)
def test_bad_simulation_sizes_raise_naming_them(model, name, kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        PRICERS[name](model, key=jax.random.key(0), **{kwarg: bad})


def test_cli_json_prints_one_record_per_method_and_they_agree(capsys):
    assert main(["bench", "intro_jax", "--size", "64", "--repeats", "1", "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    records = [Record.from_json(json.loads(line)["record"]).row() for line in out]
    assert [r["method"] for r in records] == list(GRID_METHODS)
    for record in records:
        assert record["size"] == 64 and record["max_deviation"] <= GRID_K * EPS
        assert 0 < record["seconds_min"] <= record["seconds_median"]
        assert record["memory_bytes"] >= 64 * 64 * 8 and record["device"]


def test_cli_table_names_the_grid_and_every_method(capsys):
    assert main(["bench", "intro_jax", "--size", "32", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "f(x, y) on a 32 × 32 grid, float64, on" in out
    for method in GRID_METHODS:
        assert method in out
