"""Value function iteration sharded over the devices of this process, for the lecture.

The Bellman operator (T v)(w, y) = max_{w'} B(w, y, w') is independent across states
(w, y), so it parallelises over the state space: Numba runs the loop over wealth on
several threads with ``prange`` (:func:`jaxecon.backends.savings.bellman_numba`);
``vmap`` writes B for one state and lets XLA batch it
(:func:`jaxecon.savings_stored.savings_bellman_vmap`); and sharding splits the state
axis over a mesh of devices, which is the one path of :mod:`jaxecon.distributed`.
This module keeps the lecture's name for the last: VFI on the devices at hand, its
results left split over them so that a reader can look at the shards.
"""

from __future__ import annotations

from jaxecon.distributed import solve_distributed, state_mesh
from jaxecon.solvers import Solution

__all__ = ["sharded_value_function_iteration"]


def sharded_value_function_iteration(model, *, devices=None, **options) -> Solution:
    """VFI with the state space split over ``devices``: the unchanged solver, sharded data.

    :func:`jaxecon.distributed.solve_distributed` with ``method="vfi"`` on the mesh
    :func:`~jaxecon.distributed.state_mesh` builds over ``devices``: the model's
    registered split fields (a stored u) and v_0 = 0 are cut along the state axis, the
    rest replicated, and the value and policy come back split in the same way.

    Args:
        model: the optimal savings model, with u computed or stored (any registered model).
        devices: the devices to use; all of ``jax.devices()`` by default.
        **options: the solver's ``tol`` and ``max_iter``, its defaults otherwise.

    Returns:
        The :class:`~jaxecon.solvers.Solution`, its arrays sharded over the devices.

    Raises:
        ValueError: if ``devices`` is empty or does not divide the wealth grid.

    Example:
        >>> from jaxecon.savings import create_savings_model
        >>> sharded_value_function_iteration(create_savings_model(w_size=8, y_size=3)).v.shape
        (8, 3)
    """
    return solve_distributed(model, method="vfi", mesh=state_mesh(devices), gather=False,
                             **options)
