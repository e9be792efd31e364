"""The frugal savings operator, the model's choice of operator, and the scaling benchmark."""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxecon import (
    bellman_operator,
    create_savings_model,
    greedy_policy,
    hpi,
    opi,
    policy_operator,
    savings_action_values,
    savings_action_values_frugal,
    savings_max_frugal,
    savings_maximize_frugal,
    stored_utility_bytes,
    vector_log,
    vfi,
)
from jaxecon.__main__ import main
from jaxecon.backends.savings import action_values_numpy, utility_numpy
from jaxecon.bench.big_savings import big_frugal_solve, write_big_record
from jaxecon.bench.scaling import (
    METHODS,
    ScalingRecord,
    bench_scaling,
    largest_states,
    power_law,
    scaling_sizes,
)
from jaxecon.solvers import _hpi
from tolerance import assert_agree, bellman_scale, magnitude, savings_k

W_SIZE, Y_SIZE = 37, 4  # 37 choices: the frugal maximum's last block is padded
GAMMAS = [1.0, 2.0, 2.7]


def pair(gamma, w_size=W_SIZE, y_size=Y_SIZE):
    kwargs = dict(w_size=w_size, y_size=y_size, gamma=gamma)
    return (create_savings_model(utility="stored", **kwargs),
            create_savings_model(utility="frugal", **kwargs))


@pytest.mark.parametrize("gamma", GAMMAS)
def test_frugal_and_stored_steps_agree_with_a_numpy_reference(gamma, key):
    stored, frugal = pair(gamma)
    assert (stored.utility, frugal.utility, frugal.u) == ("stored", "frugal", None)
    v = 10.0 * jax.random.normal(key, (W_SIZE, Y_SIZE))
    w, y, Q = (np.asarray(a) for a in (frugal.w_grid, frugal.y_grid, frugal.Q))
    reference = action_values_numpy(np.asarray(v), utility_numpy(frugal.R, gamma, w, y), Q,
                                     frugal.beta)
    k, beta = savings_k(stored), stored.beta  # u + β E v by two codes (NumPy, XLA)
    for q in (savings_action_values(v, stored), savings_action_values_frugal(v, frugal)):
        np.testing.assert_array_equal(np.isneginf(q), np.isneginf(reference))
        assert_agree(q, reference, k=k, scale=bellman_scale(reference, v, beta))
    t_v = bellman_operator(v, stored)
    assert_agree(bellman_operator(v, frugal), t_v, k=k, scale=bellman_scale(t_v, v, beta))
    sigma = greedy_policy(v, stored)
    np.testing.assert_array_equal(greedy_policy(v, frugal), sigma)
    np.testing.assert_array_equal(sigma, reference.argmax(axis=2))
    t_sigma_v = policy_operator(v, sigma, stored)
    assert_agree(policy_operator(v, sigma, frugal), t_sigma_v, k=k,
                 scale=bellman_scale(t_sigma_v, v, beta))


@pytest.mark.parametrize("w_size", [2, 9, 10, 37])
def test_the_blockwise_maximum_is_the_max_and_first_argmax(w_size, key):
    stored, frugal = pair(2.0, w_size=w_size)
    v = jnp.round(jax.random.normal(key, (w_size, Y_SIZE)), 1)  # ties between choices
    q = np.asarray(savings_action_values_frugal(v, frugal))
    sigma, t_v = savings_maximize_frugal(v, frugal)
    np.testing.assert_array_equal(sigma, q.argmax(axis=2))
    t_max = q.max(axis=2)
    assert_agree(t_v, t_max, k=savings_k(stored), scale=bellman_scale(t_max, v, stored.beta))


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("w_size", [2, 9, 10, 37])
def test_the_loop_over_choices_is_the_max_of_the_action_values(gamma, w_size, key):
    stored, frugal = pair(gamma, w_size=w_size)
    v = 10.0 * jax.random.normal(key, (w_size, Y_SIZE))
    t_v = np.asarray(savings_action_values(v, stored)).max(axis=2)
    # vector_log is within 2 roundings of ln c, XLA's log within 1: k + 2
    assert_agree(savings_max_frugal(v, frugal), t_v, k=savings_k(stored) + 2,
                 scale=bellman_scale(t_v, v, stored.beta))


