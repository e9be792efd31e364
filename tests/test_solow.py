"""The Solow model: closed-form steady state, the path simulator and bad input."""

import jax.numpy as jnp
import numpy as np
import pytest

from jaxecon import create_solow_model, law_of_motion, simulate_path, steady_state
from tolerance import assert_agree, solow_k

# k* = (a s/δ)^(1/(1−α)) rounds s a/δ (amplified by 1/(1 − α)), 1/(1 − α) (carried by
# |ln k*|) and the power: about 5 roundings of k*, 8 between two codes of it
CLOSED_FORM_K = 8


@pytest.fixture
def model():
    return create_solow_model(s=0.3, alpha=0.4, delta=0.1, a=1.0)


def test_steady_state_matches_closed_form_of_the_talk(model):
    # k* = (s/δ)^{1/(1−α)} = 3^{5/3} for the talk's parameters
    k_star = 3.0 ** (5.0 / 3.0)
    assert_agree(steady_state(model), k_star, k=CLOSED_FORM_K, scale=k_star)


@pytest.mark.parametrize("a", [0.5, 1.0, 2.0], ids=["a=0.5", "a=1", "a=2"])
def test_steady_state_is_a_fixed_point_of_the_law_of_motion(a):
    model = create_solow_model(a=a)
    k_star = steady_state(model)
    # one step's 4 roundings, and k*'s own rounding, which the map's slope < 1 shrinks
    assert_agree(law_of_motion(k_star, model), k_star, k=5, scale=k_star)


def test_path_converges_monotonically_from_below(model):
    path = np.asarray(simulate_path(model, k0=0.2, steps=1000))
    assert path.shape == (1001,)
    assert path[0] == 0.2
    assert np.all(np.diff(path) >= 0)
    # 1000 steps leave 0.94¹⁰⁰⁰ of the gap: only the path's rounding and the closed form's
    k_star = steady_state(model)
    assert_agree(path[-1], k_star, k=solow_k(model, k_star) + CLOSED_FORM_K, scale=k_star)


def test_path_converges_monotonically_from_above(model):
    path = np.asarray(simulate_path(model, k0=20.0, steps=1000))
    assert np.all(np.diff(path) <= 0)
    k_star = steady_state(model)
    assert_agree(path[-1], k_star, k=solow_k(model, 20.0) + CLOSED_FORM_K, scale=k_star)


def test_path_agrees_with_a_python_loop(model):
    k, expected = 0.2, [0.2]
    for _ in range(50):
        k = model.a * model.s * k**model.alpha + (1 - model.delta) * k
        expected.append(k)
    assert_agree(simulate_path(model, k0=0.2, steps=50), expected,
                 k=solow_k(model, max(expected)), scale=np.abs(expected))


def test_path_is_float64_under_x64(model):
    assert simulate_path(model, k0=0.2, steps=3).dtype == jnp.float64


def test_zero_steps_returns_the_initial_condition(model):
    np.testing.assert_array_equal(simulate_path(model, k0=0.7, steps=0), [0.7])


def test_law_of_motion_broadcasts_over_initial_conditions(model):
    k0 = jnp.linspace(0.1, 10.0, 7)
    assert law_of_motion(k0, model).shape == (7,)


@pytest.mark.parametrize(
    ("kwarg", "bad"),
    [("s", 0.0), ("s", 1.0), ("alpha", 0.0), ("alpha", 1.5), ("delta", 0.0),
     ("delta", 1.01), ("a", 0.0), ("a", -1.0)],
    ids=lambda v: str(v),
)
def test_bad_parameters_raise_naming_the_parameter(kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`.*got {bad}"):
        create_solow_model(**{kwarg: bad})


@pytest.mark.parametrize(
    ("kwarg", "bad"), [("k0", 0.0), ("k0", -1.0), ("steps", -1), ("steps", 2.5)],
    ids=lambda v: str(v),
)
def test_bad_simulation_arguments_raise_naming_the_argument(model, kwarg, bad):
    kwargs = {"k0": 0.2, "steps": 10} | {kwarg: bad}
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        simulate_path(model, **kwargs)


def test_model_is_keyword_only():
    with pytest.raises(TypeError):
        create_solow_model(0.3)  # type: ignore[misc]
