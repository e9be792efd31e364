"""Launch a distributed solve on this machine: ``python -m jaxecon solve savings --processes N``.

The launcher starts N worker processes of ``python -m jaxecon.launch worker``, each with
its CPU split into D devices (``--xla_force_host_platform_device_count``), process 0
running the coordinator on 127.0.0.1 at a port the operating system reports free, and
every process joining with :func:`jaxecon.distributed.initialize_distributed` (gloo collectives,
bounded start-up, heartbeat and shutdown timeouts). The workers share one process
group: if one exits with an error, or the whole run outlives its timeout, the launcher
kills the group and raises an error naming the worker and the cause, so no process is
left behind. On a cluster the same worker runs once per host under Slurm or ``mpirun``
(see the README); only this launcher is specific to one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np

__all__ = ["free_port", "solve_savings", "run_workers", "measure_sharding_costs"]

#: The savings model's grid sizes when none are given (152 wealth points: a multiple of
#: 1, 2, 4 and 8 devices), for the command line and :func:`solve_savings` alike.
W_SIZE, Y_SIZE = 152, 100
#: The solvers a distributed run offers: the keys of ``distributed.DISTRIBUTED_SOLVERS``,
#: named here so that the parsers need not import JAX before the devices are set.
METHODS = ("vfi", "hpi")

#: Fault injection for the tests: the worker whose id this variable holds exits with
#: status 3 right after joining the run, as a crashed host would.
EXIT_HOOK = "JAXECON_WORKER_EXIT"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that the operating system reports unused right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_env(devices: int) -> dict[str, str]:
    flags = f"{os.environ.get('XLA_FLAGS', '')} --xla_force_host_platform_device_count={devices}"
    return {**os.environ, "XLA_FLAGS": flags.strip(), "JAX_PLATFORMS": "cpu"}


def _tail(stream, lines: int = 8) -> str:
    """The last messages a worker wrote, without the native stack trace of an abort."""
    stream.seek(0)
    text = stream.read().decode(errors="replace").splitlines()
    return "\n".join([line for line in text if not line.startswith("    @")][-lines:])


def _failure(i: int, status: int, processes: int, coordinator: str, init_timeout: int,
             messages: str) -> str:
    """Why worker ``i`` stopped, in one sentence, and its last messages."""
    if "DEADLINE_EXCEEDED" in messages and "RegisterTask" in messages:
        return (f"worker {i} could not reach the coordinator at {coordinator} within "
                f"{init_timeout} s; the run was stopped")
    return (f"worker {i} of {processes} exited with status {status}; the run was stopped. "
            f"Its last messages:\n{messages}")


def run_workers(worker_args: list[str], processes: int, devices_per_process: int, *,
                timeout: float = 120, init_timeout: int = 60, coordinator: str | None = None,
                process_ids=None) -> str:
    """Run ``python -m jaxecon.launch worker`` as processes 0 … N−1; process 0's output.

    Args:
        worker_args: the worker's model and solver options.
        processes: N, the number of processes of the run.
        devices_per_process: D, CPU devices per process.
        timeout: seconds the whole run may take; then every worker is killed.
        init_timeout: seconds a worker waits for the others to connect.
        coordinator: 'host:port' of the coordinator; 127.0.0.1 at a free port by default.
        process_ids: the ids to start here (all by default; others run elsewhere).

    Raises:
        RuntimeError: a worker failed (or could not reach the coordinator); all killed.
        TimeoutError: the run outlived ``timeout``; all killed.
    """
    coordinator = coordinator or f"127.0.0.1:{free_port()}"
    ids = list(range(processes)) if process_ids is None else list(process_ids)
    workers, logs, group = {}, {}, None
    deadline = time.monotonic() + timeout
    try:
        for i in ids:
            logs[i] = (tempfile.TemporaryFile(), tempfile.TemporaryFile())
            command = [sys.executable, "-m", "jaxecon.launch", "worker", "--coordinator",
                       coordinator, "--processes", str(processes), "--process-id", str(i),
                       "--init-timeout", str(init_timeout), *worker_args]
            workers[i] = subprocess.Popen(
                command, stdout=logs[i][0], stderr=logs[i][1], env=_cpu_env(devices_per_process),
                process_group=0 if group is None else group)
            group = workers[i].pid if group is None else group
        while True:
            running = [i for i, w in workers.items() if w.poll() is None]
            failed = [i for i, w in workers.items() if w.returncode not in (None, 0)]
            if failed:  # a worker that exited by itself, before one aborted by the others
                first = max(failed, key=lambda i: workers[i].returncode)
                raise RuntimeError(_failure(first, workers[first].returncode, processes,
                                            coordinator, init_timeout, _tail(logs[first][1])))
            if not running:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"the distributed solve did not finish within {timeout} s; "
                                   f"its {len(workers)} processes were killed")
            time.sleep(0.05)
        first = logs[ids[0]][0]
        first.seek(0)
        return first.read().decode()
    finally:
        if group is not None and any(w.poll() is None for w in workers.values()):
            os.killpg(group, signal.SIGKILL)
        for w in workers.values():
            w.wait()
        for out, err in logs.values():
            out.close()
            err.close()


def solve_savings(*, processes: int | None = None, devices_per_process: int | None = None,
                  w_size: int = W_SIZE, y_size: int = Y_SIZE, method: str = "vfi",
                  out: str | None = None, timeout: float = 120, init_timeout: int = 60) -> dict:
    """Solve the savings model, u stored, on ``processes`` × ``devices_per_process`` CPU devices.

    u(w, y, w') is split along wealth, so each device holds its own rows of it. With
    ``processes`` None the solve runs in this process, on its own devices (its CPU
    split into ``devices_per_process``, which JAX must not have started yet). Otherwise
    N workers are launched with :func:`run_workers`. Process 0 saves v to ``out`` (``.npy``).
    Either way the solve is :func:`jaxecon.distributed.solve_distributed`.

    Returns:
        The run's record: processes, devices, iterations, error, seconds (the solve,
        compilation included), wall_seconds (everything), device kind, versions.

    Raises:
        ValueError: for a size below 2, an unknown ``method``, or a wealth grid the
            number of devices does not divide (checked before any worker starts).
        RuntimeError: if ``devices_per_process`` is asked of a process whose JAX has
            already started with another number of devices.
    """
    from jaxecon.checks import check_choice, check_integer
    from jaxecon.distributed import DISTRIBUTED_SOLVERS, check_state_axis

    check_integer("w_size", w_size, 2)
    check_integer("y_size", y_size, 2)
    check_choice("method", method, DISTRIBUTED_SOLVERS)
    start = time.perf_counter()
    args = ["--w-size", str(w_size), "--y-size", str(y_size), "--method", method]
    args += ["--out", str(out)] if out else []
    if processes is None:
        record = _solve(_worker_parser().parse_args(args), devices_per_process)
    else:
        devices = check_integer("devices_per_process", devices_per_process or 1)
        check_state_axis(w_size, check_integer("processes", processes) * devices)
        lines = run_workers(args, processes, devices, timeout=timeout,
                            init_timeout=init_timeout).splitlines()
        record = json.loads(lines[-1])
    return record | {"wall_seconds": time.perf_counter() - start}


def _solve(args, devices: int | None = None) -> dict:
    """Solve in this process (already joined to the run, if distributed); the record."""
    import jax

    if devices is not None:
        try:  # JAX refuses a new device count once it has started
            jax.config.update("jax_num_cpu_devices", devices)
        except RuntimeError as error:
            if jax.device_count() != devices:
                raise RuntimeError(f"`devices_per_process`={devices} needs a process whose "
                                   f"JAX has not started yet; this one started with "
                                   f"{jax.device_count()}") from error
    jax.config.update("jax_enable_x64", True)
    from jaxecon.distributed import solve_distributed
    from jaxecon.machine import package_versions
    from jaxecon.savings import create_savings_model
    from jaxecon.savings_stored import store_utility

    model = store_utility(create_savings_model(w_size=args.w_size, y_size=args.y_size))
    start = time.perf_counter()
    solution = solve_distributed(model, method=args.method)
    seconds = time.perf_counter() - start
    if args.out and jax.process_index() == 0:
        np.save(args.out, solution.v)
    return {"model": "savings", "method": args.method, "w_size": args.w_size,
            "y_size": args.y_size, "processes": jax.process_count(),
            "devices": jax.device_count(), "iterations": int(solution.num_iter),
            "error": float(solution.error), "seconds": seconds,
            "platform": jax.devices()[0].platform, "device_kind": jax.devices()[0].device_kind,
            "versions": package_versions(("jax", "jaxlib", "numpy")), "out": args.out}


def measure_sharding_costs(w_size: int, y_size: int, device_counts=(1, 2, 4), *,
                           timeout: float = 120) -> list[dict]:
    """:func:`jaxecon.distributed.sharding_costs` for each device count, on CPU devices.

    The model stores u, which is split along wealth over the devices.
    Runs in a fresh process whose CPU is split into max(device_counts) devices.
    """
    command = [sys.executable, "-m", "jaxecon.launch", "costs", str(w_size), str(y_size),
               *map(str, device_counts)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env=_cpu_env(max(device_counts)))
    if done.returncode:
        raise RuntimeError(f"measuring the sharding costs failed:\n{done.stderr[-1500:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _worker_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jaxecon.launch worker")
    parser.add_argument("--coordinator", help="host:port of process 0 (else from the env)")
    parser.add_argument("--processes", type=int, help="number of processes")
    parser.add_argument("--process-id", type=int, help="this process's id")
    parser.add_argument("--init-timeout", type=int, default=60, help="seconds to connect")
    parser.add_argument("--w-size", type=int, default=W_SIZE, help="wealth grid points")
    parser.add_argument("--y-size", type=int, default=Y_SIZE, help="income states")
    parser.add_argument("--method", choices=METHODS, default="vfi")
    parser.add_argument("--out", help="process 0 saves the value function here (.npy)")
    return parser


def _worker(argv: list[str]) -> int:
    """One process of a distributed run: join, solve, and (process 0) report."""
    args = _worker_parser().parse_args(argv)
    from jaxecon.distributed import initialize_distributed

    where = args.coordinator or "named by the environment (Slurm, Open MPI, JAX_*)"
    print(f"process {args.process_id} of {args.processes}: connecting to the coordinator "
          f"{where} (timeout {args.init_timeout} s)", file=sys.stderr, flush=True)
    initialize_distributed(args.coordinator, args.processes, args.process_id,
                           timeout=args.init_timeout)
    if os.environ.get(EXIT_HOOK) == str(args.process_id):
        os._exit(3)
    record = _solve(args)
    import jax

    if jax.process_index() == 0:
        print(json.dumps(record), flush=True)
    jax.distributed.shutdown()
    return 0


def _costs(argv: list[str]) -> int:
    import jax

    jax.config.update("jax_enable_x64", True)
    from jaxecon.distributed import sharding_costs
    from jaxecon.savings import create_savings_model
    from jaxecon.savings_stored import store_utility

    w_size, y_size, *counts = map(int, argv)
    model = store_utility(create_savings_model(w_size=w_size, y_size=y_size))
    for n in counts:
        print(json.dumps(sharding_costs(model, jax.devices()[:n])), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit({"worker": _worker, "costs": _costs}[sys.argv[1]](sys.argv[2:]))
