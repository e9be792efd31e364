"""The MLP: the slide's composition, exact gradients, training, bad input and `bench mlp`."""

import json
import logging

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxecon import (
    central_difference,
    count_parameters,
    init_mlp,
    make_regression_data,
    mlp_forward,
    mlp_loss,
    train_mlp,
)
from jaxecon.__main__ import main
from jaxecon.mlp import (
    LEARNING_RATES,
    OPTIMIZERS,
    create_regression_data,
    gradient_descent_step,
    mlp_grad_loss,
    mlp_predict,
)
from jaxecon.results import Record
from tolerance import assert_agree

SIZES = (1, 16, 16, 1)


def forward_bound(theta, x_max):
    """(k, scale) of f_θ(x) by two codes, |x| ≤ x_max: each layer rounds its fan-in + 3
    (products, sums, bias, tanh) terms of size ≤ max row Σ|W| · max|h| + max|b| (|tanh| ≤ 1),
    which the later layers carry by their max row Σ|W|: the product bounds both."""
    k = sum(W.shape[1] + 3 for W, _ in theta)
    scale = max(1.0, x_max)
    for W, b in theta:
        scale *= max(1.0, float(jnp.abs(W).sum(axis=1).max() + jnp.abs(b).max()))
    return k, scale


def loss_bound(theta, x, y):
    """(k, scale) of the mean of n squared residuals r = y − f_θ(x) by two codes: r² moves
    by 2|r| times r's rounding, and the mean of n positive terms rounds by n + 2 of its size."""
    k, scale = forward_bound(theta, float(jnp.abs(x).max()))
    r = np.asarray(y - mlp_predict(theta, x))
    size = 2 * np.abs(r).max() * (scale + float(jnp.abs(y).max())) + np.mean(r**2)
    return k + x.shape[0] + 2, size


@pytest.fixture
def data(key):
    return make_regression_data(key=jax.random.fold_in(key, 1), n=200)


@pytest.fixture
def theta(key):
    return init_mlp(key=jax.random.fold_in(key, 2), layer_sizes=SIZES)


def test_forward_is_the_composition_on_the_slide(theta):
    (W1, b1), (W2, b2), (W3, b3) = theta
    x = jnp.array([0.3])
    expected = W3 @ jnp.tanh(W2 @ jnp.tanh(W1 @ x + b1) + b2) + b3
    k, scale = forward_bound(theta, 0.3)
    assert_agree(mlp_forward(theta, x), expected, k=k, scale=scale)


def test_parameters_have_the_layer_shapes_and_count(theta):
    assert [(W.shape, b.shape) for W, b in theta] == [((16, 1), (16,)), ((16, 16), (16,)),
                                                      ((1, 16), (1,))]
    # d = Σ_ℓ k_ℓ (k_{ℓ−1} + 1)
    assert count_parameters(theta) == 16 * 2 + 16 * 17 + 1 * 17


def test_loss_is_the_mean_squared_error(theta, data):
    residuals = [float(data.y[i] - mlp_forward(theta, data.x[i])[0]) for i in range(5)]
    head = create_regression_data(x=data.x[:5], y=data.y[:5])
    k, scale = loss_bound(theta, head.x, head.y)
    assert_agree(mlp_loss(theta, head.x, head.y), np.mean(np.square(residuals)), k=k,
                 scale=scale)


COORDINATES = [(0, 0, (3, 0)), (0, 1, (7,)), (1, 0, (2, 11)), (1, 1, (5,)), (2, 0, (0, 9)),
               (2, 1, (0,))]


@pytest.mark.parametrize(("layer", "part", "index"), COORDINATES,
                         ids=lambda v: str(v).replace(" ", ""))
def test_grad_agrees_with_a_central_difference(theta, data, layer, part, index):
    def loss_along(t):  # ℓ as a function of one coordinate of θ
        moved = [list(pair) for pair in theta]
        moved[layer][part] = moved[layer][part].at[index].add(t)
        return mlp_loss(moved, data.x, data.y)

    exact = mlp_grad_loss(theta, data.x, data.y)[layer][part][index]
    approx = central_difference(loss_along, 0.0, h=1e-5)
    assert float(exact) == pytest.approx(float(approx), rel=1e-4)


def test_gradient_descent_step_moves_against_the_gradient(theta, data):
    grads = mlp_grad_loss(theta, data.x, data.y)
    stepped, loss = gradient_descent_step(theta, data.x, data.y, 0.05)
    k, scale = loss_bound(theta, data.x, data.y)
    assert_agree(loss, mlp_loss(theta, data.x, data.y), k=k, scale=scale)  # ℓ before the step
    for (W, b), (dW, db), (W1, b1) in zip(theta, grads, stepped, strict=True):
        # the product and the difference: 2 roundings of |W| + η|dW| (or 1, fused)
        assert_agree(W1, W - 0.05 * dW, k=2, scale=jnp.abs(W) + 0.05 * jnp.abs(dW))
        assert_agree(b1, b - 0.05 * db, k=2, scale=jnp.abs(b) + 0.05 * jnp.abs(db))


