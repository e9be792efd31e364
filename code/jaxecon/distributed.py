"""One dynamic program solved by several processes: ``jax.distributed`` and global arrays.

:mod:`jaxecon.parallel` splits the state space over the devices of one process. Across
hosts JAX runs one process per host (or per GPU), each driving its local devices: the
*multi-controller* model. Every process calls :func:`initialize_distributed` (which connects it to a
coordinator, process 0, and selects the cross-process collectives: NCCL on GPUs, gloo
over TCP on CPUs), then the same program. ``jax.devices()`` then lists the devices of
every process, one mesh spans them all, and each array of the model becomes one *global*
array of which each process holds, and fills, only the slices on its own devices. The
solvers of :mod:`jaxecon.solvers` run on these arrays unchanged: XLA compiles the same
SPMD program for every device, and the only traffic per VFI iteration is the all-gather
of the expectation E[v(w', y') | y], w_size · y_size numbers, and the all-reduce of the
scalar stopping error ‖T v − v‖_∞.
"""

from __future__ import annotations

import re

import jax
import numpy as np
from jax.sharding import NamedSharding, PartitionSpec

from jaxecon.mdp import bellman_operator, model_operators
from jaxecon.parallel import STATE_AXIS, state_mesh
from jaxecon.solvers import (
    Solution,
    howard_policy_iteration,
    successive_approximation_core,
    value_function_iteration,
)
from jaxecon.timing import peak_bytes

__all__ = ["DISTRIBUTED_SOLVERS", "initialize_distributed", "global_array",
           "distribute_model", "solve_distributed", "collective_bytes", "sharding_costs"]

#: The solvers a distributed solve can run, by the name the command line takes.
DISTRIBUTED_SOLVERS = {"vfi": value_function_iteration, "hpi": howard_policy_iteration}


def initialize_distributed(coordinator_address: str | None = None,
                           num_processes: int | None = None, process_id: int | None = None,
                           *, timeout: int = 60, heartbeat_timeout: int = 30,
                           shutdown_timeout: int = 30) -> None:
    """Join the distributed run: ``jax.distributed.initialize`` with bounded timeouts.

    Must be called before any other JAX call of the process. With all three of
    ``coordinator_address``, ``num_processes`` and ``process_id`` given, JAX's cluster
    auto-detection is switched off; with none, JAX reads them from the environment
    (``JAX_COORDINATOR_ADDRESS``, or Slurm's ``SLURM_*``, or Open MPI's ``OMPI_*``).
    CPU collectives use gloo over TCP.

    Args:
        coordinator_address: 'host:port' of process 0, which runs the coordinator.
        num_processes: the number of processes P.
        process_id: this process's id, 0 ≤ id < P.
        timeout: seconds to wait for every process to connect; then the process aborts.
        heartbeat_timeout: seconds of silence after which a process is declared dead.
        shutdown_timeout: seconds a finished process waits for the others at exit.

    Example:
        On each of two hosts, before anything else touches JAX (process 1 on the second)::

            initialize_distributed("10.0.0.1:12345", 2, 0)  # doctest: +SKIP
    """
    given = (coordinator_address, num_processes, process_id)
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(
        coordinator_address, num_processes, process_id, initialization_timeout=timeout,
        heartbeat_timeout_seconds=heartbeat_timeout, shutdown_timeout_seconds=shutdown_timeout,
        cluster_detection_method="deactivate" if None not in given else None)


def global_array(local, sharding: NamedSharding) -> jax.Array:
    """The global array whose value is ``local``, each process filling only its own shards.

    Every process passes the same value; ``jax.make_array_from_callback`` asks for the
    slice of each device this process addresses, so nothing else is copied to a device.

    Example:
        >>> sharding = NamedSharding(state_mesh(), PartitionSpec())
        >>> global_array(np.arange(3.0), sharding).shape
        (3,)
    """
    local = np.asarray(local)
    return jax.make_array_from_callback(local.shape, sharding, lambda index: local[index])


def distribute_model(model, mesh=None, split=None):
    """The model as global arrays on ``mesh``: ``split`` fields cut along their first axis.

    Args:
        model: a NamedTuple model with registered operators (e.g. a ``SavingsModel``).
        mesh: a one-dimensional mesh named ``"states"``; all devices of all processes
            by default.
        split: the fields to split; by default the ``split_fields`` its operators
            declare (none for a savings model that computes u, ``u`` for a stored one).

    Raises:
        ValueError: if the number of devices does not divide the leading axis of a split
            field (the message names both).

    Example:
        >>> from jaxecon.savings import create_savings_model
        >>> from jaxecon.savings_stored import store_utility
        >>> distribute_model(store_utility(create_savings_model(w_size=4, y_size=2))).u.shape
        (4, 2, 4)
    """
    mesh = state_mesh() if mesh is None else mesh
    split = model_operators(model).split_fields if split is None else split
    n = mesh.devices.size
    for name in split:
        size = np.shape(getattr(model, name))[0]
        if size % n:
            raise ValueError(f"`{name}` has {size} rows along the state axis, not a "
                             f"multiple of the {n} devices; choose a grid size divisible "
                             f"by {n} (e.g. {n * -(-size // n)}).")
    rows = NamedSharding(mesh, PartitionSpec(STATE_AXIS))
    everywhere = NamedSharding(mesh, PartitionSpec())
    return model._replace(**{
        name: _global(value, rows if name in split else everywhere)
        for name, value in model._asdict().items()})


