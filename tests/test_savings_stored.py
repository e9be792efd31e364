"""The stored-utility savings model against the computed one, and the scaling benchmark."""

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
    store_utility,
    vfi,
)
from jaxecon.__main__ import main
from jaxecon.backends.savings import action_values_numpy, utility_numpy
from jaxecon.bench.big_savings import big_computed_solve
from jaxecon.bench.scaling import (
    METHODS,
    bench_scaling,
    largest_states,
    power_law,
    scaling_sizes,
)
from jaxecon.crra import stored_utility_bytes
from jaxecon.results import Record, load_results
from jaxecon.savings import savings_action_values
from jaxecon.savings_stored import stored_action_values
from jaxecon.solvers import _greedy_and_max, hpi_core
from tolerance import assert_agree, bellman_scale, magnitude, savings_k

W_SIZE, Y_SIZE = 37, 4
GAMMAS = [1.0, 2.0, 2.7]


def pair(gamma, w_size=W_SIZE, y_size=Y_SIZE):
    """(stored, computed): the same model with u stored and with u computed in the step."""
    computed = create_savings_model(w_size=w_size, y_size=y_size, gamma=gamma)
    return store_utility(computed), computed


@pytest.mark.parametrize("gamma", GAMMAS)
def test_computed_and_stored_steps_agree_with_a_numpy_reference(gamma, key):
    stored, computed = pair(gamma)
    assert stored.model is computed and stored.u.shape == (W_SIZE, Y_SIZE, W_SIZE)
    v = 10.0 * jax.random.normal(key, (W_SIZE, Y_SIZE))
    w, y, Q = (np.asarray(a) for a in (computed.w_grid, computed.y_grid, computed.Q))
    reference = action_values_numpy(np.asarray(v), utility_numpy(computed.R, gamma, w, y), Q,
                                     computed.beta)
    k, beta = savings_k(computed), computed.beta  # u + β E v by two codes (NumPy, XLA)
    for q in (stored_action_values(v, stored), savings_action_values(v, computed)):
        np.testing.assert_array_equal(np.isneginf(q), np.isneginf(reference))
        assert_agree(q, reference, k=k, scale=bellman_scale(reference, v, beta))
    t_v = bellman_operator(v, stored)
    assert_agree(bellman_operator(v, computed), t_v, k=k, scale=bellman_scale(t_v, v, beta))
    sigma = greedy_policy(v, stored)
    np.testing.assert_array_equal(greedy_policy(v, computed), sigma)
    np.testing.assert_array_equal(sigma, reference.argmax(axis=2))
    t_sigma_v = policy_operator(v, sigma, stored)
    assert_agree(policy_operator(v, sigma, computed), t_sigma_v, k=k,
                 scale=bellman_scale(t_sigma_v, v, beta))


@pytest.mark.parametrize("w_size", [2, 9, 10, 37])
def test_the_greedy_step_is_the_first_argmax_and_the_max(w_size, key):
    _, computed = pair(2.0, w_size=w_size)
    v = jnp.round(jax.random.normal(key, (w_size, Y_SIZE)), 1)  # ties between choices
    q = np.asarray(savings_action_values(v, computed))
    sigma, t_v = _greedy_and_max(v, computed)  # σ by the fused argmax, T v = T_σ v
    np.testing.assert_array_equal(sigma, q.argmax(axis=2))
    t_max = q.max(axis=2)
    assert_agree(t_v, t_max, k=savings_k(computed), scale=bellman_scale(t_max, v, computed.beta))
    assert_agree(bellman_operator(v, computed), t_max, k=savings_k(computed),
                 scale=bellman_scale(t_max, v, computed.beta))


@pytest.mark.parametrize("gamma", GAMMAS)
def test_a_computed_step_holds_no_array_of_every_state_and_choice(gamma):
    w_size, y_size = 300, 10
    computed = create_savings_model(w_size=w_size, y_size=y_size, gamma=gamma)
    m = jax.jit(bellman_operator).lower(jnp.zeros((w_size, y_size)), computed).compile()
    m = m.memory_analysis()
    assert 10 * (m.argument_size_in_bytes + m.temp_size_in_bytes) < stored_utility_bytes(
        w_size, y_size)


# VFI and OPI take the same steps, so they agree as the operators do: a step's k, carried by
# the β-contraction, k/(1 − β), on terms within (1 + 2β) max|v|. HPI evaluates each policy by
# BiCGSTAB and a refinement step to float64 rounding of v_σ = (I − β P_σ)⁻¹ r_σ, a solve of
# condition (1 + β)/(1 − β): within the same bound.
SOLVES = {"vfi": lambda m: vfi(m, tol=1e-9), "hpi": lambda m: hpi(m, tol=1e-12),
          "opi": lambda m: opi(m, m=7, tol=1e-9)}


@pytest.mark.parametrize("method", list(SOLVES))
@pytest.mark.parametrize("gamma", GAMMAS)
def test_vfi_hpi_and_opi_solve_the_same_model_either_way(gamma, method):
    by_stored, by_computed = (SOLVES[method](m) for m in pair(gamma))
    model = pair(gamma)[1]
    assert by_computed.num_iter == by_stored.num_iter
    assert_agree(by_computed.v, by_stored.v, k=savings_k(model) / (1 - model.beta),
                 scale=(1 + 2 * model.beta) * magnitude(by_stored.v))
    np.testing.assert_array_equal(by_computed.sigma, by_stored.sigma)


