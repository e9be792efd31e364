"""Sharding a dynamic program over devices: one mesh, one placement, one solve.

Every model's arrays are indexed by the state, and the Bellman operator
(T v)(x) = max_a { r(x, a) + β E[v(x') | x, a] } is independent across states x, so a
solve parallelises by splitting the state axis over a *mesh* of devices. This module is
the package's one way of doing so. :func:`state_mesh` names the devices' axis
``"states"``; :func:`distribute_model` places a model on the mesh, cutting along the
state axis the fields its registration declares (``split_fields`` of
:class:`~jaxecon.mdp.Operators`: the stored u(w, y, w') of the savings model) and
replicating the rest; :func:`solve_distributed` runs the unchanged solvers of
:mod:`jaxecon.solvers` from v_0 = 0 split the same way. XLA's SPMD partitioner compiles
one partitioned program that every device runs on its own shard, with the collectives
the data need: per VFI iteration, the all-gather of E[v(w', y') | y] (w_size · y_size
numbers) and the all-reduce of the stopping error ‖T v − v‖_∞.

The same functions serve one process and many. Across hosts JAX runs one process per
host (or per GPU), each driving its local devices: the *multi-controller* model. Every
process calls :func:`initialize_distributed` (a coordinator at process 0; NCCL
collectives on GPUs, gloo over TCP on CPUs), then the same program; ``jax.devices()``
lists the devices of every process, and each array of the model becomes one *global*
array of which each process fills only the slices on its own devices
(:func:`global_array`). On one CPU, ``jax_num_cpu_devices`` (or the XLA flag
``--xla_force_host_platform_device_count``) splits the host into several devices before
JAX starts, so the sharded code runs unchanged on a laptop.
"""

from __future__ import annotations

import re

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import AxisType, Mesh, NamedSharding, PartitionSpec

from jaxecon.checks import check_choice, check_multiple, check_ndim
from jaxecon.mdp import bellman_operator, model_operators
from jaxecon.solvers import (
    TOL,
    VFI_MAX_ITER,
    Solution,
    howard_policy_iteration,
    successive_approximation_core,
    value_function_iteration,
)
from jaxecon.timing import peak_bytes

__all__ = ["STATE_AXIS", "DISTRIBUTED_SOLVERS", "state_mesh", "initialize_distributed",
           "global_array", "distribute_model", "solve_distributed", "collective_bytes",
           "sharding_costs"]

#: The name of the mesh axis over which the state space is split.
STATE_AXIS = "states"

#: The solvers a distributed solve can run, by the name the command line takes.
DISTRIBUTED_SOLVERS = {"vfi": value_function_iteration, "hpi": howard_policy_iteration}


def state_mesh(devices=None) -> Mesh:
    """A one-dimensional mesh named ``"states"`` over ``devices`` (all devices by default).

    The axis is ``AxisType.Auto``: XLA chooses the sharding of every intermediate array,
    so a solver written for one device runs unchanged on the sharded data.

    Raises:
        ValueError: if ``devices`` is empty.

    Example:
        >>> state_mesh(jax.devices()[:1]).axis_names
        ('states',)
    """
    devices = jax.devices() if devices is None else list(devices)
    check_ndim("devices", devices, 1)
    return jax.make_mesh((len(devices),), (STATE_AXIS,), axis_types=(AxisType.Auto,),
                         devices=devices)


