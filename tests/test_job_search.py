"""Job search: the reservation wage, its risk-sensitive counterpart and bad input."""

import jax.numpy as jnp
import numpy as np
import pytest

from jaxecon import (
    continuation_value,
    create_job_search_model,
    create_risk_sensitive_job_search_model,
    hpi,
    mean_unemployment_duration,
    reservation_wage,
    unemployment_duration,
)
from jaxecon.job_search import NEWTON_RTOL
from tolerance import assert_agree, magnitude

FACTORIES = {
    "risk-neutral": create_job_search_model,
    "risk-sensitive": create_risk_sensitive_job_search_model,
}


@pytest.fixture(params=list(FACTORIES), scope="module")
def solved(request):
    model = FACTORIES[request.param](n=60)
    return model, hpi(model, tol=1e-12)


def test_reservation_wage_is_where_accepting_first_beats_continuing(solved):
    model, solution = solved
    stop = model.w_grid / (1 - model.beta)
    first = int(jnp.argmax(stop > continuation_value(solution.v, model)))
    assert reservation_wage(solution.v, model) == model.w_grid[first]
    # the worker rejects every lower offer and accepts every higher one
    np.testing.assert_array_equal(solution.sigma, (jnp.arange(60) >= first).astype(int))


def test_value_is_the_larger_of_stopping_and_continuing(solved):
    model, solution = solved
    expected = jnp.maximum(model.w_grid / (1 - model.beta),
                           continuation_value(solution.v, model))
    # v_σ by LU (n ε ‖I − β P_σ‖ ≤ n(1 + β) ε) and T v's own n + 4 roundings; the
    # risk-sensitive v_σ by Newton, within its stopping tolerance, which T carries (1 + β)
    n, beta, size = model.P.shape[0], model.beta, magnitude(solution.v)
    extra = (1 + beta) * NEWTON_RTOL * max(1.0, size) if hasattr(model, "theta") else 0.0
    assert_agree(solution.v, expected, k=2 * n + 4, scale=(1 + 2 * beta) * size, extra=extra)


def test_the_lectures_model_has_the_originals_reservation_wage():
    model = create_job_search_model()
    solution = hpi(model)
    assert int(jnp.argmax(solution.sigma)) == 385  # grid index 385 of 500, w̄ ≈ 2.11
    assert float(reservation_wage(solution.v, model)) == pytest.approx(2.11, abs=0.01)


def test_aversion_to_risk_lowers_the_reservation_wage():
    wages = [float(reservation_wage(hpi(model).v, model)) for model in (
        create_job_search_model(n=60), create_risk_sensitive_job_search_model(n=60))]
    assert wages[1] < wages[0]


def test_a_tiny_theta_recovers_the_risk_neutral_values():
    neutral = hpi(create_job_search_model(n=60), tol=1e-12)
    # With θ this small, ln E exp(−θ v)/θ cancels: v_σ is evaluated to about ε/|θ|.
    nearly = hpi(create_risk_sensitive_job_search_model(n=60, theta=-1e-7), tol=1e-8)
    np.testing.assert_allclose(nearly.v, neutral.v, rtol=1e-5)


def test_a_worker_who_accepts_nothing_has_an_infinite_reservation_wage():
    model = create_job_search_model(n=60, c=100.0)  # benefits beat every offer
    assert reservation_wage(hpi(model).v, model) == jnp.inf


@pytest.mark.parametrize(
    ("kwarg", "bad"),
    [("beta", 1.0), ("beta", -0.5), ("n", 0), ("n", 1), ("rho", -1.0), ("nu", -0.2),
     ("c", float("nan"))],
    ids=str,
)
@pytest.mark.parametrize("factory", list(FACTORIES.values()), ids=list(FACTORIES))
def test_bad_parameters_raise_naming_the_parameter(factory, kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        factory(**{kwarg: bad})


@pytest.mark.parametrize("bad", [0.0, float("inf")], ids=str)
def test_theta_must_be_nonzero_and_finite(bad):
    with pytest.raises(ValueError, match="`theta` must be non-zero and finite"):
        create_risk_sensitive_job_search_model(theta=bad)


def test_duration_is_zero_where_the_worker_accepts_and_solves_its_recursion(solved):
    model, solution = solved
    d = np.asarray(unemployment_duration(solution.v, model))
    accept = np.asarray(solution.sigma) == 1
    assert np.all(d[accept] == 0.0) and np.all(d[~accept] >= 1.0)
    P = np.asarray(model.P)
    # the residual of an LU solve, n ε ‖I − P‖ ≤ 2n ε, and the n + 1 roundings of 1 + P d
    assert_agree(d[~accept], 1.0 + P[~accept] @ d, k=3 * P.shape[0] + 1,
                 scale=1 + magnitude(d))


def test_mean_duration_weights_by_the_stationary_offer_distribution():
    model = create_job_search_model(n=40)
    v = hpi(model).v
    P = np.asarray(model.P)
    eigenvalues, vectors = np.linalg.eig(P.T)
    pi = np.real(vectors[:, np.argmax(np.real(eigenvalues))])
    pi /= pi.sum()
    expected = pi @ np.asarray(unemployment_duration(v, model))
    assert float(mean_unemployment_duration(v, model)) == pytest.approx(expected, rel=1e-8)


def test_higher_benefits_and_more_patience_mean_longer_spells():
    def spell(**kwargs):
        model = create_job_search_model(n=60, **kwargs)
        return float(mean_unemployment_duration(hpi(model).v, model))

    assert spell(c=0.5) < spell(c=1.0) < spell(c=1.5)
    assert spell(beta=0.95) < spell(beta=0.99)


def test_a_worker_who_accepts_everything_is_never_unemployed():
    model = create_job_search_model(n=30, c=1e-6, beta=0.5)
    v = hpi(model).v
    assert float(mean_unemployment_duration(v, model)) == 0.0
