"""Reference implementations for the lectures of "JAX for computational economics".

Every model a lecture runs, and every solver and benchmark it times, lives here and is
tested in ``tests/``; the pages import it rather than defining models inline.

The names below are loaded on first use: ``import jaxecon`` imports no submodule, so a
page (and the build's execution cache) depends only on the modules it touches.
"""

from __future__ import annotations

import importlib
import importlib.util

__version__ = "0.1.0"

# Submodule -> the public names it provides.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "autodiff": (
        "DescentResult", "barzilai_borwein", "bb_step_size", "central_difference", "descent_path",
        "forward_difference", "linear_data", "ols_coefficients", "polynomial_design",
    ),
    "bench": ("SOLOW_BACKENDS", "SolowRecord", "bench_solow", "format_table"),
    "bench_intro": (
        "GridRecord", "MLPRecord", "bench_grid", "bench_mlp", "format_grid_table",
        "format_mlp_table",
    ),
    "jax_intro": (
        "GRID_METHODS", "OptionPrice", "SVCallModel", "create_sv_call_model", "evaluate_grid",
        "grid_function", "grid_memory_bytes", "price_call_jax", "price_call_numba",
    ),
    "job_search": (
        "JobSearchModel", "RiskSensitiveJobSearchModel", "continuation_value",
        "create_job_search_model", "create_risk_sensitive_job_search_model", "reservation_wage",
    ),
    "machine": ("KEY_PACKAGES", "Machine", "describe_machine", "package_versions"),
    "mdp": (
        "MDP", "Operators", "action_values", "bellman_operator", "create_mdp", "greedy_policy",
        "model_operators", "policy_operator", "policy_value_exact", "policy_value_iterative",
        "random_mdp",
    ),
    "mlp": (
        "RegressionData", "TrainResult", "count_parameters", "create_regression_data",
        "gradient_descent_step", "init_mlp", "make_regression_data", "mlp_forward", "mlp_grad_loss",
        "mlp_loss", "mlp_predict", "train_mlp",
    ),
    "recursive_utility": (
        "EpsteinZinModel", "EpsteinZinRecord", "bench_epstein_zin", "create_epstein_zin_model",
        "format_epstein_zin_table", "lifetime_utility_newton", "lifetime_utility_operator",
        "lifetime_utility_successive",
    ),
    "savings": (
        "SavingsModel", "consumption", "create_savings_model", "savings_action_values",
        "savings_action_values_inline", "savings_action_values_vmap", "savings_bellman_vmap",
        "savings_policy_operator",
    ),
    "savings_baselines": (
        "SavingsRecord", "bellman_numpy", "bellman_numpy_naive", "bench_savings",
        "format_savings_table", "vfi_numba", "vfi_numpy", "vfi_numpy_naive",
    ),
    "solow": (
        "SolowModel", "check_inputs", "create_solow_model", "law_of_motion", "simulate_path",
        "steady_state",
    ),
    "solow_backends": (
        "solow_c", "solow_fortran", "solow_jax", "solow_jax_many", "solow_numba", "solow_numpy",
        "solow_numpy_many", "solow_python",
    ),
    "solvers": (
        "FixedPoint", "Solution", "howard_policy_iteration", "hpi", "newton_fixed_point", "opi",
        "optimistic_policy_iteration", "successive_approximation", "value_function_iteration",
        "vfi",
    ),
    "timing": ("Timing", "cpu_label", "jax_device_label", "measure"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    """Import the submodule that provides ``name`` (or is ``name``) on first use."""
    if name in _MODULE_OF:
        value = getattr(importlib.import_module(f"jaxecon.{_MODULE_OF[name]}"), name)
    elif importlib.util.find_spec(f"jaxecon.{name}") is not None:
        value = importlib.import_module(f"jaxecon.{name}")
    else:
        raise AttributeError(f"module 'jaxecon' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
