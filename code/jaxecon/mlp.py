"""A multilayer perceptron trained by gradient descent: the talk's network made real.

Supervised learning seeks f with y ≈ f(x) from observations (x_i, y_i), i = 1, …, n.
A multilayer perceptron is the composition f_θ = A_L ∘ σ ∘ A_{L−1} ∘ ⋯ ∘ σ ∘ A_1 of
affine maps A_ℓ x = W_ℓ x + b_ℓ and the activation σ = tanh, and training minimises
the squared loss ℓ(θ) = (1/n) Σ_i (y_i − f_θ(x_i))² over θ = ((W_1, b_1), …, (W_L, b_L)).
The gradient ∇ℓ comes from reverse-mode automatic differentiation (``jax.grad``), and the
descent runs as one compiled ``lax.scan``: plain gradient descent θ ← θ − η ∇ℓ(θ), as on
the talk's slide, or Adam from optax for comparison. Unlike the slide, the last layer is
affine with no tanh, so the network can fit values outside (−1, 1).
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from jaxecon.checks import (
    check_choice,
    check_integer,
    check_integers,
    check_ndim,
    check_nonnegative,
    check_positive,
    check_shape,
)

__all__ = [
    "RegressionData",
    "TrainResult",
    "OPTIMIZERS",
    "create_regression_data",
    "make_regression_data",
    "init_mlp",
    "mlp_forward",
    "mlp_predict",
    "mlp_loss",
    "mlp_grad_loss",
    "gradient_descent_step",
    "train_mlp",
    "count_parameters",
    "LEARNING_RATES",
]

#: The optimisers :func:`train_mlp` offers: plain gradient descent and optax's Adam.
OPTIMIZERS = ("gd", "adam")
#: Learning rates η that train the default network well, by optimiser.
LEARNING_RATES = {"gd": 0.1, "adam": 0.01}


class RegressionData(NamedTuple):
    """Observations (x_i, y_i); build it with :func:`create_regression_data`."""

    x: jax.Array  # x_i ∈ R^k, the inputs, shape (n, k)
    y: jax.Array  # y_i ∈ R, the targets, shape (n,)


class TrainResult(NamedTuple):
    """What :func:`train_mlp` returns."""

    params: list  # θ after training: a list of (W, b) layers
    losses: jax.Array  # ℓ(θ_t) for t = 0, …, steps, shape (steps + 1,)


def create_regression_data(*, x, y) -> RegressionData:
    """Validate observations and store them as JAX arrays.

    Args:
        x: inputs x_i, shape (n, k) with n, k ≥ 1.
        y: targets y_i, shape (n,).

    Returns:
        The :class:`RegressionData`.

    Raises:
        ValueError: if ``x`` is not 2-D and non-empty, or ``y`` does not have shape (n,).

    Example:
        >>> create_regression_data(x=[[0.0], [1.0]], y=[0.0, 1.0]).x.shape
        (2, 1)
    """
    x = check_ndim("x", jnp.asarray(x), 2)
    y = check_shape("y", jnp.asarray(y), (x.shape[0],))  # one target per row of x
    return RegressionData(x=x, y=y)


def make_regression_data(*, key: jax.Array, n: int = 200, noise: float = 0.1) -> RegressionData:
    """Synthetic regression data: y = sin(2x) + noise·ε with x ~ U(−2, 2), ε ~ N(0, 1).

    Args:
        key: a JAX PRNG key.
        n: number of observations, at least 1.
        noise: standard deviation of the noise, non-negative.

    Returns:
        :class:`RegressionData` with x of shape (n, 1) in the default float dtype.

    Raises:
        ValueError: if ``n`` < 1 or ``noise`` < 0.
    """
    check_integer("n", n)
    check_nonnegative("noise", noise)
    key_x, key_e = jax.random.split(key)
    x = jax.random.uniform(key_x, (n, 1), minval=-2.0, maxval=2.0)
    y = jnp.sin(2.0 * x[:, 0]) + noise * jax.random.normal(key_e, (n,))
    return create_regression_data(x=x, y=y)


def init_mlp(*, key: jax.Array, layer_sizes: tuple[int, ...] = (1, 32, 32, 1)) -> list:
    """Random initial parameters θ: W_ℓ ~ N(0, 1/k_ℓ) entrywise and b_ℓ = 0.

    Args:
        key: a JAX PRNG key.
        layer_sizes: (k_0, k_1, …, k_L): the input dimension, the hidden widths and the
            output dimension, each at least 1, at least two entries.

    Returns:
        A list of L pairs (W_ℓ, b_ℓ) with W_ℓ of shape (k_ℓ, k_{ℓ−1}) and b_ℓ of shape (k_ℓ,).

    Raises:
        ValueError: if ``layer_sizes`` has fewer than two entries or one below 1.

    Example:
        >>> [W.shape for W, b in init_mlp(key=jax.random.key(0), layer_sizes=(1, 8, 1))]
        [(8, 1), (1, 8)]
    """
    sizes = check_integers("layer_sizes", layer_sizes, length=2)
    keys = jax.random.split(key, len(sizes) - 1)
    return [
        (jax.random.normal(k, (n_out, n_in)) / np.sqrt(n_in), jnp.zeros(n_out))
        for k, n_in, n_out in zip(keys, sizes[:-1], sizes[1:], strict=True)
    ]


def count_parameters(params: list) -> int:
    """The dimension d of θ ∈ R^d: the number of weights and biases."""
    return sum(int(np.size(leaf)) for leaf in jax.tree.leaves(params))


def mlp_forward(params: list, x: jax.Array) -> jax.Array:
    """The network f_θ(x) = A_L σ(A_{L−1} ⋯ σ(A_1 x)) for one input x.

    Args:
        params: θ, a list of (W, b) layers as from :func:`init_mlp`.
        x: one input, shape (k,).

    Returns:
        f_θ(x), shape (k_L,).
    """
    *hidden, (W_out, b_out) = params
    for W, b in hidden:
        x = jnp.tanh(W @ x + b)
    return W_out @ x + b_out


def mlp_predict(params: list, x: jax.Array) -> jax.Array:
    """f_θ(x_i) for every row x_i of ``x`` (shape (n, k)), a scalar output each: shape (n,)."""
    return jax.vmap(mlp_forward, in_axes=(None, 0))(params, x)[:, 0]


def mlp_loss(params: list, x: jax.Array, y: jax.Array) -> jax.Array:
    """The squared loss ℓ(θ) = (1/n) Σ_i (y_i − f_θ(x_i))².

    Args:
        params: θ, a list of (W, b) layers with one output.
        x: inputs, shape (n, k).
        y: targets, shape (n,).

    Returns:
        ℓ(θ), a scalar.
    """
    return jnp.mean((y - mlp_predict(params, x)) ** 2)


#: ∇ℓ(θ), compiled: the talk's ``grad_loss = jit(grad(loss))``.
mlp_grad_loss = jax.jit(jax.grad(mlp_loss))


@jax.jit
def gradient_descent_step(params: list, x: jax.Array, y: jax.Array, learning_rate):
    """One step of gradient descent, θ ← θ − η ∇ℓ(θ), compiled.

    Args:
        params: θ, a list of (W, b) layers with one output.
        x: inputs, shape (n, k).
        y: targets, shape (n,).
        learning_rate: the step size η.

    Returns:
        The pair (θ − η ∇ℓ(θ), ℓ(θ)): the new parameters and the loss before the step.
    """
    loss, grads = jax.value_and_grad(mlp_loss)(params, x, y)
    params = jax.tree.map(lambda p, g: p - learning_rate * g, params, grads)
    return params, loss


@partial(jax.jit, static_argnames="steps")
def gradient_descent(params: list, x: jax.Array, y: jax.Array, learning_rate, steps: int):
    """``steps`` calls of :func:`gradient_descent_step` as one compiled ``lax.scan``.

    Args:
        params: θ_0, a list of (W, b) layers with one output.
        x: inputs, shape (n, k).
        y: targets, shape (n,).
        learning_rate: the step size η, traced (a new value compiles nothing).
        steps: number of steps, static (it fixes the length of the loss history).

    Returns:
        The pair (θ_steps, losses) with losses ℓ(θ_0), …, ℓ(θ_steps), shape (steps + 1,).
    """
    def step(params, _):
        return gradient_descent_step(params, x, y, learning_rate)

    params, losses = jax.lax.scan(step, params, length=steps)
    return params, jnp.append(losses, mlp_loss(params, x, y))


@partial(jax.jit, static_argnames="steps")
def _adam(params, x, y, learning_rate, steps: int):
    """Like :func:`gradient_descent`, with optax's Adam update in place of θ − η ∇ℓ(θ)."""
    tx = optax.adam(learning_rate)

    def step(carry, _):
        params, state = carry
        loss, grads = jax.value_and_grad(mlp_loss)(params, x, y)
        updates, state = tx.update(grads, state)
        return (optax.apply_updates(params, updates), state), loss

    (params, _), losses = jax.lax.scan(step, (params, tx.init(params)), length=steps)
    return params, jnp.append(losses, mlp_loss(params, x, y))


