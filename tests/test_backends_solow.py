"""Every Solow backend computes the same float64 number, the closed form's fixed point."""

import shutil
import subprocess

import numpy as np
import pytest

from jaxecon import SolowModel, create_solow_model, steady_state
from jaxecon.backends import solow as sb
from jaxecon.backends.native import NATIVE_DIR, compile_native
from tolerance import assert_agree, solow_k

SCALAR = {
    "python": sb.solow_python,
    "numpy": sb.solow_numpy,
    "numba": sb.solow_numba,
    "jax": sb.solow_jax,
    "c": sb.solow_c,
    "fortran": sb.solow_fortran,
}
MANY = {"numpy_many": sb.solow_numpy_many, "jax_many": sb.solow_jax_many}


@pytest.fixture
def model():
    return create_solow_model(s=0.3, alpha=0.4, delta=0.1, a=1.0)


def assert_same_path(actual, expected, model, k0):
    """Two codes of one path agree to solow_k of the path's largest k, entry by entry."""
    expected = np.asarray(expected)
    assert_agree(actual, expected, k=solow_k(model, max(np.max(expected), np.max(k0))),
                 scale=np.abs(expected))


@pytest.mark.parametrize("steps", [0, 1, 37, 1000], ids=lambda n: f"steps={n}")
@pytest.mark.parametrize("backend", list(SCALAR))
def test_backend_agrees_with_pure_python(model, backend, steps):
    expected = sb.solow_python(model, k0=0.2, steps=steps)
    assert_same_path(SCALAR[backend](model, k0=0.2, steps=steps), expected, model, 0.2)


@pytest.mark.parametrize("backend", list(SCALAR))
def test_backend_reaches_the_closed_form_steady_state(model, backend):
    # 2000 steps leave 0.94²⁰⁰⁰ of the gap: the path's rounding and k*'s (8, test_solow)
    k_star = steady_state(model)
    assert_agree(SCALAR[backend](model, k0=0.2, steps=2000), k_star,
                 k=solow_k(model, k_star) + 8, scale=k_star)


@pytest.mark.parametrize("backend", list(SCALAR))
def test_backend_uses_every_parameter(backend):
    model = create_solow_model(s=0.25, alpha=0.33, delta=0.05, a=1.7)
    expected = sb.solow_python(model, k0=3.0, steps=25)
    assert_same_path(SCALAR[backend](model, k0=3.0, steps=25), expected, model, 3.0)


@pytest.mark.parametrize("backend", list(MANY))
def test_many_initial_conditions_agree_path_by_path(model, backend):
    k0 = np.array([0.05, 0.2, 1.0, 6.0, 40.0])
    expected = [sb.solow_python(model, k0=k, steps=60) for k in k0]
    assert_same_path(MANY[backend](model, k0=k0, steps=60), expected, model, k0)


BAD = [
    ("alpha", {"alpha": 1.2}), ("alpha", {"alpha": 0.0}), ("delta", {"delta": 0.0}),
    ("delta", {"delta": 1.5}), ("s", {"s": 0.0}), ("s", {"s": -0.3}), ("a", {"a": 0.0}),
]


@pytest.mark.parametrize(("name", "change"), BAD, ids=[f"{n}={v}" for n, c in BAD
                                                       for v in c.values()])
@pytest.mark.parametrize("backend", list(SCALAR) + list(MANY))
def test_bad_model_raises_naming_the_parameter(model, backend, name, change):
    bad = model._replace(**change)  # built directly, bypassing the factory
    entry = {**SCALAR, **MANY}[backend]
    with pytest.raises(ValueError, match=f"`{name}`"):
        entry(bad, k0=0.2 if backend in SCALAR else [0.2], steps=10)


@pytest.mark.parametrize(("name", "k0", "steps"), [("steps", 0.2, -1), ("k0", -0.2, 10),
                                                   ("k0", 0.0, 10)], ids=["steps", "k0<0", "k0=0"])
@pytest.mark.parametrize("backend", list(SCALAR))
def test_bad_simulation_arguments_raise_naming_them(model, backend, name, k0, steps):
    with pytest.raises(ValueError, match=f"`{name}`"):
        SCALAR[backend](model, k0=k0, steps=steps)


def test_external_runner_rejects_an_unknown_interpreter(model):
    with pytest.raises(ValueError, match="`name` must be one of 'julia', 'octave'; got 'matlab'"):
        sb.run_external("matlab", model, k0=0.2, steps=10, repeats=1)


@pytest.mark.parametrize(("compiler", "sources"),
                         [("gcc", ["solow.c"]), ("gfortran", ["solow_lib.f90", "solow.f90"])],
                         ids=["c", "fortran"])
def test_the_programs_shown_in_the_lecture_compile_and_print_the_talks_number(compiler, sources):
    program = compile_native(sources, compiler=compiler, shared=False)
    out = subprocess.run([str(program)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "k = 6.240251"


def test_solow_model_is_a_pytree_of_floats(model):
    import jax

    leaves, treedef = jax.tree_util.tree_flatten(model)
    assert len(leaves) == len(SolowModel._fields)
    assert all(type(leaf) is float for leaf in leaves)
    assert jax.tree_util.tree_unflatten(treedef, leaves) == model
    assert (NATIVE_DIR / "solow.c").is_file()


@pytest.mark.skipif(shutil.which("octave") is None,
                    reason="GNU Octave is not installed (make system installs it)")
def test_octave_runs_many_initial_conditions_at_once_path_by_path(model):
    k0 = np.array([0.05, 0.2, 1.0, 6.0, 40.0])
    k, best, median = sb.solow_octave_many(model, k0=k0, steps=60, repeats=2)
    assert_same_path(k, sb.solow_numpy_many(model, k0=k0, steps=60), model, k0)
    assert 0 < best <= median


def test_octave_many_checks_its_arguments_and_reports_a_missing_octave(model, monkeypatch):
    with pytest.raises(ValueError, match="`repeats`"):
        sb.solow_octave_many(model, k0=[0.2], steps=10, repeats=0)
    with pytest.raises(ValueError, match="`k0`"):
        sb.solow_octave_many(model, k0=[-0.2], steps=10)
    monkeypatch.setattr(sb.shutil, "which", lambda tool: None)
    with pytest.raises(FileNotFoundError, match="octave is not installed"):
        sb.solow_octave_many(model, k0=[0.2], steps=10)
