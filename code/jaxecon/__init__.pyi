"""Public names and the modules that provide them.

Generated from ``jaxecon.API`` by ``make stub``; do not edit.
"""

__version__: str
__all__: list[str]

from jaxecon.autodiff import (
    DescentResult as DescentResult,
    barzilai_borwein as barzilai_borwein,
    central_difference as central_difference,
    descent_path as descent_path,
    forward_difference as forward_difference,
    linear_data as linear_data,
    ols_coefficients as ols_coefficients,
    polynomial_design as polynomial_design,
)
from jaxecon.crra import (
    crra_utility as crra_utility,
)
from jaxecon.epstein_zin import (
    EpsteinZinModel as EpsteinZinModel,
    consumption_equivalent as consumption_equivalent,
    create_epstein_zin_model as create_epstein_zin_model,
    lifetime_utility_newton as lifetime_utility_newton,
    lifetime_utility_operator as lifetime_utility_operator,
    lifetime_utility_successive as lifetime_utility_successive,
)
from jaxecon.fixed_point import (
    FixedPoint as FixedPoint,
    newton_fixed_point as newton_fixed_point,
    successive_approximation as successive_approximation,
)
from jaxecon.intro_jax import (
    OptionPrice as OptionPrice,
    SVCallModel as SVCallModel,
    create_sv_call_model as create_sv_call_model,
    evaluate_grid as evaluate_grid,
    grid_function as grid_function,
)
from jaxecon.job_search import (
    JobSearchModel as JobSearchModel,
    RiskSensitiveJobSearchModel as RiskSensitiveJobSearchModel,
    continuation_value as continuation_value,
    create_job_search_model as create_job_search_model,
    create_risk_sensitive_job_search_model as create_risk_sensitive_job_search_model,
    mean_unemployment_duration as mean_unemployment_duration,
    reservation_wage as reservation_wage,
    unemployment_duration as unemployment_duration,
)
from jaxecon.markov import (
    tauchen_chain as tauchen_chain,
)
from jaxecon.mdp import (
    MDP as MDP,
    action_values as action_values,
    bellman_operator as bellman_operator,
    create_mdp as create_mdp,
    greedy_policy as greedy_policy,
    policy_operator as policy_operator,
    policy_value_exact as policy_value_exact,
    policy_value_iterative as policy_value_iterative,
    random_mdp as random_mdp,
)
from jaxecon.mlp import (
    RegressionData as RegressionData,
    TrainResult as TrainResult,
    count_parameters as count_parameters,
    init_mlp as init_mlp,
    make_regression_data as make_regression_data,
    mlp_forward as mlp_forward,
    mlp_loss as mlp_loss,
    mlp_predict as mlp_predict,
    train_mlp as train_mlp,
)
from jaxecon.savings import (
    SavingsModel as SavingsModel,
    consumption as consumption,
    create_savings_model as create_savings_model,
    euler_errors as euler_errors,
    simulate_households as simulate_households,
    stationary_distribution as stationary_distribution,
)
from jaxecon.savings_stored import (
    StoredSavingsModel as StoredSavingsModel,
    store_utility as store_utility,
)
from jaxecon.solow import (
    SolowModel as SolowModel,
    create_solow_model as create_solow_model,
    law_of_motion as law_of_motion,
    simulate_path as simulate_path,
    steady_state as steady_state,
)
from jaxecon.solvers import (
    Solution as Solution,
    howard_policy_iteration as howard_policy_iteration,
    hpi as hpi,
    hpi_core as hpi_core,
    opi as opi,
    opi_core as opi_core,
    optimistic_policy_iteration as optimistic_policy_iteration,
    value_function_iteration as value_function_iteration,
    vfi as vfi,
    vfi_core as vfi_core,
)
from jaxecon.timing import (
    MIN_REPEATS as MIN_REPEATS,
    Ratio as Ratio,
    Timing as Timing,
    compare as compare,
    measure as measure,
    ratio as ratio,
)
from jaxecon import (
    autodiff as autodiff,
    backends as backends,
    bench as bench,
    checks as checks,
    crra as crra,
    devices as devices,
    distributed as distributed,
    epstein_zin as epstein_zin,
    fixed_point as fixed_point,
    intro_jax as intro_jax,
    job_search as job_search,
    launch as launch,
    machine as machine,
    markov as markov,
    mdp as mdp,
    mlp as mlp,
    parallel as parallel,
    results as results,
    savings as savings,
    savings_stored as savings_stored,
    solow as solow,
    solvers as solvers,
    timing as timing,
)