def test_vector_log_is_ln_to_two_roundings_and_keeps_the_special_values(key):
    x = jnp.concatenate([jnp.exp(jax.random.uniform(key, (200_000,), minval=-700, maxval=700)),
                         jnp.linspace(1e-3, 5.0, 100_001), 1.0 + jnp.linspace(-1e-6, 1e-6, 2001),
                         jnp.array([2.2250738585072014e-308, 1.7e308])])
    exact = np.log(np.asarray(x))
    error = np.abs(np.asarray(jax.jit(vector_log)(x)) - exact)
    assert np.all(error <= 2.0 * np.spacing(np.abs(exact)))  # two units in the last place
    assert np.all(error <= 5e-16 * np.abs(exact))
    np.testing.assert_array_equal(vector_log(jnp.array([0.0, -1.0, jnp.inf, jnp.nan])),
                                  [-np.inf, np.nan, np.inf, np.nan])


def test_a_frugal_log_step_holds_no_array_of_every_state_and_choice():
    w_size, y_size = 300, 10
    _, frugal = pair(1.0, w_size, y_size)
    m = jax.jit(bellman_operator).lower(jnp.zeros((w_size, y_size)), frugal).compile()
    m = m.memory_analysis()
    assert 10 * (m.argument_size_in_bytes + m.temp_size_in_bytes) < stored_utility_bytes(
        w_size, y_size)


# VFI and OPI take the same steps, so they agree as the operators do: a step's k, carried by
# the β-contraction, k/(1 − β), on terms within (1 + 2β) max|v|. HPI evaluates each policy by
# BiCGSTAB and a refinement step to float64 rounding of v_σ = (I − β P_σ)⁻¹ r_σ, a solve of
# condition (1 + β)/(1 − β): within the same bound.
SOLVES = {"vfi": lambda m: vfi(m, tol=1e-9), "hpi": lambda m: hpi(m, tol=0.0),
          "opi": lambda m: opi(m, m=7, tol=1e-9)}


@pytest.mark.parametrize("method", list(SOLVES))
@pytest.mark.parametrize("gamma", GAMMAS)
def test_vfi_hpi_and_opi_solve_the_same_model_either_way(gamma, method):
    by_stored, by_frugal = (SOLVES[method](m) for m in pair(gamma))
    stored = pair(gamma)[0]
    assert by_frugal.num_iter == by_stored.num_iter
    assert_agree(by_frugal.v, by_stored.v, k=savings_k(stored) / (1 - stored.beta),
                 scale=(1 + 2 * stored.beta) * magnitude(by_stored.v))
    np.testing.assert_array_equal(by_frugal.sigma, by_stored.sigma)


def test_a_frugal_solve_holds_no_array_of_every_state_and_choice():
    w_size, y_size = 300, 10
    stored, frugal = pair(2.0, w_size, y_size)
    v0 = jnp.zeros((w_size, y_size))

    def held(model):
        m = jax.jit(_hpi, static_argnames="max_iter").lower(model, v0, 1e-5, max_iter=50)
        m = m.compile().memory_analysis()
        return m.argument_size_in_bytes + m.temp_size_in_bytes

    big = stored_utility_bytes(w_size, y_size)
    assert held(stored) > big > 10 * held(frugal)


def test_stored_utility_over_the_budget_is_refused_naming_size_budget_and_option():
    with pytest.raises(ValueError, match=r"3,200,000,000 bytes.*memory_budget_bytes="
                                         r"1,000,000,000.*utility='frugal'"):
        create_savings_model(w_size=2000, y_size=100, utility="stored",
                             memory_budget_bytes=10**9)


def test_auto_stores_u_only_within_the_budget():
    assert create_savings_model(w_size=30, y_size=4).utility == "stored"
    small_budget = stored_utility_bytes(30, 4) - 1
    model = create_savings_model(w_size=30, y_size=4, memory_budget_bytes=small_budget)
    assert (model.utility, model.u) == ("frugal", None)


@pytest.mark.parametrize(("kwarg", "bad"), [("utility", "lazy"), ("memory_budget_bytes", 0),
                                            ("memory_budget_bytes", 1.5)])
