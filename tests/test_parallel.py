"""Parallel Bellman steps and the sharded solve agree with the serial ones; the lecture
teaches sharding in code a student types."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jax.numpy as jnp
import numpy as np
import pytest

from jaxecon.backends.savings import bellman_numba
from jaxecon.distributed import check_state_axis, state_mesh
from jaxecon.mdp import bellman_operator
from jaxecon.savings import create_savings_model
from jaxecon.savings_stored import savings_bellman_vmap, store_utility
from test_essentials import visible_code
from tolerance import assert_agree, bellman_scale, savings_k

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model():
    return create_savings_model(w_size=24, y_size=5)


@pytest.fixture(scope="module")
def stored(model):
    return store_utility(model)


@pytest.fixture(scope="module")
def v(model):
    v0 = jnp.zeros((24, 5))
    return bellman_operator(bellman_operator(v0, model), model)  # a non-trivial v


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "prange"])
def test_numba_bellman_step_agrees_with_jax(model, stored, v, parallel):
    t_v = bellman_operator(v, model)
    assert_agree(bellman_numba(v, stored, parallel=parallel), t_v, k=savings_k(model),
                 scale=bellman_scale(t_v, v, model.beta))


def test_vmap_bellman_step_agrees_with_broadcasting(model, stored, v):
    t_v = bellman_operator(v, model)
    assert_agree(savings_bellman_vmap(v, stored), t_v, k=savings_k(model),
                 scale=bellman_scale(t_v, v, model.beta))


def test_numba_rejects_a_value_of_the_wrong_shape(stored):
    with pytest.raises(ValueError, match=r"`v` must have shape \(24, 5\); got \(5, 24\)"):
        bellman_numba(np.zeros((5, 24)), stored)


def test_an_empty_device_list_is_refused():
    with pytest.raises(ValueError, match=r"`devices` must be a non-empty 1-D array; got shape "
                                         r"\(0,\)"):
        state_mesh([])


@pytest.mark.parametrize("length, devices", [(25, 4), (3, 2), (152, 3)],
                         ids=["25-on-4", "3-on-2", "152-on-3"])
def test_a_state_axis_the_devices_do_not_divide_is_refused(length, devices):
    with pytest.raises(ValueError, match=rf"first state axis of `model` must be a multiple of "
                                         rf"{devices}, the number of devices; got {length}\."):
        check_state_axis(length, devices)


@pytest.mark.parametrize("length, devices", [(24, 4), (152, 8), (7, 1)])
def test_a_state_axis_the_devices_divide_passes(length, devices):
    assert check_state_axis(length, devices) == length


# What a student must type to shard an array (issue: the lecture showed only a wrapper).
SHARDING_ESSENTIALS = ["jax_num_cpu_devices", "make_mesh", "NamedSharding", "device_put",
                       "visualize_array_sharding", "shard_map", "jax.jit"]


@pytest.mark.parametrize("essential", SHARDING_ESSENTIALS)
def test_the_parallel_lecture_shows_sharding_in_visible_code(essential):
    assert essential in visible_code((ROOT / "book" / "parallel.md").read_text(encoding="utf-8"))


# Run in a fresh process, whose CPU is split into four devices before JAX starts; the
# solve is sharded over the first n of them for each n, so one process (one start of JAX,
# one compile of the unsharded solve) serves every count.
DEVICE_COUNTS = (1, 2, 4)
SHARDED = f"""
import json, jax, numpy as np
jax.config.update("jax_enable_x64", True)
from jax.sharding import NamedSharding, PartitionSpec
from jaxecon.distributed import STATE_AXIS, distribute_model, state_mesh
from jaxecon.parallel import sharded_value_function_iteration
from jaxecon.savings import create_savings_model
from jaxecon.savings_stored import store_utility
from jaxecon.solvers import value_function_iteration
model = store_utility(create_savings_model(w_size=24, y_size=5))
plain = value_function_iteration(model)
results = {{}}
for n in {DEVICE_COUNTS}:
    devices = jax.devices()[:n]
    mesh = state_mesh(devices)
    sharded = sharded_value_function_iteration(model, devices=devices)
    wanted = NamedSharding(mesh, PartitionSpec(STATE_AXIS))
    placed = distribute_model(model, mesh)
    odd = None
    try:
        distribute_model(create_savings_model(w_size=25, y_size=3), mesh)
    except ValueError as error:
        odd = str(error)
    results[n] = {{
        "devices": len(sharded.v.sharding.device_set),
        "v_gap": float(np.max(np.abs(np.asarray(sharded.v) - np.asarray(plain.v)))),
        "v_max": float(np.max(np.abs(np.asarray(plain.v)))),
        "same_policy": bool(np.all(np.asarray(sharded.sigma) == np.asarray(plain.sigma))),
        "same_iterations": int(sharded.num_iter) == int(plain.num_iter),
        "v_sharding_as_requested": sharded.v.sharding.is_equivalent_to(wanted, 2),
        "shards": len(sharded.v.addressable_shards),
        "u_split": placed.u.sharding.is_equivalent_to(wanted, 3),
        "grid_replicated": placed.model.w_grid.sharding.is_fully_replicated,
        "odd_grid_error": odd,
    }}
