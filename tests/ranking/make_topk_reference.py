"""Generate ``data/topk_reference.json``: top-K chances computed without sampling.

Run once from the repository root, after ``make_reference`` (needs scipy, dev-only):

    .venv/bin/python -m tests.ranking.make_topk_reference

Its inputs are the reference MAP fits of ``bt_reference.json``. For each, the space's
normal prior is fitted here by maximising the marginal likelihood with scipy's bounded
scalar search over the log-spread (the centre solved in closed form for each spread),
instead of the engine's fixed-point iteration, and each idea's chance to be in the top K
is the integral

    p_i = int f_i(x) P(fewer than K of the others exceed x) dx,

with ``f_i`` idea i's posterior density and the count of others above ``x`` a
Poisson-binomial variable, computed by the usual recursion on a fine grid of ``x`` and
integrated by the trapezoid rule (error below 1e-6).

``p_top_joint`` draws all strengths at once from the full Laplace posterior (the exact
Hessian of ``make_reference``, the fit's prior swapped for the space's, no idea held
fixed), 200,000 times with scipy's multivariate normal (s.e. at most 0.0011). The tests
only read the JSON.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.stats import multivariate_normal, norm

from tests.ranking.make_reference import hessian

DATA = Path(__file__).resolve().parent / "data"
TARGET = DATA / "topk_reference.json"
SPREAD_BOUNDS = (0.01, 100.0)  # the engine's bounds on the spread's variance
GRID_POINTS = 4_001
#: The focus size for each reference fit used (the star's 200 ideas would take minutes).
FOCUS = {"small_ties": 3, "medium_weak_prior": 10, "sparse": 5}


def likelihoods(theta: np.ndarray, stderr: np.ndarray, prior: float):
    """Each idea's normal likelihood (centre, precision) with the fit's prior divided out."""
    sig = 1.0 / (1.0 + np.exp(-theta))
    curvature = 2.0 * prior * sig * (1.0 - sig)
    precision = np.maximum(1.0 / stderr**2 - curvature, 0.0)
    pull = prior * (2.0 * sig - 1.0)  # prior * tanh(theta / 2)
    return pull, precision


def fitted_spread(values: np.ndarray, variances: np.ndarray) -> tuple[float, float]:
    """Maximum marginal likelihood (spread, centre) of N(centre, spread + variances)."""

    def centre_for(spread: float) -> float:
        weights = 1.0 / (spread + variances)
        return float((weights * values).sum() / weights.sum())

    def negative_log_marginal(log_spread: float) -> float:
        spread = np.exp(log_spread)
        total = spread + variances
        residual = values - centre_for(spread)
        return float(0.5 * (np.log(total) + residual**2 / total).sum())

    low, high = np.log(SPREAD_BOUNDS[0]), np.log(SPREAD_BOUNDS[1])
    result = minimize_scalar(negative_log_marginal, bounds=(low, high), method="bounded",
                             options={"xatol": 1e-10})
    spread = float(np.exp(result.x))
    return spread, centre_for(spread)


def posterior(theta: np.ndarray, stderr: np.ndarray, prior: float):
    """Posterior means and sds under the fitted normal prior (the engine's model)."""
    pull, precision = likelihoods(theta, stderr, prior)
    informed = precision > 1e-9
    spread, centre = fitted_spread(theta[informed] + pull[informed] / precision[informed],
                                   1.0 / precision[informed])
    total = precision + 1.0 / spread
    return (precision * theta + pull + centre / spread) / total, 1.0 / np.sqrt(total)


def exact_top_k(mean: np.ndarray, sd: np.ndarray, k: int) -> np.ndarray:
    """Chance of each idea to be among the k largest of independent normals."""
    grid = np.linspace((mean - 9 * sd).min(), (mean + 9 * sd).max(), GRID_POINTS)
    above = norm.sf((grid[None, :] - mean[:, None]) / sd[:, None])  # P(X_j > x)
    chances = np.empty(mean.size)
    for i in range(mean.size):
        # counts[c] = P(exactly c of the others exceed x), for c < k
        counts = np.zeros((k, grid.size))
        counts[0] = 1.0
        for j in range(mean.size):
            if j == i:
                continue
            shifted = np.vstack([np.zeros(grid.size), counts[:-1]])
            counts = counts * (1.0 - above[j]) + shifted * above[j]
        density = norm.pdf(grid, mean[i], sd[i])
        chances[i] = np.trapezoid(density * counts.sum(axis=0), grid)
    return chances


def joint_top_k(fit: dict, k: int, draws: int = 200_000) -> np.ndarray:
    """Chance of each idea to be in the top k under the full joint Laplace posterior."""
    theta, stderr, prior = np.array(fit["theta"]), np.array(fit["stderr"]), fit["prior"]
    left, right = np.array(fit["left"]), np.array(fit["right"])
    pull, precision = likelihoods(theta, stderr, prior)
    informed = precision > 1e-9
    spread, centre = fitted_spread(theta[informed] + pull[informed] / precision[informed],
                                   1.0 / precision[informed])
    sig = 1.0 / (1.0 + np.exp(-theta))
    curvature = 2.0 * prior * sig * (1.0 - sig)
    full = hessian(theta, left, right, np.array(fit["outcome"]), prior)
    joint = full - np.diag(curvature) + np.eye(theta.size) / spread
    mean = theta + np.linalg.solve(joint, pull + (centre - theta) / spread)
    sample = multivariate_normal(mean, np.linalg.inv(joint)).rvs(
        draws, random_state=np.random.default_rng(7))
    kth = np.partition(sample, theta.size - k, axis=1)[:, theta.size - k, None]
    return (sample >= kth).mean(axis=0)


def main() -> None:
    """Write one reference per fit of ``bt_reference.json``."""
    with open(DATA / "bt_reference.json", encoding="utf-8") as handle:
        fits = json.load(handle)["cases"]
    cases = []
    for fit in (fit for fit in fits if fit["name"] in FOCUS):
        theta, stderr = np.array(fit["theta"]), np.array(fit["stderr"])
        mean, sd = posterior(theta, stderr, fit["prior"])
        k = FOCUS[fit["name"]]
        cases.append({"name": fit["name"], "k": k, "prior": fit["prior"],
                      "theta": fit["theta"], "stderr": fit["stderr"],
                      "posterior_mean": mean.tolist(), "posterior_sd": sd.tolist(),
                      "p_top": exact_top_k(mean, sd, k).tolist(),
                      "p_top_joint": joint_top_k(fit, k).tolist()})
    payload = {"generated_by": "python -m tests.ranking.make_topk_reference", "cases": cases}
    TARGET.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