def test_bad_utility_options_raise_naming_the_option(kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`.*got '?{bad}"):
        create_savings_model(w_size=10, y_size=3, **{kwarg: bad})


@pytest.mark.parametrize("change", [dict(gamma=5.0), dict(R=1.02), dict(gamma=1.0)])
def test_a_stored_u_that_no_longer_derives_from_the_parameters_is_refused(change):
    stored, _ = pair(2.0)
    changed = stored._replace(**change)
    with pytest.raises(ValueError, match="rebuild it with create_savings_model"):
        vfi(changed)
    with pytest.raises(ValueError, match="computed for R=1.01, gamma=2.0"):
        bellman_operator(jnp.zeros((W_SIZE, Y_SIZE)), changed)  # refused while tracing


def test_a_stored_u_of_other_grids_is_refused_at_the_solver():
    stored, _ = pair(2.0)
    with pytest.raises(ValueError, match="other grids"):
        hpi(stored._replace(w_grid=stored.w_grid * 1.1))
    with pytest.raises(ValueError, match=r"`u` must have shape \(36, 4, 36\)"):
        vfi(stored._replace(w_grid=stored.w_grid[:-1]))
    with pytest.raises(ValueError, match="utility='frugal' must have u=None"):
        vfi(stored._replace(utility="frugal"))


def test_a_frugal_model_solves_the_parameters_it_holds():
    _, frugal = pair(2.0)
    _, direct = pair(5.0)
    # the same compiled solve of the same numbers: equal to the bit
    np.testing.assert_array_equal(vfi(frugal._replace(gamma=5.0)).v, vfi(direct).v)


def test_scaling_sizes_grow_to_the_largest_grid_within_the_budget():
    sizes = scaling_sizes(2**28, 100)
    assert sizes[0] == 150 and sizes == sorted(sizes)
    assert stored_utility_bytes(sizes[-1], 100) <= 2**28 < stored_utility_bytes(sizes[-1] + 3,
                                                                                100)
    records = bench_scaling(sizes=scaling_sizes(10**6, 3, start=10)[-1:], y_size=3,
                            methods=("stored",), budget_bytes=10**6, repeats=1)
    assert len(records) == 1  # the largest size's stored step fits the budget
    with pytest.raises(ValueError, match="`budget_bytes` must hold"):
        scaling_sizes(10**6, 100)


def test_scaling_records_time_every_method_that_fits_the_budget():
    budget = stored_utility_bytes(27, 3)  # the stored step of w = 30 does not fit
    records = bench_scaling(sizes=[16, 24, 30], y_size=3, methods=METHODS,
                            budget_bytes=budget, repeats=1)
    got = {(r.method, r.w_size) for r in records}
    assert {("frugal", 30), ("inline", 16), ("stored", 24)} <= got
    assert ("stored", 30) not in got and ("numpy", 30) not in got
    for r in records:
        assert isinstance(r, ScalingRecord)
        assert (r.states, r.choices, r.budget_bytes) == (r.w_size * 3, r.w_size, budget)
        assert r.peak_bytes <= budget and r.gap < 1e-12 and r.device and r.versions
        assert r.ns_per_element == pytest.approx(r.seconds_per_step_min / (r.states * r.w_size)
                                                 * 1e9)
    by = {(r.method, r.w_size): r for r in records}
    assert by[("stored", 24)].peak_bytes > stored_utility_bytes(24, 3) > by[("frugal",
                                                                              24)].peak_bytes


def test_power_law_and_largest_states():
    assert power_law([10, 100], [5, 500]) == pytest.approx((2.0, 0.05))
    rows = [ScalingRecord("stored", w, 1, w, w, 2.0, 1.0, 1.0, 1.0, 8 * w * w, 0, 0.0, "", {})
            for w in (10, 20)]
    assert largest_states(rows, "stored", 8 * 50**2) == pytest.approx(50, abs=1)
    with pytest.raises(ValueError, match="two sizes of method 'frugal'"):
        largest_states(rows, "frugal", 100)


def test_cli_prints_one_scaling_record_per_method_and_size(capsys):
    argv = ["bench", "scaling", "--sizes", "12,18", "--y-size", "3", "--repeats", "1",
            "--json"]
    assert main(argv) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert all(line["bench"] == "scaling" and line["provenance"]["date"] for line in lines)
    records = [line["record"] for line in lines]
    assert [(r["method"], r["w_size"]) for r in records] == [
        (m, w) for w in (12, 18) for m in ("stored", "frugal", "numpy")]
    assert all(set(ScalingRecord._fields) == set(r) for r in records)


@pytest.mark.slow
def test_the_big_solve_writes_a_record_with_provenance(tmp_path, capsys):
    record = big_frugal_solve(w_size=40, y_size=3, method="opi", m=5)
    assert record.error <= record.tol == 1e-5 and record.xla_peak_bytes > 0
    assert record.stored_u_bytes == stored_utility_bytes(40, 3) and record.min_consumption > 0
    path = write_big_record(record, tmp_path)
    saved = json.loads(path.read_text())
    assert saved["num_iter"] == record.num_iter >= 1 and saved["git_commit"] and saved["date"]
    assert main(["bench", "scaling", "--big", "--big-w-size", "30", "--y-size", "3",
                 "--results", str(tmp_path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["record"]
    assert printed["method"] == "hpi" and (tmp_path / "savings_frugal_hpi_30x3.json").exists()
