"""VFI, HPI and OPI: agreement on every model, the DiscreteDP oracle, rates, compile-once."""

import logging

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import quantecon as qe

from jaxecon import (
    bellman_operator,
    create_job_search_model,
    create_risk_sensitive_job_search_model,
    create_savings_model,
    greedy_policy,
    hpi,
    hpi_core,
    newton_fixed_point,
    opi,
    opi_core,
    random_mdp,
    successive_approximation,
    vfi,
    vfi_core,
)
from tolerance import EPS, assert_agree, magnitude, savings_k

MODELS = {
    "mdp": lambda: random_mdp(key=jax.random.key(0), n=20, m=4, beta=0.95),
    "savings": lambda: create_savings_model(w_size=30, y_size=4),
    "job-search": lambda: create_job_search_model(n=40),
    "risk-sensitive": lambda: create_risk_sensitive_job_search_model(n=40),
}


def step_k(model, v):
    """Roundings in one step T v, in units of ε (1 + 2β) max|v|: n + 4 for an expectation
    over n next states, and the risk-sensitive (1/θ) ln Σ P exp(θ v) rounds ln's argument,
    which costs (n + 4)/|θ| more in absolute terms."""
    if hasattr(model, "y_grid"):
        return savings_k(model)
    k = model.P.shape[-1] + 4
    return k * (1 + 1 / (abs(model.theta) * magnitude(v))) if hasattr(model, "theta") else k


@pytest.fixture(params=list(MODELS), scope="module")
def solved(request):
    """A model and its three solutions, each solved to a tight tolerance."""
    model = MODELS[request.param]()
    return (model, vfi(model, tol=1e-11), hpi(model, tol=1e-12),
            opi(model, m=7, tol=1e-11))


def test_vfi_hpi_and_opi_agree_on_values_and_policies(solved):
    _, by_vfi, by_hpi, by_opi = solved
    np.testing.assert_allclose(by_vfi.v, by_hpi.v, atol=1e-6, rtol=0)
    np.testing.assert_allclose(by_opi.v, by_hpi.v, atol=1e-6, rtol=0)
    np.testing.assert_array_equal(by_vfi.sigma, by_hpi.sigma)
    np.testing.assert_array_equal(by_opi.sigma, by_hpi.sigma)


def test_hpi_ends_at_an_exact_fixed_point_of_the_bellman_operator(solved):
    model, _, by_hpi, _ = solved
    assert by_hpi.converged and by_hpi.num_iter < 50
    residual = jnp.max(jnp.abs(bellman_operator(by_hpi.v, model) - by_hpi.v))
    assert residual <= 1e-9 * jnp.max(jnp.abs(by_hpi.v))
    np.testing.assert_array_equal(greedy_policy(by_hpi.v, model), by_hpi.sigma)


def test_vfi_residuals_fall_at_least_at_the_rate_beta(solved):
    model, by_vfi, _, _ = solved
    errors = np.asarray(by_vfi.errors[: by_vfi.num_iter])
    # ‖T²v − Tv‖ ≤ β ‖Tv − v‖: each residual is at most β times the one before, up to the
    # rounding of two steps
    rounding = step_k(model, by_vfi.v) * EPS * (1 + 2 * model.beta) * magnitude(by_vfi.v)
    assert np.all(errors[1:] <= model.beta * errors[:-1] + 2 * rounding)
    assert np.all(np.isnan(np.asarray(by_vfi.errors[by_vfi.num_iter:])))


def test_solutions_agree_with_quantecon_discrete_dp_on_a_random_mdp():
    mdp = random_mdp(key=jax.random.key(5), n=25, m=5, beta=0.95)
    oracle = qe.markov.DiscreteDP(np.asarray(mdp.r), np.asarray(mdp.P), mdp.beta).solve(
        method="policy_iteration")
    by_hpi = hpi(mdp, tol=1e-12)
    # two backward-stable solves of (I − β P_σ) v = r_σ: 25 ε times the condition number
    assert_agree(by_hpi.v, oracle.v, k=25 * (1 + mdp.beta) / (1 - mdp.beta),
                 scale=magnitude(oracle.v))
    np.testing.assert_array_equal(by_hpi.sigma, oracle.sigma)


def test_opi_with_m_equal_to_one_is_vfi():
    model = MODELS["job-search"]()
    by_vfi, by_opi = vfi(model, tol=1e-8), opi(model, m=1, tol=1e-8)
    assert by_vfi.num_iter == by_opi.num_iter
    # T v by two compiled programs: a step's rounding carried by the β-contraction
    assert_agree(by_opi.v, by_vfi.v, k=step_k(model, by_vfi.v) / (1 - model.beta),
                 scale=(1 + 2 * model.beta) * magnitude(by_vfi.v))


def test_hpi_needs_fewer_iterations_than_opi_and_opi_fewer_than_vfi(solved):
    _, by_vfi, by_hpi, by_opi = solved
    assert by_hpi.num_iter <= by_opi.num_iter < by_vfi.num_iter


def test_a_second_solve_with_new_tol_m_and_start_compiles_nothing(caplog):
    model = create_savings_model(w_size=30, y_size=4)
    for solve in (vfi, hpi):
        solve(model, tol=1e-6)
    opi(model, m=3, tol=1e-6)
    with caplog.at_level(logging.WARNING), jax.log_compiles():
        vfi(model, tol=1e-7, v_init=jnp.ones((30, 4)))
        hpi(model, tol=1e-7)
        opi(model, m=9, tol=1e-7)  # m is traced, so an OPI sweep compiles once
    assert not [r for r in caplog.records if "Compiling" in r.getMessage()]


