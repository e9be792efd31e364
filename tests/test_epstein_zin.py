"""Epstein–Zin utility: Newton against successive approximation, a closed form, bad input."""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxecon import (
    EpsteinZinModel,
    consumption_equivalent,
    create_epstein_zin_model,
    lifetime_utility_newton,
    lifetime_utility_operator,
    lifetime_utility_successive,
)
from jaxecon.__main__ import main
from jaxecon.epstein_zin import (
    _within_core,
    epstein_zin_parameters,
    lifetime_utility_within,
    newton_step_products,
)
from jaxecon.results import Record
from tolerance import assert_agree

# K v = (c^ρ + β (P v^γ)^(ρ/γ))^(1/ρ) has only positive terms: each power rounds by an ulp and
# scales its base's relative error by its exponent (|ρ/γ|, 1/ρ, all ≤ 1 here, and ρ on c =
# eˣ), and P v^γ sums n terms: K v is within (n + 8) ε |K v| of exact


@pytest.fixture(scope="module")
def model():
    return create_epstein_zin_model(n=40)


def test_newton_and_successive_approximation_agree(model):
    by_newton = lifetime_utility_newton(model, tol=1e-12)
    by_successive = lifetime_utility_successive(model, tol=1e-11, max_iter=50_000)
    # a last step ≤ tol leaves successive approximation within tol L/(1 − L) of the fixed
    # point, L = ‖J_K‖∞ there (0.9985, above β); K's rounding carried by 1/(1 − L)
    v = by_newton.x
    modulus = float(jnp.abs(jax.jacobian(lifetime_utility_operator)(v, model)).sum(1).max())
    assert_agree(by_successive.x, v, k=(v.size + 8) / (1 - modulus), scale=jnp.abs(v),
                 extra=1e-11 * modulus / (1 - modulus))
    # Newton's last step leaves the residual K v − v at the rounding of K, by either code
    assert_agree(lifetime_utility_operator(v, model), v, k=2 * (v.size + 8), scale=jnp.abs(v))


def test_newton_takes_a_handful_of_steps_and_finishes_quadratically(model):
    # tol above the rounding floor (v is near 1), so the last step is still Newton's own
    out = lifetime_utility_newton(model, tol=1e-8)
    errors = np.asarray(out.errors[: out.num_iter])
    assert out.num_iter <= 8
    assert errors[-1] <= 10 * errors[-2] ** 2  # the error squares near the fixed point


def test_a_chain_that_never_moves_gives_the_closed_form():
    x = jnp.linspace(-0.5, 0.5, 5)
    model = EpsteinZinModel(x_grid=x, P=jnp.eye(5), beta=0.95, rho=1 / 3, gamma=-9.0)
    expected = jnp.exp(x)  # v^ρ = (1 − β) c^ρ + β v^ρ: consuming c forever is worth c
    # K's rounding, at a fixed point whose K has slope β: carried by 1/(1 − β)
    assert_agree(lifetime_utility_newton(model, tol=1e-12).x, expected, k=(5 + 8) / (1 - 0.95),
                 scale=jnp.abs(expected))


def test_consumption_is_exponentiated_once():
    # regression: the original code applied exp to c(x) = exp(x) a second time
    model = create_epstein_zin_model(n=7, beta=1e-12)  # K v ≈ c when the future is worthless
    np.testing.assert_allclose(lifetime_utility_operator(jnp.ones(7), model),
                               jnp.exp(model.x_grid), rtol=1e-9)


