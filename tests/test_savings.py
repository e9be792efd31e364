"""Optimal savings: the model, its operators, the DiscreteDP oracle and the baselines."""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import quantecon as qe
from jax.sharding import AxisType, NamedSharding, PartitionSpec

from jaxecon import (
    bellman_operator,
    consumption,
    create_savings_model,
    euler_errors,
    greedy_policy,
    hpi,
    policy_operator,
    simulate_households,
    stationary_distribution,
    store_utility,
    vfi,
)
from jaxecon.__main__ import main
from jaxecon.backends.savings import bellman_numba, vfi_numba, vfi_numpy, vfi_numpy_naive
from jaxecon.parallel import sharded_value_function_iteration
from jaxecon.results import Record
from jaxecon.savings import savings_action_values
from jaxecon.savings_stored import (
    savings_action_values_inline,
    savings_action_values_vmap,
    stored_action_values,
)
from tolerance import assert_agree, bellman_scale, magnitude, savings_k, stopped_distance

W_SIZE, Y_SIZE = 30, 4


@pytest.fixture(scope="module")
def model():
    return create_savings_model(w_size=W_SIZE, y_size=Y_SIZE)


@pytest.fixture(scope="module")
def solution(model):
    return hpi(model, tol=1e-12)


def test_default_model_is_the_lectures():
    model = create_savings_model()
    assert model.w_grid.shape == (150,) and model.Q.shape == (100, 100)
    np.testing.assert_allclose([model.y_grid[0], model.y_grid[-1]], [0.502, 1.990], atol=1e-3)
    assert_agree(model.Q.sum(axis=1), 1.0, k=100, scale=1.0)  # a sum of 100 terms in [0, 1]
    stored = store_utility(model)  # 18 MB: within the default budget
    assert stored.u.shape == (150, 100, 150) and stored.u.dtype == jnp.float64


def test_the_four_ways_of_writing_the_action_values_agree(model, key):
    v = jax.random.normal(key, (W_SIZE, Y_SIZE))
    expected = savings_action_values(v, model)  # u computed in the step
    scale = bellman_scale(expected, v, model.beta)
    stored = store_utility(model)  # u read from the array
    assert_agree(stored_action_values(v, stored), expected, k=savings_k(model), scale=scale)
    assert_agree(savings_action_values_vmap(v, stored), expected, k=savings_k(model),
                 scale=scale)
    # the inline form computes u = c^(1−γ)/(1−γ) with a traced γ: a general power
    assert_agree(savings_action_values_inline(v, model), expected,
                 k=savings_k(model, power=True), scale=scale)


def test_infeasible_choices_are_exactly_those_with_nonpositive_consumption(model):
    q = np.asarray(savings_action_values(jnp.zeros((W_SIZE, Y_SIZE)), model))
    w, y = np.asarray(model.w_grid), np.asarray(model.y_grid)
    c = model.R * w[:, None, None] + y[None, :, None] - w[None, None, :]
    np.testing.assert_array_equal(np.isneginf(q), c <= 0)


def test_policy_operator_is_the_action_value_of_the_chosen_wealth(model, key):
    v = jax.random.normal(key, (W_SIZE, Y_SIZE))
    sigma = jax.random.randint(key, (W_SIZE, Y_SIZE), 0, 3)  # small savings: always feasible
    q = savings_action_values(v, model)
    expected = jnp.take_along_axis(q, sigma[:, :, None], axis=2)[:, :, 0]
    assert_agree(policy_operator(v, sigma, model), expected, k=savings_k(model),
                 scale=bellman_scale(expected, v, model.beta))


