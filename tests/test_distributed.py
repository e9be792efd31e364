"""One solve over several processes (jax.distributed, gloo on CPU) equals the one-process solve.

Each test that starts processes bounds them with a timeout; the launcher kills its whole
process group on failure, which the fault tests check by looking for survivors.
"""

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import jax
import numpy as np
import pytest

from jaxecon.__main__ import main
from jaxecon.bench.parallel import sharded_plan
from jaxecon.distributed import collective_bytes, distribute_model, solve_distributed
from jaxecon.launch import EXIT_HOOK, free_port, measure_sharding_costs, run_workers, solve_savings
from jaxecon.mdp import greedy_policy, policy_value_exact
from jaxecon.savings import create_savings_model
from jaxecon.savings_stored import store_utility
from jaxecon.solvers import howard_policy_iteration, value_function_iteration
from tolerance import assert_agree, magnitude, savings_k

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 240  # seconds for any run of processes (2 shared cores can be slow)
# Runs of several processes go to one xdist worker, one after another, so two of them
# never share the cores at once (`-n 2 --dist loadgroup` in the Makefile).
pytestmark = pytest.mark.xdist_group("processes")
SMALL = ["--w-size", "24", "--y-size", "5"]
# The JAX the lock file pins: CPU collectives have had correctness bugs in some releases,
# so the values below are checked against this version (and numerically, whatever it is).
PINNED_JAX = re.search(r"^jax==(\S+)$", (ROOT / "requirements-lock.txt").read_text(),
                       re.MULTILINE).group(1)
# Σ v of the 24 × 5 savings model by one-process VFI, as computed with PINNED_JAX.
VFI_SUM = -5940.636051


@pytest.fixture(scope="module")
def small():
    return create_savings_model(w_size=24, y_size=5)


def assert_same_solution(v, one, model):
    """Each device sums its own rows in its own compiled program: a step's k, carried by
    the β-contraction, on terms within (1 + 2β) max|v| (HPI's solve has condition
    (1 + β)/(1 − β): the same bound)."""
    assert_agree(v, one, k=savings_k(model) / (1 - model.beta),
                 scale=(1 + 2 * model.beta) * magnitude(one))