def train_mlp(
    params: list, data: RegressionData, *, optimizer: str = "gd",
    learning_rate: float = 0.1, steps: int = 2000,
) -> TrainResult:
    """Minimise :func:`mlp_loss` from ``params`` by ``steps`` steps of the chosen optimiser.

    Gradient descent iterates θ_{t+1} = θ_t − η ∇ℓ(θ_t); Adam (``optax.adam``) scales each
    coordinate's step by running moments of the gradient. The loop is one ``lax.scan``
    (:func:`gradient_descent` for ``'gd'``), compiled once per (optimizer, steps, shapes);
    the learning rate is a traced argument.

    Args:
        params: initial θ_0, a list of (W, b) layers with one output, as from :func:`init_mlp`.
        data: the observations; ``data.x`` must have as many columns as W_1.
        optimizer: ``'gd'`` or ``'adam'``.
        learning_rate: the step size η, positive.
        steps: number of updates, at least 1.

    Returns:
        :class:`TrainResult` with the trained θ and the loss history (steps + 1 values).

    Raises:
        ValueError: for an unknown ``optimizer``, a non-positive ``learning_rate``, a bad
            ``steps``, or ``data`` whose shapes do not fit ``params``.

    Example:
        >>> data = make_regression_data(key=jax.random.key(0), n=50)
        >>> theta = init_mlp(key=jax.random.key(1), layer_sizes=(1, 8, 1))
        >>> result = train_mlp(theta, data, steps=200)
        >>> bool(result.losses[-1] < result.losses[0])
        True
    """
    check_choice("optimizer", optimizer, OPTIMIZERS)
    check_positive("learning_rate", learning_rate)
    check_integer("steps", steps)
    data = create_regression_data(x=data.x, y=data.y)
    # as many columns as the first layer's inputs, and one output from the last layer
    check_shape("data.x", data.x, (data.x.shape[0], params[0][0].shape[1]))
    check_shape("params[-1][0]", params[-1][0], (1, params[-1][0].shape[1]))
    train = gradient_descent if optimizer == "gd" else _adam
    params, losses = train(params, data.x, data.y, learning_rate, int(steps))
    return TrainResult(params=params, losses=losses)

