"""Finite Markov chains for the models' exogenous states.

Each model's income, offer or growth state follows an AR(1) x' = ρ x + σ ε, ε ~ N(0, 1),
discretized on a grid by Tauchen's method; this module does it once, with the checks.
"""

from __future__ import annotations

import numpy as np
import quantecon as qe

from jaxecon.checks import check_interval, check_positive, check_size

__all__ = ["tauchen_chain"]


def tauchen_chain(n: int, rho: float, sigma: float, *, names=("n", "rho", "sigma")):
    """Tauchen's discretization of x' = ρ x + σ ε, ε ~ N(0, 1), by ``quantecon.tauchen``.

    Args:
        n: number of states, at least 2.
        rho: autocorrelation ρ, in (−1, 1).
        sigma: shock standard deviation σ, positive.
        names: the caller's names for (n, rho, sigma), used in error messages.

    Returns:
        ``(x, P)``: the grid, shape (n,), and the transition matrix, shape (n, n), as
        NumPy float64 arrays.

    Raises:
        ValueError: if a parameter is out of range; the message uses ``names``.
    """
    check_size(names[0], n)
    check_interval(names[1], rho, -1, 1)
    check_positive(names[2], sigma)
    chain = qe.markov.tauchen(int(n), float(rho), float(sigma))
    return np.asarray(chain.state_values, dtype=float), np.asarray(chain.P, dtype=float)
