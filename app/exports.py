"""Exports of a space: ideas with both rankings (CSV, GeoJSON), pairwise votes, QV ballots.

Rows are produced as lists so the staff pages and `flask export` write the same files.
Voters appear only as keyed hashes: the same voter keeps the same code within an export
file set, but no code leads back to an account or a browser.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import Idea, PairwiseVote, QVAllocation, QVBallot, Space
from app.results.ranking import ranking

IDEA_COLUMNS = ["id", "title", "category", "status", "lat", "lng", "created_at", "staff_response",
                "pairwise_rank", "pairwise_score", "pairwise_ci_low", "pairwise_ci_high",
                "wins", "losses", "ties", "appearances", "pairwise_p_top",
                "quadratic_rank", "quadratic_score", "quadratic_ci_low", "quadratic_ci_high",
                "votes_net", "votes_for", "votes_against", "credits", "qv_voters"]
# Close to All Our Ideas' vote export, so existing analysis scripts need little change.
VOTE_COLUMNS = ["vote_id", "voter", "winner_id", "winner_text", "loser_id", "loser_text",
                "left_choice_id", "right_choice_id", "choice", "skip_reason", "created_at"]
BALLOT_COLUMNS = ["voter", "idea_id", "idea_title", "votes", "credits", "budget", "updated_at"]


def voter_code(voter_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return "v-" + hmac.new(key, f"voter:{voter_id}".encode(), hashlib.sha256).hexdigest()[:12]


def idea_records(space: Space) -> list[dict]:
    """Every public idea with its place in both rankings (pairwise order)."""
    pairwise = {r["id"]: r for r in ranking(space, "pairwise")["ideas"]}
    quadratic = {r["id"]: r for r in ranking(space, "quadratic")["ideas"]}
    ideas = {i.id: i for i in db.session.scalars(sa.select(Idea).where(Idea.id.in_(list(pairwise))))}
    records = []
    for idea_id, p in pairwise.items():
        idea, q = ideas[idea_id], quadratic.get(idea_id, {})
        records.append({
            "id": idea.id, "title": idea.title, "category": idea.category, "status": idea.status,
            "lat": idea.lat, "lng": idea.lng, "created_at": idea.created_at.isoformat(),
            "staff_response": idea.staff_response or "",
            "pairwise_rank": p["rank"], "pairwise_score": p["score"], "pairwise_ci_low": p["ci_low"],
            "pairwise_ci_high": p["ci_high"], "wins": p["wins"], "losses": p["losses"],
            "ties": p["ties"], "appearances": p["appearances"], "pairwise_p_top": p["p_top"],
            "quadratic_rank": q.get("rank"), "quadratic_score": q.get("score"),
            "quadratic_ci_low": q.get("ci_low"), "quadratic_ci_high": q.get("ci_high"),
            "votes_net": q.get("votes_net"), "votes_for": q.get("votes_for"),
            "votes_against": q.get("votes_against"), "credits": q.get("credits"),
            "qv_voters": q.get("voters"),
        })
    return records


def idea_rows(space: Space) -> Iterator[list]:
    for record in idea_records(space):
        yield [record[c] for c in IDEA_COLUMNS]


def ideas_geojson(space: Space) -> str:
    features = [
        {"type": "Feature",
         "geometry": None if r["lat"] is None else {"type": "Point", "coordinates": [r["lng"], r["lat"]]},
         "properties": {k: v for k, v in r.items() if k not in ("lat", "lng")}}
        for r in idea_records(space)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def vote_rows(space: Space) -> Iterator[list]:
    titles = dict(db.session.execute(sa.select(Idea.id, Idea.title).where(Idea.space_id == space.id)).all())
    votes = db.session.execute(
        sa.select(PairwiseVote).where(PairwiseVote.space_id == space.id)
        .order_by(PairwiseVote.id).execution_options(yield_per=2000)).scalars()
    for v in votes:
        winner, loser = {"left": (v.left_idea_id, v.right_idea_id),
                         "right": (v.right_idea_id, v.left_idea_id)}.get(v.choice, (None, None))
        yield [v.id, voter_code(v.voter_id), winner or "", titles.get(winner, ""), loser or "",
               titles.get(loser, ""), v.left_idea_id, v.right_idea_id, v.choice,
               v.skip_reason or "", v.created_at.isoformat()]


def ballot_rows(space: Space) -> Iterator[list]:
    titles = dict(db.session.execute(sa.select(Idea.id, Idea.title).where(Idea.space_id == space.id)).all())
    rows = db.session.execute(
        sa.select(QVBallot.voter_id, QVAllocation.idea_id, QVAllocation.votes, QVBallot.budget,
                  QVBallot.updated_at)
        .join(QVAllocation, QVAllocation.ballot_id == QVBallot.id)
        .where(QVBallot.space_id == space.id).order_by(QVBallot.id, QVAllocation.idea_id))
    for voter_id, idea_id, votes, budget, updated in rows:
        yield [voter_code(voter_id), idea_id, titles.get(idea_id, ""), votes, votes * votes,
               budget, updated.isoformat()]


def count(space: Space, kind: str) -> int:
    model = {"ideas": None, "pairwise-votes": PairwiseVote, "qv-ballots": QVAllocation}[kind]
    if model is None:
        return len(ranking(space, "pairwise")["ideas"])
    query = sa.select(sa.func.count()).select_from(model)
    if model is QVAllocation:
        query = query.join(QVBallot, QVBallot.id == QVAllocation.ballot_id)
        return db.session.scalar(query.where(QVBallot.space_id == space.id))
    return db.session.scalar(query.where(PairwiseVote.space_id == space.id))


EXPORTS = {"ideas": (IDEA_COLUMNS, idea_rows), "pairwise-votes": (VOTE_COLUMNS, vote_rows),
           "qv-ballots": (BALLOT_COLUMNS, ballot_rows)}


def rows_for(space: Space, kind: str) -> tuple[list[str], Iterator[list]]:
    header, make_rows = EXPORTS[kind]
    return header, make_rows(space)