def check_state_axis(length: int, devices: int) -> int:
    """``length`` unchanged; ``ValueError`` unless the ``devices`` divide the state axis.

    The one divisibility check of a sharded solve: every device holds the same number
    of states along the first axis (wealth points, for the savings model).

    Example:
        >>> check_state_axis(25, 4)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: The length of the first state axis of `model` must be a multiple of 4, ...
    """
    return check_multiple("model", length, devices, "the number of devices",
                          what="length of the first state axis")


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
    In a single process this is ``jax.device_put(local, sharding)``.

    Example:
        >>> sharding = NamedSharding(state_mesh(), PartitionSpec())
        >>> global_array(np.arange(3.0), sharding).shape
        (3,)
    """
    local = np.asarray(local)
    return jax.make_array_from_callback(local.shape, sharding, lambda index: local[index])


def distribute_model(model, mesh: Mesh | None = None):
    """The model on ``mesh``: its registered ``split_fields`` cut along the state axis,
    every other array replicated on every device.

    Args:
        model: a NamedTuple model with registered operators (e.g. a ``SavingsModel``).
        mesh: a one-dimensional mesh named ``"states"`` (:func:`state_mesh`); all devices
            of all processes by default.

    Raises:
        ValueError: if the number of devices does not divide the state axis
            (:func:`check_state_axis`).

    Example:
        >>> from jaxecon.savings import create_savings_model
        >>> from jaxecon.savings_stored import store_utility
        >>> distribute_model(store_utility(create_savings_model(w_size=4, y_size=2))).u.shape
        (4, 2, 4)
    """
    mesh = state_mesh() if mesh is None else mesh
    operators = model_operators(model)
    check_state_axis(operators.state_shape(model)[0], mesh.devices.size)
    rows = NamedSharding(mesh, PartitionSpec(STATE_AXIS))
    everywhere = NamedSharding(mesh, PartitionSpec())
    return model._replace(**{
        name: _global(value, rows if name in operators.split_fields else everywhere)
        for name, value in model._asdict().items()})


def _global(value, sharding: NamedSharding):
    """Every array in ``value`` (an array, or a model nested in a field) made global."""
    return jax.tree.map(lambda x: global_array(x, sharding) if hasattr(x, "shape") else x,
                        value)


def solve_distributed(model, *, method: str = "vfi", mesh: Mesh | None = None,
                      gather: bool = True, **options) -> Solution:
    """Solve ``model`` with its state space split over the devices of ``mesh``.

    Runs ``DISTRIBUTED_SOLVERS[method]`` (value function iteration, v_{k+1} = T v_k, or
    Howard policy iteration) on the model placed by :func:`distribute_model`, from
    v_0 = 0 split the same way. The solver is the one-device solver, unchanged.

    Args:
        model: the model, the same value on every process.
        method: ``"vfi"`` or ``"hpi"``.
        mesh: the mesh (:func:`state_mesh`); all devices of all processes by default.
        gather: gather v and σ to every process as NumPy arrays (needed when several
            processes share the mesh); else leave them sharded as the solver returns them.
        **options: the solver's keyword arguments (``tol``, ``max_iter``), its defaults
            otherwise.

    Returns:
        The :class:`~jaxecon.solvers.Solution`, ``v`` and ``sigma`` gathered or sharded.

    Raises:
        ValueError: for an unknown ``method``, or a state axis the devices do not divide.

    Example:
        >>> from jaxecon.savings import create_savings_model
        >>> model = create_savings_model(w_size=8, y_size=3)
        >>> solve_distributed(model, method="hpi").v.shape
        (8, 3)
    """
    solver = DISTRIBUTED_SOLVERS[check_choice("method", method, DISTRIBUTED_SOLVERS)]
    mesh = state_mesh() if mesh is None else mesh
    placed, v_init = _placed_from_zero(model, mesh)
    solution = solver(placed, v_init=v_init, **options)
    if not gather:
        return solution
    everywhere = jax.jit(lambda x: x, out_shardings=NamedSharding(mesh, PartitionSpec()))
    return solution._replace(v=np.asarray(everywhere(solution.v)),
                             sigma=np.asarray(everywhere(solution.sigma)))


def _placed_from_zero(model, mesh):
    """The model split over ``mesh`` as registered, and v = 0 split by its state axis."""
    shape = model_operators(model).state_shape(model)
    v = global_array(np.zeros(shape, jnp.result_type(float)),
                     NamedSharding(mesh, PartitionSpec(STATE_AXIS)))
    return distribute_model(model, mesh), v


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
    return t_v, jnp.max(jnp.abs(t_v - v))


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
    placed, v = _placed_from_zero(model, mesh)
    step = jax.jit(_vfi_step).lower(v, placed).compile()
    n = mesh.devices.size
    found = collective_bytes(step.as_text()) if n > 1 else {}
    loop = successive_approximation_core.lower(bellman_operator, v, placed,
                                               TOL, VFI_MAX_ITER).compile()
    gathered = found.get("all-gather", 0)
    return {"devices": n, "all_gather_bytes": gathered,
            "all_reduce_bytes": found.get("all-reduce", 0),
            "other_collectives": {k: b for k, b in found.items()
                                  if k not in ("all-gather", "all-reduce")},
            "received_bytes": gathered * (n - 1) // n,
            "memory_bytes": peak_bytes(loop)}