def _global(value, sharding: NamedSharding):
    """Every array in ``value`` (an array, or a model nested in a field) made global."""
    return jax.tree.map(lambda x: global_array(x, sharding) if hasattr(x, "shape") else x,
                        value)


def solve_distributed(model, *, method: str = "vfi", mesh=None, split=None,
                      tol: float = 1e-5) -> Solution:
    """Solve ``model`` with its state space split over all devices of all processes.

    Runs ``DISTRIBUTED_SOLVERS[method]`` (value function iteration, v_{k+1} = T v_k, or
    Howard policy iteration) on the model made global by :func:`distribute_model`, from
    v_0 = 0 split the same way, then gathers the value v and the policy σ to every process.

    Args:
        model: the model, the same value on every process.
        method: ``"vfi"`` or ``"hpi"``.
        mesh: the mesh; all devices of all processes by default.
        split: the fields to split along the state axis (see :func:`distribute_model`).
        tol: the solver's stopping tolerance.

    Returns:
        A :class:`~jaxecon.solvers.Solution` whose ``v`` and ``sigma`` are NumPy arrays,
        the same on every process.

    Example:
        >>> from jaxecon.savings import create_savings_model
        >>> model = create_savings_model(w_size=8, y_size=3)
        >>> solve_distributed(model, method="hpi").v.shape
        (8, 3)
    """
    if method not in DISTRIBUTED_SOLVERS:
        raise ValueError(f"`method` must be one of {sorted(DISTRIBUTED_SOLVERS)}; "
                         f"got {method!r}.")
    mesh = state_mesh() if mesh is None else mesh
    placed = distribute_model(model, mesh, split)
    rows = NamedSharding(mesh, PartitionSpec(STATE_AXIS))
    shape = model_operators(model).state_shape(model)
    v_init = global_array(np.zeros(shape, dtype=np.result_type(float)), rows)
    solution = DISTRIBUTED_SOLVERS[method](placed, v_init=v_init, tol=tol)
    gather = jax.jit(lambda x: x, out_shardings=NamedSharding(mesh, PartitionSpec()))
    return solution._replace(v=np.asarray(gather(solution.v)),
                             sigma=np.asarray(gather(solution.sigma)))


_COLLECTIVE = re.compile(r"= (\(?[a-z0-9]+\[[0-9,]*\][^=]*?) (all-gather|all-reduce|"
                         r"collective-permute|all-to-all|reduce-scatter)(?:-start)?\(")
_SHAPE = re.compile(r"([a-z]+)(\d+)\[([0-9,]*)\]")


def collective_bytes(hlo_text: str) -> dict[str, int]:
    """Bytes of the results of each kind of collective in compiled HLO text.

    Example:
        >>> collective_bytes("%g = f64[8,3]{1,0} all-gather(f64[4,3]{1,0} %x)")
        {'all-gather': 192}
    """
    totals: dict[str, int] = {}
    for shapes, kind in _COLLECTIVE.findall(hlo_text):
        size = sum(int(bits) // 8 * int(np.prod([int(d) for d in dims.split(",") if d]))
                   for _, bits, dims in _SHAPE.findall(shapes.split(" ")[0]))
        totals[kind] = totals.get(kind, 0) + size
    return totals


def _vfi_step(v, model):
    """One VFI iteration as the solver runs it: T v and the stopping error ‖T v − v‖_∞."""
    t_v = bellman_operator(v, model)
    return t_v, jax.numpy.max(jax.numpy.abs(t_v - v))


def sharding_costs(model, devices) -> dict:
    """What one VFI iteration sends between ``devices`` and what each device holds.

    Compiles one iteration and the whole VFI loop for the model split over ``devices``
    and reads XLA's answers: the collectives in the per-iteration HLO (bytes of their
    results) and the memory analysis of the loop (bytes per device of arguments,
    outputs and temporaries).

    Returns:
        A dict: ``devices``; ``all_gather_bytes`` and ``all_reduce_bytes``, the result
        sizes of the per-iteration collectives; ``received_bytes``, what each device
        receives in the all-gather, (n − 1)/n of its result; ``memory_bytes`` per device.

    Example:
        >>> from jaxecon.savings import create_savings_model
        >>> sharding_costs(create_savings_model(w_size=4, y_size=2), jax.devices()[:1])["devices"]
        1
    """
    mesh = state_mesh(devices)
    placed = distribute_model(model, mesh)
    shape = model_operators(model).state_shape(model)
    v = global_array(np.zeros(shape), NamedSharding(mesh, PartitionSpec(STATE_AXIS)))
    step = jax.jit(_vfi_step).lower(v, placed).compile()
    found = collective_bytes(step.as_text()) if len(devices) > 1 else {}
    loop = successive_approximation_core.lower(bellman_operator, v, placed, 1e-5,
                                               10_000).compile()
    n, gathered = len(devices), found.get("all-gather", 0)
    return {"devices": n, "all_gather_bytes": gathered,
            "all_reduce_bytes": found.get("all-reduce", 0),
            "other_collectives": {k: b for k, b in found.items()
                                  if k not in ("all-gather", "all-reduce")},
            "received_bytes": gathered * (n - 1) // n,
            "memory_bytes": peak_bytes(loop)}