def discrete_dp_of_the_savings_model(R=1.01, beta=0.98, gamma=2.0):
    """The same model built from its parameters with NumPy and quantecon alone."""
    chain = qe.markov.tauchen(Y_SIZE, 0.9, 0.1)
    w, y, Q = np.linspace(0.01, 5.0, W_SIZE), np.exp(chain.state_values), chain.P
    c = R * w[:, None, None] + y[None, :, None] - w[None, None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        rewards = np.where(c > 0, c ** (1 - gamma) / (1 - gamma), -np.inf)
    P = np.zeros((W_SIZE, Y_SIZE, W_SIZE, W_SIZE, Y_SIZE))
    for i_next in range(W_SIZE):  # choosing w' = w[i_next] moves wealth there for sure
        P[:, :, i_next, i_next, :] = Q[None, :, :]
    n = W_SIZE * Y_SIZE
    return qe.markov.DiscreteDP(rewards.reshape(n, W_SIZE), P.reshape(n, W_SIZE, n), beta)


def test_hpi_agrees_with_quantecon_discrete_dp_built_independently(solution):
    oracle = discrete_dp_of_the_savings_model().solve(method="policy_iteration")
    np.testing.assert_allclose(solution.v.reshape(-1), oracle.v, rtol=1e-9)
    np.testing.assert_array_equal(solution.sigma.reshape(-1), oracle.sigma)


def test_optimal_consumption_is_positive_and_savings_rise_with_wealth(model, solution):
    assert jnp.all(consumption(solution.sigma, model) > 0)
    assert jnp.all(jnp.diff(solution.sigma, axis=0) >= 0)


@pytest.mark.parametrize("baseline", [vfi_numpy, vfi_numpy_naive, vfi_numba],
                         ids=["numpy", "numpy-naive", "numba"])
def test_baselines_take_the_same_steps_to_the_same_answer_as_jax(model, baseline):
    by_jax, by_baseline = vfi(model, tol=1e-6), baseline(model, tol=1e-6)
    assert by_baseline.num_iter == by_jax.num_iter
    # a step's k carried by the β-contraction; every step's terms are within (1 + 2β) max|v|
    assert_agree(by_baseline.v, by_jax.v, k=savings_k(model) / (1 - model.beta),
                 scale=(1 + 2 * model.beta) * magnitude(by_jax.v))
    np.testing.assert_array_equal(by_baseline.sigma, by_jax.sigma)


def test_a_baseline_that_runs_out_of_iterations_raises(model):
    with pytest.raises(RuntimeError, match="vfi_numpy did not converge in max_iter=5"):
        vfi_numpy(model, max_iter=5)


def test_vfi_runs_unchanged_on_arrays_placed_with_a_named_sharding(model):
    mesh = jax.make_mesh((1,), ("w",), axis_types=(AxisType.Auto,))  # XLA partitions
    by_state = NamedSharding(mesh, PartitionSpec("w"))
    placed = model._replace(w_grid=jax.device_put(model.w_grid, by_state))
    stored = store_utility(model)
    placed_stored = stored._replace(model=placed, u=jax.device_put(stored.u, by_state))
    # XLA compiles the partitioned program apart, so its steps may round differently
    for m in (placed, placed_stored):
        assert_agree(vfi(m).v, vfi(model).v, k=savings_k(model) / (1 - model.beta),
                     scale=(1 + 2 * model.beta) * magnitude(vfi(model).v))
        assert greedy_policy(jnp.zeros((W_SIZE, Y_SIZE)), m).shape == (W_SIZE, Y_SIZE)


@pytest.mark.parametrize(
    ("kwarg", "bad"),
    [("R", 0.0), ("R", -1.0), ("beta", 1.2), ("beta", 0.0), ("gamma", 0.0), ("gamma", -1.0),
     ("w_min", -0.1), ("w_max", 0.0), ("w_size", 0), ("w_size", 1), ("w_size", 2.5),
     ("y_size", 0), ("rho", 1.0), ("nu", 0.0)],
    ids=str,
)
def test_bad_parameters_raise_naming_the_parameter(kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`.*got {bad}"):
        create_savings_model(**{kwarg: bad})


@pytest.mark.slow
def test_cli_prints_one_record_per_solve(capsys):
    argv = ["bench", "opt_savings", "--w-size", "20", "--y-size", "3", "--m", "1,4",
            "--repeats", "1", "--naive", "--json"]
    assert main(argv) == 0
    out = capsys.readouterr().out.strip().splitlines()
    records = [Record.from_json(json.loads(line)["record"]).row() for line in out]
    assert [(r["method"], r["backend"], r["m"]) for r in records] == [
        ("vfi", "numpy", None), ("vfi", "numpy-naive", None), ("vfi", "numba", None),
        ("vfi", "jax", None), ("hpi", "jax", None), ("opi", "jax", 1), ("opi", "jax", 4)]
    vfi_iterations = {r["num_iter"] for r in records if r["method"] == "vfi"}
    assert len(vfi_iterations) == 1  # every backend takes the same steps
    assert all(r["value_gap"] < 1e-3 and r["seconds_min"] > 0 for r in records)


@pytest.mark.slow
def test_cli_table_names_the_devices(capsys):
    assert main(["bench", "opt_savings", "--w-size", "20", "--y-size", "3", "--m", "2",
                 "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "20 × 3 states, float64" in out and "÷ VFI" in out
    from jaxecon.devices import cpu_label, jax_device_label

    assert f"JAX on {jax_device_label()}" in out and f"Numba on {cpu_label()}" in out


def test_the_numba_step_reads_u_and_the_sharded_solve_takes_either_model(model):
    stored = store_utility(model)
    v = jnp.ones((W_SIZE, Y_SIZE))
    t_v, by_vfi = bellman_operator(v, model), vfi(model).v
    assert_agree(bellman_numba(v, stored), t_v, k=savings_k(model),
                 scale=bellman_scale(t_v, v, model.beta))
    for m in (model, stored):
        assert_agree(sharded_value_function_iteration(m).v, by_vfi,
                     k=savings_k(model) / (1 - model.beta),
                     scale=(1 + 2 * model.beta) * magnitude(by_vfi))


def test_simulated_households_follow_the_policy_and_the_income_chain():
    model = create_savings_model(w_size=12, y_size=4)
    up_one = jnp.minimum(jnp.arange(12)[:, None] + 1, 11) * jnp.ones((1, 4), int)
    i_w, i_y = simulate_households(up_one, model, households=20_000, periods=300,
                                   key=jax.random.key(0))
    assert set(np.asarray(i_w).tolist()) == {11}  # climbed one point a period, then stayed
    pi = stationary_income(model.Q)
    shares = np.bincount(np.asarray(i_y), minlength=4) / 20_000
    assert 0.5 * np.abs(shares - pi).sum() < 0.02  # total variation from stationarity


@pytest.mark.parametrize("name", ["households", "periods"])
def test_simulation_sizes_must_be_positive_integers(name):
    model = create_savings_model(w_size=5, y_size=2)
    sizes = {"households": 3, "periods": 3, name: 0}
    with pytest.raises(ValueError, match=f"`{name}`"):
        simulate_households(jnp.zeros((5, 2), int), model, key=jax.random.key(0), **sizes)


def stationary_income(Q) -> np.ndarray:
    """π with π Q = π, the eigenvector of Qᵀ for eigenvalue one (NumPy, independent)."""
    eigenvalues, vectors = np.linalg.eig(np.asarray(Q).T)
    pi = np.real(vectors[:, np.argmax(np.real(eigenvalues))])
    return pi / pi.sum()


def test_euler_errors_match_the_closed_form_marginal_utility(model):
    """u' by jax.grad against c^(−γ) and its inverse x^(−1/γ), written out in NumPy."""
    sigma = hpi(model).sigma
    s, gamma = np.asarray(sigma), model.gamma
    w, y, Q = (np.asarray(a) for a in (model.w_grid, model.y_grid, model.Q))
    c = model.R * w[:, None] + y[None, :] - w[s]
    expected = (c[s, :] ** -gamma * Q[None, :, :]).sum(axis=-1)
    ratio = (model.beta * model.R * expected) ** (-1 / gamma) / c
    interior = (s > 0) & (s < W_SIZE - 1)
    errors = np.asarray(euler_errors(sigma, model))
    assert interior.any() and np.array_equal(np.isnan(errors), ~interior)
    # the ratio is near 1, so 1 − ratio cancels: compare 1 − ratio to k ε of its terms
    assert_agree(10.0 ** errors[interior], np.abs(1 - ratio[interior]), k=4 * (Y_SIZE + 6),
                 scale=magnitude(ratio))


def test_euler_errors_shrink_in_proportion_to_the_grid_spacing():
    """Choices on a grid miss the Euler equation by about the spacing over c: doubling
    the wealth points lowers the mean log10 error by about log10 2 (once the grid is fine
    enough for the policy's steps to be regular: from 100 points here)."""
    means = []
    for w_size in (100, 200, 400):
        model = create_savings_model(w_size=w_size, y_size=10)
        means.append(float(np.nanmean(euler_errors(hpi(model).sigma, model))))
    steps = np.diff(means)
    assert means[0] < -1.0 and np.all(steps < 0), means
    np.testing.assert_allclose(steps, -np.log10(2.0), atol=0.1)


def test_a_policy_that_keeps_the_lowest_wealth_leaves_income_stationary():
    """σ ≡ 0: every household ends at the lowest wealth, income at Q's stationary π."""
    model, tol = create_savings_model(w_size=8, y_size=5), 1e-12
    psi = np.asarray(stationary_distribution(jnp.zeros((8, 5), int), model, tol=tol))
    assert np.all(psi[1:] == 0.0)  # no mass ever reaches them: sums of exact zeros
    # psi[0] iterates the income chain Q alone; π by NumPy's eigenvector, within rounding
    assert_agree(psi[0], stationary_income(model.Q), k=model.Q.shape[0], scale=1.0,
                 extra=stopped_distance(tol, model.Q))


def test_the_stationary_distribution_is_a_fixed_point_of_the_optimal_policy(model):
    sigma, tol = np.asarray(hpi(model).sigma), 1e-13
    psi = np.asarray(stationary_distribution(jnp.asarray(sigma), model, tol=tol))
    assert psi.min() >= 0.0
    np.testing.assert_allclose(psi.sum(), 1.0, atol=1e-12)
    moved = np.zeros_like(psi)  # one period forward, by loops over states
    for i in range(W_SIZE):
        for j in range(Y_SIZE):
            moved[sigma[i, j]] += psi[i, j] * np.asarray(model.Q)[j]
    # one step more: the stopping rule held the last step within tol, and steps shrink by
    # λ₂ < 1; the loops round each of the W·Y terms of a sum once more
    assert_agree(moved, psi, k=W_SIZE * Y_SIZE, scale=1.0, extra=tol)
    # income's marginal iterates Q alone; its step is a sum of W_SIZE steps of psi
    assert_agree(psi.sum(axis=0), stationary_income(model.Q), k=W_SIZE * Y_SIZE, scale=1.0,
                 extra=stopped_distance(W_SIZE * tol, model.Q))


def shown_functions(page: str) -> set[str]:
    """The package functions a page includes with ``literalinclude`` and ``:pyobject:``,
    read with the directive grammar the notebooks' conversion uses."""
    from jupyter_markdown import DIRECTIVE, split_options

    included = (split_options(m["content"])[0] for m in DIRECTIVE.finditer(page)
                if m["name"] in ("literalinclude", "revealjs-literalinclude"))
    return {options["pyobject"] for options in included if "pyobject" in options}


@pytest.mark.parametrize("function", ["consumption", "euler_errors"])
def test_the_savings_lecture_shows_its_economics_in_visible_code(function):
    """The consumption policy and the Euler-equation errors are shown (the function's
    source) and computed in a code cell a reader sees, not in hidden plumbing."""
    from pathlib import Path

    from test_essentials import visible_code  # imported here: at the top its tests would run twice

    page = (Path(__file__).resolve().parents[1] / "book" / "opt_savings.md").read_text(
        encoding="utf-8")
    assert function in shown_functions(page)
    assert f"jaxecon.{function}(" in visible_code(page)


def test_shown_functions_reads_only_included_objects():
    page = ("```{literalinclude} ../code/x.py\n:pyobject: shown\n```\n"
            "```{revealjs-literalinclude} ../code/x.py\n:pyobject: stepped\n"
            ":data-line-numbers: \"|2\"\n```\n```python\n:pyobject: not_a_directive\n```\n")
    assert shown_functions(page) == {"shown", "stepped"}
