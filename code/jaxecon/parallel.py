"""Parallel Bellman steps for the optimal savings model: Numba ``prange``, ``vmap``, shards.

The Bellman operator (T v)(w, y) = max_{w'} B(w, y, w') is independent across states
(w, y), so it parallelises over the state space: Numba runs the loop over wealth on
several threads with ``prange``; ``vmap`` writes B for one state and lets XLA batch it;
``jax.sharding`` splits the leading (wealth) axis of every state-indexed array over a
mesh of devices and leaves the solver unchanged: XLA's SPMD partitioner compiles the
same program for each shard and gathers E[v(w', y') | y] where every shard needs it.
(Numba's ``prange`` step is :func:`jaxecon.backends.savings.bellman_numba`.) On a CPU,
``--xla_force_host_platform_device_count`` splits the host into several devices, so
the sharded code runs unchanged on a laptop, one GPU or many GPUs.
"""

from __future__ import annotations

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from jaxecon.mdp import model_operators
from jaxecon.solvers import Solution, value_function_iteration

__all__ = [
    "STATE_AXIS", "state_mesh", "shard_savings_model", "sharded_value_function_iteration",
]

STATE_AXIS = "states"


def state_mesh(devices=None) -> Mesh:
    """A one-dimensional mesh named ``"states"`` over ``devices`` (all devices by default)."""
    devices = jax.devices() if devices is None else list(devices)
    if not devices:
        raise ValueError("`devices` must hold at least one device; got none.")
    return Mesh(np.array(devices), (STATE_AXIS,))


def shard_savings_model(model, mesh: Mesh):
    """Place a model on ``mesh``: the fields its registration splits (a stored u) cut
    along wealth, every other array replicated.

    Args:
        model: a :class:`~jaxecon.savings.SavingsModel`, a
            :class:`~jaxecon.savings_stored.StoredSavingsModel` or any model with
            registered operators.
        mesh: a one-dimensional mesh named ``"states"``.

    Raises:
        ValueError: if the number of wealth points is not a multiple of the mesh size.
    """
    operators = model_operators(model)
    n_devices, w_size = mesh.devices.size, operators.state_shape(model)[0]
    if w_size % n_devices:
        raise ValueError(f"`w_size` must be a multiple of the number of devices, "
                         f"{n_devices}; got {w_size}.")
    split = NamedSharding(mesh, PartitionSpec(STATE_AXIS))
    replicated = NamedSharding(mesh, PartitionSpec())
    return model._replace(**{
        name: _place(value, split if name in operators.split_fields else replicated)
        for name, value in model._asdict().items()})


def _place(value, sharding):
    """Every array in ``value`` (an array, or a model nested in a field) on ``sharding``."""
    return jax.tree.map(lambda x: jax.device_put(x, sharding) if hasattr(x, "shape") else x,
                        value)


def sharded_value_function_iteration(model, *, devices=None, tol: float = 1e-5,
                                     max_iter: int = 10_000) -> Solution:
    """VFI with the state space split over ``devices``: the unchanged solver, sharded data.

    The model and the initial guess v_0 = 0 are placed with :func:`shard_savings_model`;
    :func:`jaxecon.solvers.value_function_iteration` then runs as it does on one device,
    and the value and policy come back split along wealth in the same way.

    Args:
        model: the optimal savings model, with u computed or stored.
        devices: the devices to use; all of ``jax.devices()`` by default.
        tol: stopping tolerance on ‖T v − v‖_∞.
        max_iter: iteration cap.

    Returns:
        The :class:`~jaxecon.solvers.Solution`, its arrays sharded over the devices.
    """
    mesh = state_mesh(devices)
    sharded = shard_savings_model(model, mesh)
    split = NamedSharding(mesh, PartitionSpec(STATE_AXIS))
    shape = model_operators(model).state_shape(model)
    v_init = jax.device_put(np.zeros(shape, dtype=np.result_type(float)), split)
    return value_function_iteration(sharded, v_init=v_init, tol=tol, max_iter=max_iter)