CORES = {"vfi": (vfi, lambda model, v0: vfi_core(model, v0, 1e-9, 10_000)),
         "hpi": (hpi, lambda model, v0: hpi_core(model, v0, 1e-9, 1_000)),
         "opi": (lambda model, tol: opi(model, m=5, tol=tol),
                 lambda model, v0: opi_core(model, v0, 1e-9, 5, 10_000))}


@pytest.mark.parametrize("model_name", list(MODELS))
@pytest.mark.parametrize("method", list(CORES))
def test_the_public_jitted_core_is_the_loop_its_solver_runs(method, model_name):
    """Same loop, same data: the core's arrays are the solver's, bit for bit."""
    model = MODELS[model_name]()
    solve, core = CORES[method]
    by_solver = solve(model, tol=1e-9)
    by_core = core(model, jnp.zeros_like(by_solver.v))
    assert bool(by_core.converged) and int(by_core.num_iter) == by_solver.num_iter
    np.testing.assert_array_equal(by_core.v, by_solver.v)
    np.testing.assert_array_equal(by_core.sigma, by_solver.sigma)


def test_the_hpi_core_runs_inside_other_jitted_code_and_never_raises():
    """Under jit the core hands back an unconverged record where hpi would raise."""
    model = MODELS["mdp"]()
    v0 = jnp.zeros(model.r.shape[0])
    out = jax.jit(lambda v: hpi_core(model, v, 1e-30, 1_000))(v0)
    assert not bool(out.converged) and float(out.error) > 1e-30
    with pytest.raises(RuntimeError, match="howard_policy_iteration"):
        hpi(model, tol=1e-30)


def test_non_convergence_raises_a_helpful_runtime_error():
    model = MODELS["job-search"]()
    with pytest.raises(RuntimeError, match=r"value_function_iteration did not converge in "
                                           r"max_iter=3 iterations \(last error .* > tol=1e-08\)"):
        vfi(model, tol=1e-8, max_iter=3)


@pytest.mark.parametrize("name", list(MODELS))
def test_hpi_is_converged_only_within_its_tolerance(name):
    """A repeated policy ends HPI, but a residual above tol (here one that no float64
    evaluation reaches) is reported, never called converged."""
    model = MODELS[name]()
    solved = hpi(model, tol=1e-6)
    assert solved.converged and solved.error <= 1e-6
    with pytest.raises(RuntimeError, match=r"howard_policy_iteration: the policy repeated "
                                           r"after \d+ iterations, but its Bellman residual "
                                           r".* > tol=1e-30"):
        hpi(model, tol=1e-30)


def test_a_failed_policy_evaluation_stops_hpi_unconverged(monkeypatch):
    """BiCGSTAB reports nothing, so a solve capped far short of its tolerance comes back
    as NaN, and HPI raises instead of improving on a wrong v_σ."""
    import jaxecon.mdp as mdp

    model = MODELS["savings"]()
    sigma = greedy_policy(jnp.zeros((30, 4)), model)
    assert np.isfinite(mdp.policy_value_iterative(sigma, model)).all()
    real = mdp.bicgstab
    monkeypatch.setattr(mdp, "bicgstab", lambda *a, **k: real(*a, **{**k, "maxiter": 1}))
    jax.clear_caches()  # the cap is read when the solver is traced
    try:
        assert np.isnan(mdp.policy_value_iterative(sigma, model)).all()
        with pytest.raises(RuntimeError, match=r"non-finite error"):
            hpi(model, tol=1e-8)
    finally:
        monkeypatch.undo()
        jax.clear_caches()


@pytest.mark.parametrize(("kwargs", "name"),
                         [({"tol": -1.0}, "tol"), ({"max_iter": 0}, "max_iter"),
                          ({"m": 0}, "m"), ({"m": 2.5}, "m"),
                          ({"v_init": jnp.zeros(3)}, "v_init")], ids=str)
def test_bad_solver_options_raise_naming_them(kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        opi(MODELS["job-search"](), **kwargs)


def affine(x, params):
    a, b = params
    return a * x + b


def test_successive_approximation_converges_linearly_to_the_closed_form():
    out = successive_approximation(affine, jnp.zeros(2), (0.5, jnp.array([1.0, 2.0])),
                                   tol=1e-12)
    # a last step ≤ tol leaves x within tol a/(1 − a) = tol of the fixed point (a = 0.5, the
    # modulus); a step's two roundings carried by the contraction: k = 2/(1 − a)
    assert_agree(out.x, [2.0, 4.0], k=4, scale=4.0, extra=1e-12)
    ratios = out.errors[1 : out.num_iter] / out.errors[: out.num_iter - 1]
    np.testing.assert_allclose(ratios, 0.5, rtol=1e-6)  # the error halves each step


def test_newton_solves_an_affine_fixed_point_in_one_step():
    out = newton_fixed_point(affine, jnp.zeros(2), (0.9, jnp.array([1.0, 2.0])), tol=1e-12)
    # 0.9's own rounding times the condition a/(1 − a) = 9, and the solve's few roundings
    assert_agree(out.x, [10.0, 20.0], k=16, scale=20.0)
    assert out.num_iter == 2  # one step to the answer, one that confirms it


@pytest.mark.parametrize("function", ["vfi_core", "hpi_core", "mdp_policy_operator"])
def test_the_theory_lecture_shows_vfi_the_policy_operator_and_hpi_as_real_code(function):
    """The algorithms are visible once each: the page includes the package's own source."""
    from pathlib import Path

    from test_savings import shown_functions

    page = Path(__file__).resolve().parents[1] / "book" / "dp_theory.md"
    assert function in shown_functions(page.read_text(encoding="utf-8"))
