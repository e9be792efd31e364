"""Public names and the modules that provide them.

Generated from each module's ``__all__`` by ``python tests/test_package.py``; do not edit.
"""

from jaxecon.autodiff import (
    DescentResult as DescentResult,
    barzilai_borwein as barzilai_borwein,
    bb_step_size as bb_step_size,
    central_difference as central_difference,
    descent_path as descent_path,
    forward_difference as forward_difference,
    linear_data as linear_data,
    ols_coefficients as ols_coefficients,
    polynomial_design as polynomial_design,
)
from jaxecon.backends.native import (
    NATIVE_DIR as NATIVE_DIR,
    cache_dir as cache_dir,
    compile_native as compile_native,
    compiler_version as compiler_version,
    load_library as load_library,
)
from jaxecon.backends.savings import (
    action_values_numpy as action_values_numpy,
    bellman_numba as bellman_numba,
    bellman_numpy as bellman_numpy,
    bellman_numpy_naive as bellman_numpy_naive,
    utility_numpy as utility_numpy,
    vfi_numba as vfi_numba,
    vfi_numpy as vfi_numpy,
    vfi_numpy_naive as vfi_numpy_naive,
)
from jaxecon.backends.solow import (
    EXTERNAL as EXTERNAL,
    run_external as run_external,
    solow_c as solow_c,
    solow_fortran as solow_fortran,
    solow_jax as solow_jax,
    solow_jax_many as solow_jax_many,
    solow_numba as solow_numba,
    solow_numpy as solow_numpy,
    solow_numpy_many as solow_numpy_many,
    solow_octave_many as solow_octave_many,
    solow_python as solow_python,
)
from jaxecon.bench.big_savings import (
    BigSolveRecord as BigSolveRecord,
    big_computed_solve as big_computed_solve,
    write_big_record as write_big_record,
)
from jaxecon.bench.epstein_zin import (
    EpsteinZinRecord as EpsteinZinRecord,
    bench_epstein_zin as bench_epstein_zin,
    format_epstein_zin_table as format_epstein_zin_table,
)
from jaxecon.bench.intro import (
    GRID as GRID,
    GridRecord as GridRecord,
    MLP as MLP,
    MLPRecord as MLPRecord,
    bench_grid as bench_grid,
    bench_mlp as bench_mlp,
    format_grid_table as format_grid_table,
    format_mlp_table as format_mlp_table,
)
from jaxecon.bench.parallel import (
    PARALLEL as PARALLEL,
    ParallelRecord as ParallelRecord,
    bench_bellman_step as bench_bellman_step,
    bench_sharded_vfi as bench_sharded_vfi,
    format_parallel_table as format_parallel_table,
    sharded_plan as sharded_plan,
    speedup_sentence as speedup_sentence,
)
from jaxecon.bench.savings import (
    SavingsRecord as SavingsRecord,
    bench_savings as bench_savings,
    format_savings_table as format_savings_table,
)
from jaxecon.bench.scaling import (
    METHODS as METHODS,
    SCALING as SCALING,
    SCALING_BUDGET_BYTES as SCALING_BUDGET_BYTES,
    ScalingRecord as ScalingRecord,
    bench_scaling as bench_scaling,
    format_scaling_table as format_scaling_table,
    largest_states as largest_states,
    power_law as power_law,
    scaling_sizes as scaling_sizes,
)
from jaxecon.bench.solow import (
    SOLOW_BACKENDS as SOLOW_BACKENDS,
    SolowRecord as SolowRecord,
    bench_solow as bench_solow,
    format_table as format_table,
)
from jaxecon.checks import (
    check_array as check_array,
    check_choice as check_choice,
    check_greater as check_greater,
    check_integer as check_integer,
    check_integers as check_integers,
    check_interval as check_interval,
    check_multiple as check_multiple,
    check_ndim as check_ndim,
    check_nonnegative as check_nonnegative,
    check_nonzero as check_nonzero,
    check_not_equal as check_not_equal,
    check_open_unit as check_open_unit,
    check_positive as check_positive,
    check_positive_array as check_positive_array,
    check_real as check_real,
    check_shape as check_shape,
    check_size as check_size,
    check_stochastic as check_stochastic,
    check_tolerance as check_tolerance,
    not_converged as not_converged,
)
from jaxecon.crra import (
    MEMORY_BUDGET_BYTES as MEMORY_BUDGET_BYTES,
    crra_utility as crra_utility,
    crra_utility_static as crra_utility_static,
    stored_utility_bytes as stored_utility_bytes,
    utility_array as utility_array,
)
from jaxecon.devices import (
    PLATFORMS as PLATFORMS,
    describe_device as describe_device,
    require_platform as require_platform,
)
from jaxecon.distributed import (
    DISTRIBUTED_SOLVERS as DISTRIBUTED_SOLVERS,
    STATE_AXIS as STATE_AXIS,
    collective_bytes as collective_bytes,
    distribute_model as distribute_model,
    global_array as global_array,
    initialize_distributed as initialize_distributed,
    sharding_costs as sharding_costs,
    solve_distributed as solve_distributed,
    state_mesh as state_mesh,
)
from jaxecon.fixed_point import (
    FixedPoint as FixedPoint,
    newton_core as newton_core,
    newton_fixed_point as newton_fixed_point,
    successive_approximation as successive_approximation,
    successive_approximation_core as successive_approximation_core,
)
from jaxecon.jax_intro import (
    GRID_METHODS as GRID_METHODS,
    OptionPrice as OptionPrice,
    PATHS_PER_BLOCK as PATHS_PER_BLOCK,
    SVCallModel as SVCallModel,
    create_sv_call_model as create_sv_call_model,
    evaluate_grid as evaluate_grid,
    grid_function as grid_function,
    grid_memory_bytes as grid_memory_bytes,
    price_call_jax as price_call_jax,
    price_call_numba as price_call_numba,
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
from jaxecon.launch import (
    free_port as free_port,
    measure_sharding_costs as measure_sharding_costs,
    run_workers as run_workers,
    solve_savings as solve_savings,
)
from jaxecon.machine import (
    KEY_PACKAGES as KEY_PACKAGES,
    Machine as Machine,
    ProvenanceNote as ProvenanceNote,
    describe_machine as describe_machine,
    package_versions as package_versions,
    provenance_note as provenance_note,
)
from jaxecon.markov import (
    tauchen_chain as tauchen_chain,
)
from jaxecon.mdp import (
    MDP as MDP,
    Operators as Operators,
    action_values as action_values,
    bellman_operator as bellman_operator,
    create_mdp as create_mdp,
    exact_evaluation as exact_evaluation,
    greedy_policy as greedy_policy,
    iterative_evaluation as iterative_evaluation,
    mdp_action_values as mdp_action_values,
    mdp_policy_operator as mdp_policy_operator,
    model_operators as model_operators,
    policy_operator as policy_operator,
    policy_value_exact as policy_value_exact,
    policy_value_iterative as policy_value_iterative,
    random_mdp as random_mdp,
)
from jaxecon.mlp import (
    LEARNING_RATES as LEARNING_RATES,
    OPTIMIZERS as OPTIMIZERS,
    RegressionData as RegressionData,
    TrainResult as TrainResult,
    count_parameters as count_parameters,
    create_regression_data as create_regression_data,
    gradient_descent_step as gradient_descent_step,
    init_mlp as init_mlp,
    make_regression_data as make_regression_data,
    mlp_forward as mlp_forward,
    mlp_grad_loss as mlp_grad_loss,
    mlp_loss as mlp_loss,
    mlp_predict as mlp_predict,
    train_mlp as train_mlp,
)
from jaxecon.parallel import (
    sharded_value_function_iteration as sharded_value_function_iteration,
)
from jaxecon.recursive_utility import (
    EpsteinZinModel as EpsteinZinModel,
    constant_consumption_utility as constant_consumption_utility,
    consumption_equivalent as consumption_equivalent,
    create_epstein_zin_model as create_epstein_zin_model,
    epstein_zin_parameters as epstein_zin_parameters,
    lifetime_utility_newton as lifetime_utility_newton,
    lifetime_utility_operator as lifetime_utility_operator,
    lifetime_utility_successive as lifetime_utility_successive,
    lifetime_utility_within as lifetime_utility_within,
    newton_step_products as newton_step_products,
)
from jaxecon.results import (
    MarkdownText as MarkdownText,
    PROVENANCE_FIELDS as PROVENANCE_FIELDS,
    RESULTS_DIR as RESULTS_DIR,
    Result as Result,
    load_results as load_results,
    other_hardware as other_hardware,
    provenance as provenance,
    save as save,
    wrap as wrap,
)
from jaxecon.savings import (
    SavingsModel as SavingsModel,
    consumption as consumption,
    create_savings_model as create_savings_model,
    euler_errors as euler_errors,
    savings_action_values as savings_action_values,
    savings_policy_operator as savings_policy_operator,
    simulate_households as simulate_households,
    stationary_distribution as stationary_distribution,
)
from jaxecon.savings_stored import (
    StoredSavingsModel as StoredSavingsModel,
    savings_action_values_inline as savings_action_values_inline,
    savings_action_values_vmap as savings_action_values_vmap,
    savings_bellman_vmap as savings_bellman_vmap,
    store_utility as store_utility,
    stored_action_values as stored_action_values,
    stored_policy_operator as stored_policy_operator,
)
from jaxecon.solow import (
    SolowModel as SolowModel,
    check_inputs as check_inputs,
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
    cpu_label as cpu_label,
    jax_device_label as jax_device_label,
    measure as measure,
    peak_bytes as peak_bytes,
    ratio as ratio,
)