def test_training_by_gd_is_the_python_loop_of_steps_compiled(theta, data):
    # the page's Python loop of jitted steps and train_mlp's lax.scan: two programs
    params, losses = theta, []
    for _ in range(5):
        params, loss = gradient_descent_step(params, data.x, data.y, 0.1)
        losses.append(loss)
    losses.append(mlp_loss(params, data.x, data.y))
    result = train_mlp(theta, data, optimizer="gd", learning_rate=0.1, steps=5)
    k, scale = loss_bound(theta, data.x, data.y)
    for t, loss in enumerate(losses):
        # step t rounds the loss's terms afresh t + 1 times, in each program
        assert_agree(result.losses[t], loss, k=(t + 1) * k, scale=scale)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_loss_falls_at_least_tenfold(theta, data, optimizer):
    result = train_mlp(theta, data, optimizer=optimizer,
                       learning_rate=LEARNING_RATES[optimizer], steps=2000)
    assert result.losses.shape == (2001,)
    first, last = float(result.losses[0]), float(result.losses[-1])
    # the loss inside the compiled training loop and outside it: two programs
    for loss, params in ((first, theta), (last, result.params)):
        k, scale = loss_bound(params, data.x, data.y)
        assert_agree(loss, mlp_loss(params, data.x, data.y), k=k, scale=scale)
    assert first / last >= 10.0


def test_training_a_second_time_compiles_nothing(theta, data, caplog):
    train_mlp(theta, data, learning_rate=0.1, steps=10)
    with caplog.at_level(logging.WARNING), jax.log_compiles():
        train_mlp(theta, data, learning_rate=0.05, steps=10)  # a new rate is traced, not static
    assert not [r for r in caplog.records if "Compiling" in r.getMessage()]


@pytest.mark.parametrize("sizes", [(1, 0, 1), (0, 4, 1), (1, 4, -2), (3,), (1, 2.5, 1)],
                         ids=str)
def test_bad_layer_sizes_raise_naming_them(key, sizes):
    with pytest.raises(ValueError, match="`layer_sizes`"):
        init_mlp(key=key, layer_sizes=sizes)


@pytest.mark.parametrize(("kwarg", "bad"), [("learning_rate", 0.0), ("learning_rate", -0.1),
                                            ("steps", 0), ("optimizer", "sgd")], ids=str)
def test_bad_training_arguments_raise_naming_them(theta, data, kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`.*got {bad!r}"):
        train_mlp(theta, data, **{kwarg: bad})


@pytest.mark.parametrize(("kwarg", "x_shape", "y_shape"),
                         [("y", (10, 1), (9,)), ("y", (10, 1), (10, 1)), ("x", (10,), (10,)),
                          ("x", (0, 1), (0,))], ids=str)
def test_mismatched_data_shapes_raise_naming_the_array(kwarg, x_shape, y_shape):
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        create_regression_data(x=np.zeros(x_shape), y=np.zeros(y_shape))


def test_data_with_more_columns_than_the_network_takes_raises(theta):
    wide = create_regression_data(x=np.zeros((10, 2)), y=np.zeros(10))
    with pytest.raises(ValueError, match=r"`data.x` must have shape \(10, 1\); got \(10, 2\)"):
        train_mlp(theta, wide)


@pytest.mark.parametrize(("kwarg", "bad"), [("n", 0), ("noise", -1.0)], ids=str)
def test_bad_data_arguments_raise_naming_them(key, kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        make_regression_data(key=key, **{kwarg: bad})


@pytest.mark.slow
def test_cli_json_prints_one_record_per_optimizer(capsys):
    assert main(["bench", "why_jax", "--steps", "300", "--width", "8", "--repeats", "1",
                 "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    records = [Record.from_json(json.loads(line)["record"]).row() for line in out]
    assert [r["optimizer"] for r in records] == list(OPTIMIZERS)
    for record in records:
        assert record["steps"] == 300 and record["layer_sizes"] == [1, 8, 8, 1]
        assert record["unit"] == "step" and record["size"] == 300  # times are per step
        assert 0 < record["seconds_min"] <= record["seconds_median"]
        assert record["final_loss"] < record["initial_loss"]
        assert record["device"] and "optax" in record["versions"]


@pytest.mark.slow
def test_cli_table_names_the_network_and_the_device(capsys):
    assert main(["bench", "why_jax", "--steps", "100", "--depth", "1", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "MLP 1-32-1, 200 observations, 100 steps" in out
    assert "gd" in out and "adam" in out and "µs/step" in out
