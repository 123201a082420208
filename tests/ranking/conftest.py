"""Shared helpers for the ranking engine tests: seeded Bradley-Terry vote simulation."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

DATA = Path(__file__).resolve().parent / "data"


class SimulatedVotes(NamedTuple):
    """True strengths and the votes drawn from them (uniform random pairs, no ties)."""

    truth: np.ndarray
    left: np.ndarray
    right: np.ndarray
    outcome: np.ndarray


def simulate(n_items: int, n_votes: int, seed: int, spread: float = 1.0) -> SimulatedVotes:
    """Draw truth ~ N(0, spread^2) and ``n_votes`` Bradley-Terry votes on random pairs."""
    rng = np.random.default_rng(seed)
    truth = rng.normal(0.0, spread, n_items)
    left = rng.integers(0, n_items, n_votes)
    right = rng.integers(0, n_items - 1, n_votes)
    right += right >= left
    p_left = 1.0 / (1.0 + np.exp(truth[right] - truth[left]))
    outcome = (rng.random(n_votes) < p_left).astype(float)
    return SimulatedVotes(truth, left, right, outcome)


@pytest.fixture
def simulate_votes() -> Callable[..., SimulatedVotes]:
    """The ``simulate`` function, as a fixture for tests that need fresh votes."""
    return simulate


@pytest.fixture
def data_dir() -> Path:
    """Folder of the stored reference fixtures."""
    return DATA