def survivors(coordinator: str) -> list[str]:
    """Command lines of live processes that were started for ``coordinator``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if coordinator in text and "jaxecon.launch" in text:
            found.append(text)
    return found


@pytest.mark.slow
@pytest.mark.processes
def test_two_processes_of_two_devices_solve_as_one_process_cli(small, tmp_path):
    out = tmp_path / "v.npy"
    done = subprocess.run(
        [sys.executable, "-m", "jaxecon", "solve", "savings", "--processes", "2",
         "--devices-per-process", "2", *SMALL, "--method", "vfi", "--out", str(out), "--json",
         "--timeout", str(TIMEOUT)],
        capture_output=True, text=True, timeout=TIMEOUT + 30, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    record = json.loads(done.stdout.splitlines()[-1])
    one = value_function_iteration(small)
    assert (record["processes"], record["devices"], record["method"]) == (2, 4, "vfi")
    assert record["iterations"] == one.num_iter and record["platform"] == "cpu"
    assert record["seconds"] > 0 and record["device_kind"]
    assert record["versions"]["jax"] == jax.__version__ == PINNED_JAX
    v = np.load(out)
    assert_same_solution(v, one.v, small)
    assert v.sum() == pytest.approx(VFI_SUM, abs=1e-5)


@pytest.mark.slow
@pytest.mark.processes
def test_two_processes_solve_by_policy_iteration_as_one_process(small, tmp_path):
    out = tmp_path / "v.npy"
    # One device each (the CLI test above runs two each): HPI's inner products still cross
    # between the processes, and two devices of one process would share one core here.
    record = solve_savings(processes=2, devices_per_process=1, w_size=24, y_size=5,
                           method="hpi", out=str(out), timeout=TIMEOUT)
    one = howard_policy_iteration(small)
    assert record["iterations"] == one.num_iter and record["devices"] == 2
    v = np.load(out)
    # The same policy, and its value: HPI evaluates σ by BiCGSTAB and one step of iterative
    # refinement, which leaves v_σ within rounding of the dense solve however the
    # devices sum their inner products (observed: 7e-14 apart on values of about 50).
    assert np.array_equal(greedy_policy(v, small), one.sigma)
    assert_same_solution(v, one.v, small)
    assert_same_solution(v, policy_value_exact(one.sigma, small), small)


def test_either_savings_model_is_distributed_as_registered_and_solved_the_same():
    computed = create_savings_model(w_size=8, y_size=3)
    stored = store_utility(computed)
    assert distribute_model(stored).u.shape == (8, 3, 8)  # u split: the declared field
    assert distribute_model(computed).w_grid.sharding.is_fully_replicated
    assert_same_solution(solve_distributed(computed).v, solve_distributed(stored).v, computed)


@pytest.mark.parametrize("solve", [
    lambda: solve_distributed(create_savings_model(w_size=8, y_size=3), method="vi"),
    lambda: solve_savings(w_size=24, y_size=5, method="vi", processes=2)],
    ids=["solve_distributed", "solve_savings"])
def test_an_unknown_method_is_refused_naming_the_choices(solve):
    with pytest.raises(ValueError, match=r"`method` must be one of 'vfi', 'hpi'; got 'vi'\."):
        solve()


def test_the_launchers_methods_are_the_distributed_solvers():
    from jaxecon.distributed import DISTRIBUTED_SOLVERS
    from jaxecon.launch import METHODS

    assert set(METHODS) == set(DISTRIBUTED_SOLVERS)


def test_a_device_count_asked_of_a_started_jax_is_refused_not_ignored(small):
    assert jax.device_count() == 1  # this test process started JAX on one CPU device
    with pytest.raises(RuntimeError, match=r"`devices_per_process`=2 needs a process whose "
                                           r"JAX has not started yet; this one started with 1"):
        solve_savings(devices_per_process=2, w_size=24, y_size=5)
    assert solve_savings(devices_per_process=1, w_size=24, y_size=5)["devices"] == 1


def test_no_module_of_the_package_imports_private_jax():
    package = ROOT / "code" / "jaxecon"
    private = [path.relative_to(package).as_posix() for path in sorted(package.rglob("*.py"))
               if re.search(r"^\s*(from|import) jax\._src", path.read_text(), re.MULTILINE)]
    assert private == []


def test_one_process_solve_without_processes(small):
    record = solve_savings(w_size=24, y_size=5, method="vfi")
    assert record["processes"] == 1
    assert record["iterations"] == value_function_iteration(small).num_iter


@pytest.mark.slow  # refused before any process starts: in the AVX2 rerun too
def test_a_grid_the_devices_do_not_divide_is_refused_naming_the_sizes(capsys):
    with pytest.raises(ValueError, match=r"first state axis of `model` must be a multiple of "
                                         r"4, the number of devices; got 25\."):
        solve_savings(processes=2, devices_per_process=2, w_size=25, y_size=5)
    assert main(["solve", "savings", "--processes", "3", "--devices-per-process", "2",
                 "--w-size", "20", "--json"]) == 1
    assert "must be a multiple of 6, the number of devices; got 20." in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.processes
def test_a_dead_worker_stops_the_run_with_a_clear_error_and_no_survivor(monkeypatch):
    monkeypatch.setenv(EXIT_HOOK, "1")
    coordinator = f"127.0.0.1:{free_port()}"
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="worker 1 of 2 exited with status 3"):
        run_workers(SMALL, 2, 2, timeout=TIMEOUT, coordinator=coordinator)
    assert time.monotonic() - start < TIMEOUT
    assert survivors(coordinator) == []


@pytest.mark.slow
@pytest.mark.processes
def test_an_unreachable_coordinator_fails_within_its_timeout_and_no_survivor():
    coordinator = f"127.0.0.1:{free_port()}"  # nobody listens there: process 0 never starts
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=f"could not reach the coordinator at "
                                           f"{re.escape(coordinator)} within 5 s"):
        run_workers(SMALL, 2, 1, timeout=TIMEOUT, init_timeout=5, coordinator=coordinator,
                    process_ids=[1])
    assert time.monotonic() - start < TIMEOUT
    assert survivors(coordinator) == []


@pytest.mark.slow
@pytest.mark.processes
def test_a_run_that_outlives_its_timeout_is_killed():
    coordinator = f"127.0.0.1:{free_port()}"
    with pytest.raises(TimeoutError, match="did not finish within 3 s"):
        run_workers(SMALL, 2, 1, timeout=3, coordinator=coordinator, process_ids=[1])
    assert survivors(coordinator) == []


def test_a_free_port_is_unused_and_a_port_in_use_is_never_offered():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port()))  # binding raises if the port were in use
        taken.listen()
        port = taken.getsockname()[1]
        offered = {free_port() for _ in range(20)}
        assert port not in offered
        assert all(1024 <= p <= 65535 for p in offered)


@pytest.mark.slow
def test_the_compiled_iteration_gathers_the_expectation_and_reduces_one_scalar():
    costs = {c["devices"]: c for c in measure_sharding_costs(24, 5, (1, 2, 4), timeout=TIMEOUT)}
    assert costs[1]["all_gather_bytes"] == 0
    for n in (2, 4):
        assert costs[n]["all_gather_bytes"] == 24 * 5 * 8
        assert costs[n]["all_reduce_bytes"] == 8 and costs[n]["other_collectives"] == {}
        assert costs[n]["received_bytes"] == (n - 1) * 24 * 5 * 8 // n
    u_bytes = 24 * 24 * 5 * 8
    assert costs[1]["memory_bytes"] > costs[2]["memory_bytes"] > costs[4]["memory_bytes"]
    for n in (1, 2, 4):
        assert costs[n]["memory_bytes"] >= u_bytes / n


def test_collective_bytes_reads_shapes_of_each_kind():
    text = ("%a = f64[8,3]{1,0} all-gather(f64[4,3]{1,0} %x), dimensions={0}\n"
            "%b = f64[] all-reduce(f64[] %y), to_apply=%max\n"
            "%c = f32[2]{0} all-reduce-start(f32[2]{0} %z)\n")
    assert collective_bytes(text) == {"all-gather": 192, "all-reduce": 16}


def test_the_page_plan_is_valid_with_exactly_one_device():
    assert jax.device_count() == 1  # this test process started JAX on one CPU device
    counts, w_size = sharded_plan()
    assert counts and all(w_size % n == 0 for n in counts)


@pytest.mark.parametrize("n", [1, 2, 3, 8])
def test_the_page_plan_uses_the_accelerators_present(n):
    counts, w_size = sharded_plan([SimpleNamespace(platform="gpu")] * n)
    assert counts[0] == 1 and counts[-1] == n and all(w_size % k == 0 for k in counts)
