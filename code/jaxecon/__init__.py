"""Reference implementations for the lectures of "JAX for computational economics".

Every model a lecture runs, and every solver and benchmark it times, lives here and is
tested in ``tests/``; the pages import it rather than defining models inline.

The top level is the API a lecture reads: the models and their factories, the
dynamic-programming layer and its solvers, and the one timing statistic (``measure``,
``ratio``, ``compare``, ``MIN_REPEATS``), listed in :data:`API` (at most 90 names). The
rest is reached by module, as Optax and Equinox keep theirs: benchmarks by the page that
shows them (``jaxecon.bench.history.bench_solow``), other languages and libraries in
``jaxecon.backends``, devices and machine facts (``jaxecon.devices.jax_device_label``,
``jaxecon.machine.describe_machine``), committed records (``jaxecon.results``), the
checks (``jaxecon.checks``), sharding and the multi-process launcher
(``jaxecon.parallel``, ``jaxecon.distributed``, ``jaxecon.launch``).

Names and submodules load on first use: ``import jaxecon`` imports no submodule, so a
page (and the build's execution cache) depends only on the modules it touches.
``__init__.pyi``, which editors and type checkers read, is generated from :data:`API` by
``make stub``.
"""

from __future__ import annotations

import importlib
import importlib.util

#: The public top level: module -> the names it provides there.
API: dict[str, tuple[str, ...]] = {
    "jaxecon.autodiff": ("DescentResult", "barzilai_borwein", "central_difference",
                         "descent_path", "forward_difference", "linear_data",
                         "ols_coefficients", "polynomial_design"),
    "jaxecon.crra": ("crra_utility",),
    "jaxecon.epstein_zin": ("EpsteinZinModel", "consumption_equivalent",
                            "create_epstein_zin_model", "lifetime_utility_newton",
                            "lifetime_utility_operator", "lifetime_utility_successive"),
    "jaxecon.fixed_point": ("FixedPoint", "newton_fixed_point", "successive_approximation"),
    "jaxecon.intro_jax": ("OptionPrice", "SVCallModel", "create_sv_call_model",
                          "evaluate_grid", "grid_function"),
    "jaxecon.job_search": ("JobSearchModel", "RiskSensitiveJobSearchModel",
                           "continuation_value", "create_job_search_model",
                           "create_risk_sensitive_job_search_model",
                           "mean_unemployment_duration", "reservation_wage",
                           "unemployment_duration"),
    "jaxecon.markov": ("tauchen_chain",),
    "jaxecon.mdp": ("MDP", "action_values", "bellman_operator", "create_mdp", "greedy_policy",
                    "policy_operator", "policy_value_exact", "policy_value_iterative",
                    "random_mdp"),
    "jaxecon.mlp": ("RegressionData", "TrainResult", "count_parameters", "init_mlp",
                    "make_regression_data", "mlp_forward", "mlp_loss", "mlp_predict",
                    "train_mlp"),
    "jaxecon.savings": ("SavingsModel", "consumption", "create_savings_model", "euler_errors",
                        "simulate_households", "stationary_distribution"),
    "jaxecon.savings_stored": ("StoredSavingsModel", "store_utility"),
    "jaxecon.solow": ("SolowModel", "create_solow_model", "law_of_motion", "simulate_path",
                      "steady_state"),
    "jaxecon.solvers": ("Solution", "howard_policy_iteration", "hpi", "hpi_core", "opi",
                        "opi_core", "optimistic_policy_iteration", "value_function_iteration",
                        "vfi", "vfi_core"),
    "jaxecon.timing": ("MIN_REPEATS", "Ratio", "Timing", "compare", "measure", "ratio"),
}

_MODULE_OF = {name: module for module, names in API.items() for name in names}
__all__ = sorted(_MODULE_OF)


def _submodules_on_first_use(package: str):
    """A module ``__getattr__`` for ``package``: reading ``package.name`` imports the
    submodule ``package.name`` the first time, so ``import jaxecon`` stays light."""
    def __getattr__(name: str):
        if importlib.util.find_spec(f"{package}.{name}") is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return importlib.import_module(f"{package}.{name}")
    return __getattr__


_submodule = _submodules_on_first_use(__name__)


def __getattr__(name: str):
    """Import the submodule that provides ``name`` (or is ``name``) on first use; the
    value is kept, so each name is looked up once (``__version__`` too)."""
    if name == "__version__":
        value = _version()
    elif name in _MODULE_OF:
        value = getattr(importlib.import_module(_MODULE_OF[name]), name)
    else:
        value = _submodule(name)
    globals()[name] = value
    return value


def _version() -> str:
    """The version set once, in ``pyproject.toml``: the installed distribution's, or, in a
    checkout run without installing, the file's."""
    from importlib import metadata
    from pathlib import Path

    try:
        return metadata.version("jaxecon")
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        return tomllib.loads(pyproject.read_text())["project"]["version"]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