def test_a_computed_solve_holds_no_array_of_every_state_and_choice():
    w_size, y_size = 300, 10
    stored, computed = pair(2.0, w_size, y_size)
    v0 = jnp.zeros((w_size, y_size))

    def held(model):
        m = jax.jit(hpi_core, static_argnames="max_iter").lower(model, v0, 1e-5, max_iter=50)
        m = m.compile().memory_analysis()
        return m.argument_size_in_bytes + m.temp_size_in_bytes

    big = stored_utility_bytes(w_size, y_size)
    assert held(stored) > big > 10 * held(computed)


def test_store_utility_refuses_a_u_over_the_budget_naming_the_parameter_and_the_bytes():
    model = create_savings_model(w_size=2000, y_size=100)  # u would take 3.2 GB
    with pytest.raises(ValueError, match=r"`memory_budget_bytes` must hold u\(w, y, w'\) on "
                                         r"a 2000 × 100 grid, 3,200,000,000 bytes; "
                                         r"got 1,000,000,000"):
        store_utility(model, memory_budget_bytes=10**9)
    assert store_utility(pair(2.0)[1], memory_budget_bytes=stored_utility_bytes(W_SIZE, Y_SIZE))


@pytest.mark.parametrize("bad", [0, 1.5, "2GB"])
def test_a_bad_budget_is_refused_naming_it(bad):
    with pytest.raises(ValueError, match=f"`memory_budget_bytes`.*got '?{bad}"):
        store_utility(pair(2.0)[1], memory_budget_bytes=bad)


def test_a_computed_model_solves_the_parameters_it_holds_and_a_stored_one_its_new_u():
    stored, computed = pair(2.0)
    direct_stored, direct = pair(5.0)
    # the same compiled solve of the same numbers: equal to the bit
    np.testing.assert_array_equal(vfi(computed._replace(gamma=5.0)).v, vfi(direct).v)
    changed = store_utility(stored.model._replace(gamma=5.0))  # change the model, store again
    np.testing.assert_array_equal(changed.u, direct_stored.u)
    np.testing.assert_array_equal(vfi(changed).v, vfi(direct_stored).v)


def test_the_model_module_does_not_import_the_stored_one():
    """savings_stored builds on savings, never the other way: no import cycle."""
    import ast
    from pathlib import Path

    import jaxecon.savings

    tree = ast.parse(Path(jaxecon.savings.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert "jaxecon.savings_stored" not in imported and "jaxecon" not in imported


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
    assert {("computed", 30), ("inline", 16), ("stored", 24)} <= got
    assert ("stored", 30) not in got and ("numpy", 30) not in got
    for r in records:
        assert isinstance(r, Record)
        assert (r.states, r.choices, r.budget_bytes) == (r.w_size * 3, r.w_size, budget)
        assert r.peak_bytes <= budget and r.gap < 1e-12 and r.device and r.versions
        assert r.ns_per_element == pytest.approx(r.seconds_min / (r.states * r.w_size)
                                                 * 1e9)
    by = {(r.method, r.w_size): r for r in records}
    assert by[("stored", 24)].peak_bytes > stored_utility_bytes(24, 3) > by[("computed",
                                                                              24)].peak_bytes


def test_power_law_and_largest_states():
    assert power_law([10, 100], [5, 500]) == pytest.approx((2.0, 0.05))
    rows = [Record(None, {"method": "stored", "states": w, "peak_bytes": 8 * w * w})
            for w in (10, 20)]
    assert largest_states(rows, "stored", 8 * 50**2) == pytest.approx(50, abs=1)
    with pytest.raises(ValueError, match="two sizes of method 'computed'"):
        largest_states(rows, "computed", 100)


def test_cli_prints_one_scaling_record_per_method_and_size(capsys):
    argv = ["bench", "opt_savings.scaling", "--sizes", "12,18", "--y-size", "3", "--repeats", "1",
            "--json"]
    assert main(argv) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert all(line["bench"] == "opt_savings.scaling" and line["provenance"]["date"]
               for line in lines)
    records = [Record.from_json(line["record"]) for line in lines]
    assert [(r.method, r.w_size) for r in records] == [
        (m, w) for w in (12, 18) for m in ("stored", "computed", "numpy")]
    assert all(r.seconds_min > 0 and r.peak_bytes > 0 for r in records)


@pytest.mark.slow
def test_the_big_solve_is_a_benchmark_saved_like_the_others(tmp_path, capsys):
    record = big_computed_solve(w_size=40, y_size=3, method="opi", m=5)
    assert record.error <= record.tol == 1e-5 and record.xla_peak_bytes > 0
    assert record.stored_u_bytes == stored_utility_bytes(40, 3) and record.min_consumption > 0
    assert record.seconds_min == record.seconds_max > 0 and record.timing.repeats == 1
    assert main(["bench", "opt_savings.big", "--w-size", "30", "--y-size", "3",
                 "--save", str(tmp_path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    (saved,) = load_results(tmp_path, bench="opt_savings.big")
    assert saved.record.as_json() == printed["record"] and saved.provenance["commit"]
    assert saved.record.method == "hpi" and saved.record.num_iter >= 1
