"""The finite-MDP layer: operators against NumPy loops, contraction invariants, bad input."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxecon import (
    MDP,
    bellman_operator,
    create_job_search_model,
    create_mdp,
    create_risk_sensitive_job_search_model,
    create_savings_model,
    greedy_policy,
    policy_operator,
    policy_value_exact,
    policy_value_iterative,
    random_mdp,
)
from jaxecon.checks import check_stochastic
from jaxecon.markov import tauchen_chain
from jaxecon.mdp import model_operators
from tolerance import assert_agree, bellman_scale, magnitude


def an_mdp(seed: int, n: int = 12, m: int = 3, beta: float = 0.9) -> MDP:
    """A random MDP with infeasible actions (action 0 is always feasible)."""
    return random_mdp(key=jax.random.key(seed), n=n, m=m, beta=beta, feasible=0.6)


MODELS = {
    "mdp": lambda: an_mdp(0),
    "savings": lambda: create_savings_model(w_size=12, y_size=3),
    "job-search": lambda: create_job_search_model(n=15),
    "risk-sensitive": lambda: create_risk_sensitive_job_search_model(n=15),
}


@pytest.fixture(params=list(MODELS), scope="module")
def model(request):
    return MODELS[request.param]()


def random_values(key, model, count):
    shape = model_operators(model).state_shape(model)
    return [10.0 * jax.random.normal(k, shape) for k in jax.random.split(key, count)]


def test_bellman_operator_matches_a_loop_over_states_and_actions():
    mdp = an_mdp(1)
    r, P, v = np.asarray(mdp.r), np.asarray(mdp.P), np.linspace(-1.0, 1.0, 12)
    expected = [max(r[x, a] + mdp.beta * P[x, a] @ v for a in range(3)) for x in range(12)]
    # 12 + 2 roundings in r + β Σ_{x'} P v (12 terms, β's product, the add)
    assert_agree(bellman_operator(jnp.asarray(v), mdp), expected, k=12 + 2,
                 scale=bellman_scale(expected, v, mdp.beta))


def test_greedy_policy_is_feasible_and_attains_the_maximum(key):
    mdp = an_mdp(2)
    v = random_values(key, mdp, 1)[0]
    sigma = greedy_policy(v, mdp)
    assert np.all(np.isfinite(np.take_along_axis(np.asarray(mdp.r), sigma[:, None], 1)))
    t_v = bellman_operator(v, mdp)  # by another product than T_σ's: 12 + 2 roundings
    assert_agree(policy_operator(v, sigma, mdp), t_v, k=12 + 2,
                 scale=bellman_scale(t_v, v, mdp.beta))


def test_policy_operator_is_a_beta_contraction_on_random_pairs(model, key):
    sigma = greedy_policy(random_values(key, model, 1)[0], model)
    for v, w in zip(*[iter(random_values(key, model, 20))] * 2, strict=True):
        gap = jnp.max(jnp.abs(policy_operator(v, sigma, model) - policy_operator(w, sigma, model)))
        assert gap <= model.beta * jnp.max(jnp.abs(v - w)) * (1 + 1e-12)


def test_bellman_operator_is_a_monotone_beta_contraction(model, key):
    v, w = random_values(key, model, 2)
    gap = jnp.max(jnp.abs(bellman_operator(v, model) - bellman_operator(w, model)))
    assert gap <= model.beta * jnp.max(jnp.abs(v - w)) * (1 + 1e-12)
    upper = jnp.maximum(v, w)  # v ≤ upper pointwise, so T v ≤ T upper
    assert jnp.all(bellman_operator(v, model) <= bellman_operator(upper, model) + 1e-12)


def test_exact_policy_value_solves_the_linear_system_built_by_hand():
    mdp = an_mdp(3)
    sigma = greedy_policy(jnp.zeros(12), mdp)
    rows = np.arange(12)
    r_sigma = np.asarray(mdp.r)[rows, sigma]
    P_sigma = np.asarray(mdp.P)[rows, sigma]
    expected = np.linalg.solve(np.eye(12) - mdp.beta * P_sigma, r_sigma)
    # two backward-stable solves, each within 12 ε of v_σ times (1 + β)/(1 − β), the
    # condition number of I − β P_σ
    assert_agree(policy_value_exact(sigma, mdp), expected,
                 k=12 * (1 + mdp.beta) / (1 - mdp.beta), scale=magnitude(expected))


@pytest.mark.parametrize("name", ["mdp", "savings", "job-search"], ids=str)
def test_matrix_free_policy_value_agrees_with_the_exact_one(name):
    model = MODELS[name]()
    sigma = greedy_policy(jnp.zeros(model_operators(model).state_shape(model)), model)
    exact = policy_value_exact(sigma, model)
    # BiCGSTAB and one refinement step reach float64 rounding of the dense answer: n + 4
    # roundings in a row of (I − β P_σ) v = r_σ (the savings' u adds 2), times the
    # condition number (1 + β)/(1 − β); the residual T_σ v − v of the terms, (1 + 2β) max|v|
    n, beta, size = exact.size, model.beta, magnitude(exact)
    assert_agree(policy_value_iterative(sigma, model), exact,
                 k=(n + 4) * (1 + beta) / (1 - beta), scale=size)
    assert_agree(policy_operator(exact, sigma, model), exact, k=n + 4,
                 scale=(1 + 2 * beta) * size)


def test_an_unregistered_model_type_is_a_type_error():
    with pytest.raises(TypeError, match="no operators are registered for tuple"):
        bellman_operator(jnp.zeros(2), (1.0, 2.0))


GOOD_P = np.full((2, 2, 2), 0.5)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [({"beta": 1.2}, r"`beta` must be in \(0, 1\); got 1.2"),
     ({"beta": 0.0}, "`beta`"),
     ({"P": np.full((2, 2, 2), 0.465)}, r"`P` row \(0, 0\) sums to 0.93, not 1"),
     ({"P": np.array([[[1.5, -0.5]] * 2] * 2)}, "`P` must be non-negative"),
     ({"P": np.full((2, 2, 3), 1 / 3)}, r"`P` must have shape \(2, 2, 2\)"),
     ({"r": [[0.0, 1.0], [-np.inf, -np.inf]]}, "`r` row 1 has no feasible action"),
     ({"r": [[0.0, np.nan], [0.0, 0.0]]}, "`r` must be finite or -inf"),
     ({"r": np.zeros((0, 2)), "P": np.zeros((0, 2, 0))}, "`r` must have shape")],
    ids=["beta>1", "beta=0", "P-row-sum", "P-negative", "P-shape", "r-infeasible", "r-nan",
         "empty"],
)
def test_bad_mdp_inputs_raise_naming_the_parameter(kwargs, pattern):
    arguments = {"r": np.zeros((2, 2)), "P": GOOD_P, "beta": 0.9} | kwargs
    with pytest.raises(ValueError, match=pattern):
        create_mdp(**arguments)


def test_a_stochastic_matrix_check_names_the_first_bad_row():
    P = np.eye(20)
    P[17] *= 0.93
    with pytest.raises(ValueError, match="`Q` row 17 sums to 0.93, not 1"):
        check_stochastic("Q", P)


@pytest.mark.parametrize(("args", "name"), [((1, 0.9, 0.1), "n"), ((5, 1.0, 0.1), "rho"),
                                            ((5, 0.9, 0.0), "sigma")], ids=str)
def test_tauchen_chain_validates_its_arguments(args, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        tauchen_chain(*args)


@pytest.mark.parametrize(("kwargs", "name"), [({"n": 0}, "n"), ({"m": 0}, "m"),
                                              ({"feasible": 1.5}, "feasible")], ids=str)
def test_random_mdp_validates_its_arguments(key, kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        random_mdp(key=key, **({"n": 3, "m": 2, "beta": 0.9} | kwargs))
