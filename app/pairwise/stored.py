"""Stored fits as every web worker reads them: the job's arrays, fitted to today's ideas.

A web worker never fits. It reads the space's stored fit (one small query says whether it
changed, the payload is read only then) and builds the pair chooser and the ranking from
it. Ideas published, hidden or declined since the fit are taken into account at once: a
hidden idea leaves the pairs and the ranking, and a new idea is served at the prior (no
votes, the prior's uncertainty), which the chooser shows first. A space with no stored fit
yet is served entirely from the prior.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import sqlalchemy as sa

from app.extensions import db
from app.models import Space, StoredFit
from app.pairwise.standings import Standings, TopK, aligned, assemble, public_ideas
from app.ranking import BTFit, RankingSummary, VoteCounts, classify_top_k, prior_stderr, summarize_pairwise

def encode(standings: Standings) -> bytes:
    """The fit's arrays as an .npz: what a web worker needs to serve pairs and the ranking."""
    s, fit = standings.summary, standings.fit
    skips = s.appearances - s.wins - s.losses - s.ties
    arrays = dict(idea_ids=standings.idea_ids, theta=fit.theta, stderr=fit.stderr, wins=s.wins,
                  losses=s.losses, ties=s.ties, skips=skips, appearances=s.appearances,
                  score=s.score, ci_low=s.ci_low, ci_high=s.ci_high, p_top=standings.top_k.p_top,
                  iterations=np.array(fit.iterations),
                  votes_to_settle=np.array(-1 if standings.top_k.votes_to_settle is None
                                           else standings.top_k.votes_to_settle))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def decode(payload: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


@dataclass(frozen=True)
class Head:
    """What one cheap query says about a space's stored fit and its data right now."""

    serial: int | None          # None: no fit stored yet
    data_version: int            # the space's, now
    focus_k: int                 # the space's, now


def head(space_id: int) -> Head:
    serial, version, focus_k = db.session.execute(
        sa.select(StoredFit.serial, Space.data_version, Space.focus_k)
        .select_from(Space).outerjoin(StoredFit, StoredFit.space_id == Space.id)
        .where(Space.id == space_id)).one()
    return Head(serial, version, focus_k)


@dataclass(frozen=True)
class StoredArrays:
    """A stored fit as read: its arrays and what it covers."""

    arrays: dict[str, np.ndarray]
    last_vote_id: int
    data_version: int
    focus_k: int
    votes: int
    voters: int
    fitted_at: datetime | None


def read_stored(space_id: int) -> StoredArrays | None:
    row = db.session.execute(
        sa.select(StoredFit.payload, StoredFit.last_vote_id, StoredFit.data_version,
                  StoredFit.focus_k, StoredFit.votes, StoredFit.voters, StoredFit.fitted_at)
        .where(StoredFit.space_id == space_id, StoredFit.payload.is_not(None))).first()
    if row is None:
        return None
    return StoredArrays(decode(row.payload), row.last_vote_id, row.data_version,
                        row.focus_k, row.votes, row.voters, row.fitted_at)


def warm_of(stored: StoredArrays | None) -> tuple[np.ndarray, np.ndarray] | None:
    """(idea ids, strengths) of a stored fit, for the next fit to start from."""
    return None if stored is None else (stored.arrays["idea_ids"], stored.arrays["theta"])


def serve(space_id: int, stored: StoredArrays | None, focus_k: int) -> Standings:
    """Standings over today's public ideas from a stored fit, or without one from the prior
    (with the space's `focus_k`; a stored fit keeps the focus it was fitted for)."""
    idea_ids, votable = public_ideas(space_id)
    if stored is None:
        return _prior(space_id, idea_ids, votable, focus_k)
    a, k = stored.arrays, stored.focus_k
    if np.array_equal(a["idea_ids"], idea_ids):
        fit = BTFit(a["theta"], a["stderr"], int(a["iterations"]))
        counts = VoteCounts(a["wins"], a["losses"], a["ties"], a["skips"], a["appearances"])
        summary = RankingSummary(a["score"], a["ci_low"], a["ci_high"], a["wins"], a["losses"],
                                 a["ties"], a["appearances"])
        p_top = a["p_top"]
    else:
        ids = a["idea_ids"]
        fit = BTFit(aligned(ids, a["theta"], idea_ids, 0.0),
                    aligned(ids, a["stderr"], idea_ids, prior_stderr()), int(a["iterations"]))
        counts = VoteCounts(*(aligned(ids, a[name], idea_ids, 0).astype(np.int64)
                              for name in ("wins", "losses", "ties", "skips", "appearances")))
        summary = summarize_pairwise(fit, counts)
        p_top = aligned(ids, a["p_top"], idea_ids, 0.0)
    settle = int(a["votes_to_settle"])
    top_k = TopK(p_top, classify_top_k(p_top, k), None if settle < 0 else settle)
    return assemble(space_id, idea_ids, votable, fit, counts, summary, top_k, k,
                    votes=stored.votes, voters=stored.voters, last_vote_id=stored.last_vote_id,
                    ideas_version=stored.data_version, fitted_at=stored.fitted_at)


def _prior(space_id: int, idea_ids: np.ndarray, votable: np.ndarray, focus_k: int) -> Standings:
    """Before the first fit: every idea at the prior, none voted on, each as likely on top."""
    n = idea_ids.size
    fit = BTFit(np.zeros(n), np.full(n, prior_stderr()), 0)
    zero = np.zeros(n, dtype=np.int64)
    counts = VoteCounts(zero, zero, zero, zero, zero)
    p_top = np.full(n, min(1.0, focus_k / n) if n else 0.0)
    top_k = TopK(p_top, classify_top_k(p_top, focus_k), None)
    return assemble(space_id, idea_ids, votable, fit, counts, summarize_pairwise(fit, counts), top_k,
                    focus_k, votes=0, voters=0, last_vote_id=0, ideas_version=-1)