@pytest.mark.parametrize(
    ("kwarg", "bad"),
    [("beta", 1.0), ("beta", 0.0), ("rho", 0.0), ("gamma", 0.0), ("n", 1),
     ("alpha", 1.0),
     ("sigma", 0.0)],
    ids=str,
)
def test_bad_parameters_raise_naming_the_parameter(kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        create_epstein_zin_model(**{kwarg: bad})


def test_cli_times_both_methods_on_the_same_model(capsys):
    assert main(["bench", "epstein_zin", "--n", "20", "--repeats", "1", "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    records = [Record.from_json(json.loads(line)["record"]).row() for line in out]
    assert [r["method"] for r in records] == ["newton", "successive"]
    assert records[0]["num_iter"] < records[1]["num_iter"]
    assert all(r["n"] == 20 and r["device"] for r in records)
    # like for like: both within the same distance of the fixed point
    assert all(r["accuracy"] == 1e-8 and r["distance"] <= 1e-8 for r in records)
    # Newton's cost counts its Jacobian and solve: 4n/3 + 1 products per step
    assert records[0]["products"] == pytest.approx(records[0]["num_iter"] * (4 * 20 / 3 + 1))
    assert records[1]["products"] == records[1]["num_iter"]


def test_successive_approximation_stops_at_the_stated_distance(model):
    reference = lifetime_utility_newton(model, tol=1e-12).x
    by_step = lifetime_utility_successive(model, tol=1e-5)
    within = lifetime_utility_within(model, reference, accuracy=1e-6)
    assert within.error <= 1e-6 < float(jnp.max(jnp.abs(by_step.x - reference)))
    # one iteration fewer would not have been close enough
    assert within.errors[within.num_iter - 2] > 1e-6
    with pytest.raises(RuntimeError, match="max_iter=3"):
        lifetime_utility_within(model, reference, accuracy=1e-6, max_iter=3)
    with pytest.raises(ValueError, match="`accuracy`"):
        lifetime_utility_within(model, reference, accuracy=0.0)


def test_newton_step_cost_counts_the_jacobian_and_the_solve():
    assert newton_step_products(1000) == pytest.approx(1000 * 4 / 3 + 1)
    with pytest.raises(ValueError, match="`n`"):
        newton_step_products(0)


def test_a_calibration_maps_to_rho_and_gamma_and_back():
    rho, gamma = epstein_zin_parameters(eis=1.5, risk_aversion=10.0)  # Bansal & Yaron
    model = create_epstein_zin_model(n=5, rho=rho, gamma=gamma)
    assert model.eis == pytest.approx(1.5) and model.risk_aversion == pytest.approx(10.0)


def test_the_default_preferences_are_admissible():
    # regression: the default was the original talk's rho = 1.6, an EIS of -1.67
    model = create_epstein_zin_model(n=5)
    assert model.eis == pytest.approx(1.5) and model.risk_aversion == pytest.approx(10.0)
    assert 0 < model.eis and model.risk_aversion > 0


def test_utility_is_in_consumption_units():
    # the weight 1 − β: K maps the utility of consuming 1 forever to itself
    model = create_epstein_zin_model(n=9)
    constant = jnp.zeros(9)  # x = 0 in every state, c = 1
    # terms of size 1: K's sums over 9 states and its powers round by 2(n + 8) ε at most
    assert_agree(lifetime_utility_operator(jnp.ones(9), model._replace(x_grid=constant)),
                 jnp.ones(9), k=2 * (9 + 8), scale=1.0)


@pytest.mark.parametrize(("kwarg", "bad"), [("eis", -0.5), ("eis", 1.0), ("eis", 0.0),
                                            ("risk_aversion", 1.0)], ids=str)
def test_bad_preferences_raise_naming_them(kwarg, bad):
    good = {"eis": 1.5, "risk_aversion": 10.0}
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        epstein_zin_parameters(**{**good, kwarg: bad})


def test_more_risk_aversion_at_a_fixed_eis_lowers_the_consumption_equivalent():
    equivalents = []
    for risk_aversion in (2.0, 10.0, 20.0):
        rho, gamma = epstein_zin_parameters(eis=1.5, risk_aversion=risk_aversion)
        model = create_epstein_zin_model(n=60, rho=rho, gamma=gamma)
        v = lifetime_utility_newton(model).x  # v is in consumption units
        equivalents.append(float(consumption_equivalent(v, model)[30]))
    assert equivalents[0] > equivalents[1] > equivalents[2]


def test_a_nan_inside_the_within_loop_stops_it_unconverged(model):
    """The loop is fixed_point.iterate's, which ends on a NaN distance, not at max_iter."""
    reference = lifetime_utility_newton(model, tol=1e-12).x
    broken = model._replace(P=model.P.at[0, 0].set(jnp.nan))  # K v is NaN in state 0
    out = _within_core(broken, 2.0 * reference, reference, 1e-6, 1000)
    assert int(out.num_iter) == 1 and not bool(out.converged)
    with pytest.raises(RuntimeError, match="non-finite error"):
        lifetime_utility_within(broken, reference * 2.0, accuracy=1e-6, max_iter=1000)


def test_a_start_already_within_accuracy_takes_no_iteration(model):
    reference = lifetime_utility_newton(model, tol=1e-12).x
    out = lifetime_utility_within(model, reference, accuracy=1e-6, v_init=reference)
    assert out.num_iter == 0 and out.converged and out.error <= 1e-6