print(json.dumps({{"device_count": jax.device_count(), "results": results}}))
"""


@pytest.fixture(scope="module")
def sharded_runs():
    env = {**os.environ, "JAX_PLATFORMS": "cpu",
           # added to the caller's flags, so that make test's AVX2 run holds here too
           "XLA_FLAGS": f"{os.environ.get('XLA_FLAGS', '')} "
                        f"--xla_force_host_platform_device_count={max(DEVICE_COUNTS)}".strip()}
    out = subprocess.run([sys.executable, "-c", SHARDED], env=env, capture_output=True,
                         text=True, check=True)
    found = json.loads(out.stdout.splitlines()[-1])
    assert found["device_count"] == max(DEVICE_COUNTS)
    return {int(n): result for n, result in found["results"].items()}


@pytest.mark.slow
@pytest.mark.xdist_group("sharded")  # one worker, one process for every count
@pytest.mark.parametrize("n", DEVICE_COUNTS, ids=lambda n: f"{n}-devices")
def test_sharded_solve_equals_the_unsharded_one(sharded_runs, n):
    result = sharded_runs[n]
    assert result["devices"] == n and result["shards"] == n
    # each device runs its own compiled program: a step's k carried by the β-contraction
    model = create_savings_model(w_size=24, y_size=5)
    assert_agree(result["v_gap"], 0.0, k=savings_k(model) / (1 - model.beta),
                 scale=(1 + 2 * model.beta) * result["v_max"])
    assert result["same_policy"] and result["same_iterations"]
    assert result["v_sharding_as_requested"]
    assert result["u_split"] and result["grid_replicated"]  # as the registration declares
    if n > 1:
        assert result["odd_grid_error"] == (f"The length of the first state axis of `model` "
                                            f"must be a multiple of {n}, the number of "
                                            f"devices; got 25.")
    else:
        assert result["odd_grid_error"] is None  # one device divides every grid


@pytest.mark.slow
def test_cli_runs_the_parallel_benchmark(capsys):
    from jaxecon.__main__ import main
    from jaxecon.results import Record

    assert main(["bench", "parallel", "--w-size", "8", "--y-size", "3", "--devices", "1", "2",
                 "--repeats", "1", "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    records = [Record.from_json(json.loads(line)["record"]).row() for line in out]
    assert [r["method"] for r in records][-2:] == ["JAX sharded VFI"] * 2
    assert [r["devices"] for r in records][-2:] == [1, 2]
    assert {r["num_iter"] for r in records[-2:]} == {records[-1]["num_iter"]}
