"""Generate ``data/bt_reference.json``: MAP fits computed independently of the engine.

Run once from the repository root (needs scipy, a dev-only package):

    .venv/bin/python -m tests.ranking.make_reference

Each case is a seeded vote list; its reference solution minimises the same negative
log-posterior as ``map_bt_pairwise``,

    - sum_k [o_k log s(t_l - t_r) + (1 - o_k) log s(t_r - t_l)]
    - prior * sum_i [log s(t_i) + log s(-t_i)],          s = logistic,

written here from scratch with ``np.logaddexp`` and solved by scipy's trust-region Newton
method with the exact Hessian, polished by Newton steps to a gradient below 1e-10. ``stderr`` is
``1/sqrt(diag H)`` of that Hessian, and ``chance`` the plain double loop
``mean_{j != i} s(t_i - t_j)``. The tests only read the JSON.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

TARGET = Path(__file__).resolve().parent / "data" / "bt_reference.json"


def objective(theta: np.ndarray, left, right, outcome, prior: float) -> float:
    """Negative log-posterior of the Bradley-Terry model with the virtual-opponent prior."""
    diff = theta[left] - theta[right]
    loglik = -(outcome * np.logaddexp(0.0, -diff) + (1 - outcome) * np.logaddexp(0.0, diff))
    logprior = -prior * (np.logaddexp(0.0, -theta) + np.logaddexp(0.0, theta))
    return float(-(loglik.sum() + logprior.sum()))


def gradient(theta: np.ndarray, left, right, outcome, prior: float) -> np.ndarray:
    """Gradient of ``objective``."""
    p = 1.0 / (1.0 + np.exp(-(theta[left] - theta[right])))
    residual = outcome - p  # d loglik / d diff
    grad = np.zeros_like(theta)
    np.add.at(grad, left, -residual)
    np.add.at(grad, right, residual)
    q = 1.0 / (1.0 + np.exp(-theta))
    return grad - prior * (1.0 - 2.0 * q)


def hessian(theta: np.ndarray, left, right, outcome, prior: float) -> np.ndarray:
    """Full Hessian of ``objective`` (positive definite thanks to the prior)."""
    p = 1.0 / (1.0 + np.exp(-(theta[left] - theta[right])))
    w = p * (1.0 - p)
    h = np.zeros((theta.size, theta.size))
    np.add.at(h, (left, left), w)
    np.add.at(h, (right, right), w)
    np.add.at(h, (left, right), -w)
    np.add.at(h, (right, left), -w)
    q = 1.0 / (1.0 + np.exp(-theta))
    h[np.diag_indices_from(h)] += 2.0 * prior * q * (1.0 - q)
    return h


def make_case(name: str, n_items: int, n_votes: int, prior: float, seed: int,
              tie_share: float, spread: float, silent: int = 0) -> dict:
    """A seeded vote list (ideas ``>= n_items - silent`` never appear) and its MAP solution."""
    rng = np.random.default_rng(seed)
    truth = rng.normal(0.0, spread, n_items)
    active = n_items - silent
    left = rng.integers(0, active, n_votes)
    right = rng.integers(0, active - 1, n_votes)
    right += right >= left
    p = 1.0 / (1.0 + np.exp(truth[right] - truth[left]))
    outcome = (rng.random(n_votes) < p).astype(float)
    outcome[rng.random(n_votes) < tie_share] = 0.5
    # Idea 0 loses every vote it takes part in: its MLE would be -infinity.
    outcome[left == 0] = 0.0
    outcome[right == 0] = 1.0
    return solve_case(name, n_items, left, right, outcome, prior)


def star_case() -> dict:
    """Idea 0 against ten ideas that have no other votes, among 189 unvoted ideas.

    Four votes per spoke; idea 0 won 4, 1, 4, 0, 0, 3, 1, 0, 0, 3 of them. The fit's full
    Newman step flipped back and forth on these votes for ever (found by the pair-choice
    simulation, whose first pairs once all held idea 0).
    """
    centre_wins = [4, 1, 4, 0, 0, 3, 1, 0, 0, 3]
    spokes = np.repeat(np.arange(1, 11), 4)
    won = np.concatenate([np.arange(4) < wins for wins in centre_wins])
    left = np.where(np.arange(40) % 2 == 0, 0, spokes)
    right = np.where(np.arange(40) % 2 == 0, spokes, 0)
    outcome = np.where(left == 0, won, ~won).astype(float)
    return solve_case("star", 200, left, right, outcome, 1.0)


def solve_case(name: str, n_items: int, left: np.ndarray, right: np.ndarray,
               outcome: np.ndarray, prior: float) -> dict:
    """The MAP solution of one vote list, with stderr and chance, as a JSON-ready case."""
    args = (left, right, outcome, prior)
    result = minimize(objective, np.zeros(n_items), args=args, jac=gradient, hess=hessian,
                      method="trust-exact", options={"gtol": 1e-11, "maxiter": 1000})
    theta = result.x
    for _ in range(20):  # polish with plain Newton steps: the objective is convex
        step = np.linalg.solve(hessian(theta, *args), gradient(theta, *args))
        theta = theta - step
        if np.abs(step).max() < 1e-14:
            break
    grad_norm = float(np.abs(gradient(theta, *args)).max())
    assert grad_norm < 1e-10, (name, grad_norm, result.message)
    diffs = theta[:, None] - theta[None, :]
    chance = ((1.0 / (1.0 + np.exp(-diffs))).sum(axis=1) - 0.5) / (n_items - 1)
    return {
        "name": name,
        "n_items": n_items,
        "prior": prior,
        "left": left.tolist(),
        "right": right.tolist(),
        "outcome": outcome.tolist(),
        "theta": (theta - theta.mean()).tolist(),
        "stderr": (1.0 / np.sqrt(np.diag(hessian(theta, *args)))).tolist(),
        "chance": chance.tolist(),
        "gradient_max_abs": grad_norm,
    }


def main() -> None:
    """Write the reference cases to ``TARGET``."""
    cases = [
        make_case("small_ties", n_items=8, n_votes=60, prior=1.0, seed=1, tie_share=0.2,
                  spread=1.0, silent=1),
        make_case("medium_weak_prior", n_items=60, n_votes=1500, prior=0.5, seed=2,
                  tie_share=0.1, spread=1.5),
        make_case("sparse", n_items=40, n_votes=50, prior=1.0, seed=3, tie_share=0.0,
                  spread=1.0, silent=5),
        star_case(),
    ]
    payload = {"generated_by": "python -m tests.ranking.make_reference", "cases": cases}
    TARGET.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
