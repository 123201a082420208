"""What a session produced: live figures for the projector, the report and its CSV files.

The room's rankings use only the votes of the session's participants, fitted with the same
engine as the whole space (`app.ranking`, `app.qv.tally`); the whole space's pairwise
ranking is the background fit the voting screens use, so a busy projector costs no refits.
"""
from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np
import sqlalchemy as sa
from flask import current_app

from app.core.csv import csv_text
from app.extensions import db
from app.models import Idea, PairwiseVote, QVAllocation, QVBallot, Space
from app.models.facilitation import FacilitatedSession, SessionIdea, SessionParticipant
from app.models.idea import PUBLIC_STATUSES, VOTABLE_STATUSES
from app.qv.tally import tally_quadratic
from app.pairwise.refits import refitter
from app.pairwise.standings import fit_answers

TOP = 5
LIVE_TTL_SECONDS = 2.0
#: Fewest answered comparisons (wins + losses + ties) before the projector shows an idea's
#: pairwise score: one win alone reads as "70.6 / 100", which a room takes for a verdict.
MIN_COMPARISONS = 5


def room_votes(session_id: int) -> sa.Select:
    """Every pairwise vote cast in the session, oldest first."""
    return (sa.select(PairwiseVote)
            .join(SessionParticipant, SessionParticipant.voter_id == PairwiseVote.voter_id)
            .where(SessionParticipant.session_id == session_id)
            .order_by(PairwiseVote.id))


def room_allocations(session: FacilitatedSession) -> sa.Select:
    """(voter_id, idea_id, votes) of the session's ballots, on ideas still open to votes."""
    return (sa.select(QVBallot.voter_id, QVAllocation.idea_id, QVAllocation.votes)
            .join(QVAllocation, QVAllocation.ballot_id == QVBallot.id)
            .join(SessionParticipant, SessionParticipant.voter_id == QVBallot.voter_id)
            .join(Idea, Idea.id == QVAllocation.idea_id)
            .where(SessionParticipant.session_id == session.id,
                   QVBallot.space_id == session.space_id, Idea.status.in_(VOTABLE_STATUSES))
            .order_by(QVBallot.voter_id, QVAllocation.idea_id))


def counts(session: FacilitatedSession) -> dict:
    """Participants (by kiosk and phone), votes, ballots and ideas of the session."""
    by_via = dict(db.session.execute(
        sa.select(SessionParticipant.via, sa.func.count())
        .where(SessionParticipant.session_id == session.id,
               SessionParticipant.started_at.is_not(None))
        .group_by(SessionParticipant.via)).all())
    votes = db.session.scalar(
        sa.select(sa.func.count(PairwiseVote.id))
        .join(SessionParticipant, SessionParticipant.voter_id == PairwiseVote.voter_id)
        .where(SessionParticipant.session_id == session.id))
    ballots = db.session.scalar(
        sa.select(sa.func.count(QVBallot.id))
        .join(SessionParticipant, SessionParticipant.voter_id == QVBallot.voter_id)
        .where(SessionParticipant.session_id == session.id, QVBallot.credits_used > 0))
    ideas = db.session.scalar(sa.select(sa.func.count(SessionIdea.id))
                              .where(SessionIdea.session_id == session.id))
    return {"participants": sum(by_via.values()), "kiosk": by_via.get("kiosk", 0),
            "phone": by_via.get("phone", 0), "votes": votes, "ballots": ballots,
            "ideas_added": ideas}


def pairwise_table(rows: Iterable[tuple[int, int, str]]) -> list[dict]:
    """Bradley-Terry rows best first from (left id, right id, choice) of public ideas."""
    rows = list(rows)
    ids = sorted({i for left, right, _ in rows for i in (left, right)})
    if not ids:
        return []
    position = {idea_id: p for p, idea_id in enumerate(ids)}
    _fit, _counts, summary = fit_answers(len(ids), ((position[l], position[r], c) for l, r, c in rows))
    return [{"id": ids[p], "score": round(float(summary.score[p]), 1),
             "wins": int(summary.wins[p]), "losses": int(summary.losses[p]),
             "ties": int(summary.ties[p]), "shown": int(summary.appearances[p]),
             "compared": int(summary.wins[p] + summary.losses[p] + summary.ties[p])}
            for p in summary.order()]


def thin_scores_last(rows: list[dict], minimum: int = MIN_COMPARISONS) -> list[dict]:
    """Rows with fewer than `minimum` comparisons lose their score (None) and go last,
    in the order they had; the others keep theirs."""
    enough = [r for r in rows if r["compared"] >= minimum]
    thin = [dict(r, score=None) for r in rows if r["compared"] < minimum]
    return enough + thin


def quadratic_table(rows: Iterable[tuple[int, int, int]]) -> list[dict]:
    """Net votes per idea, best first, from (voter id, idea id, votes) allocations."""
    rows = np.array(list(rows), dtype=np.int64).reshape(-1, 3)
    if rows.size == 0:
        return []
    ids = np.unique(rows[:, 1])
    tally = tally_quadratic(ids.size, rows[:, 0], np.searchsorted(ids, rows[:, 1]), rows[:, 2])
    order = np.lexsort((ids, -tally.voters, -tally.votes_net))
    return [{"id": int(ids[k]), "votes": int(tally.votes_net[k]), "voters": int(tally.voters[k]),
             "credits": int(tally.credits[k])} for k in order]


def room_pairwise(session: FacilitatedSession) -> list[dict]:
    rows = db.session.execute(
        sa.select(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id, PairwiseVote.choice)
        .join(SessionParticipant, SessionParticipant.voter_id == PairwiseVote.voter_id)
        .join(Idea, Idea.id == PairwiseVote.left_idea_id)
        .where(SessionParticipant.session_id == session.id, Idea.status.in_(PUBLIC_STATUSES),
               PairwiseVote.right_idea_id.in_(
                   sa.select(Idea.id).where(Idea.space_id == session.space_id,
                                            Idea.status.in_(PUBLIC_STATUSES))))).all()
    return pairwise_table(rows)


def room_quadratic(session: FacilitatedSession) -> list[dict]:
    return quadratic_table(db.session.execute(room_allocations(session)).all())


def space_pairwise(space_id: int, top: int) -> list[dict]:
    standings = refitter().current(space_id)
    s = standings.summary
    rows = [{"id": int(standings.idea_ids[p]), "score": round(float(s.score[p]), 1),
             "shown": int(s.appearances[p]), "compared": int(s.wins[p] + s.losses[p] + s.ties[p])}
            for p in s.order()]
    return thin_scores_last(rows)[:top]


def space_quadratic(space_id: int, top: int) -> list[dict]:
    rows = db.session.execute(
        sa.select(QVBallot.voter_id, QVAllocation.idea_id, QVAllocation.votes)
        .join(QVAllocation, QVAllocation.ballot_id == QVBallot.id)
        .join(Idea, Idea.id == QVAllocation.idea_id)
        .where(QVBallot.space_id == space_id, Idea.status.in_(VOTABLE_STATUSES))).all()
    return quadratic_table(rows)[:top]


def with_titles(rows: list[dict]) -> list[dict]:
    """Rows with each idea's title and category, in one query."""
    ideas = {i.id: i for i in db.session.scalars(
        sa.select(Idea).where(Idea.id.in_([r["id"] for r in rows])))}
    return [dict(r, title=ideas[r["id"]].title, category=ideas[r["id"]].category)
            for r in rows if r["id"] in ideas]


def live(session: FacilitatedSession, top: int = TOP) -> dict:
    """The projector's figures; cached a moment so many screens polling cost one query set."""
    cache = current_app.extensions.setdefault("plaza_session_live", {})
    hit = cache.get((session.id, top))
    if hit is not None and time.monotonic() - hit[0] < LIVE_TTL_SECONDS:
        return hit[1]
    payload = {"counts": counts(session), "room": {}, "space": {}}
    show_room = session.show_room_results
    show_space = db.session.scalar(sa.select(Space.show_results).where(Space.id == session.space_id))
    if session.uses_pairwise:
        if show_room:
            payload["room"]["pairwise"] = with_titles(thin_scores_last(room_pairwise(session))[:top])
        if show_space:
            payload["space"]["pairwise"] = with_titles(space_pairwise(session.space_id, top))
    if session.uses_quadratic:
        if show_room:
            payload["room"]["quadratic"] = with_titles(room_quadratic(session)[:top])
        if show_space:
            payload["space"]["quadratic"] = with_titles(space_quadratic(session.space_id, top))
    cache[(session.id, top)] = (time.monotonic(), payload)
    while len(cache) > 64:
        cache.pop(next(iter(cache)))
    return payload


def forget_live(session_id: int) -> None:
    """Drop the cached figures so the next poll sees a change at once."""
    cache = current_app.extensions.get("plaza_session_live", {})
    for key in [k for k in cache if k[0] == session_id]:
        cache.pop(key, None)


def participant_numbers(session_id: int) -> dict[int, int]:
    """voter id -> 1, 2, 3… in the order participants started: how the report names them."""
    rows = db.session.execute(
        sa.select(SessionParticipant.voter_id)
        .where(SessionParticipant.session_id == session_id,
               SessionParticipant.started_at.is_not(None))
        .order_by(SessionParticipant.started_at, SessionParticipant.id)).scalars()
    return {voter_id: n for n, voter_id in enumerate(rows, start=1)}


def added_ideas(session_id: int) -> sa.Select:
    return (sa.select(Idea).join(SessionIdea, SessionIdea.idea_id == Idea.id)
            .where(SessionIdea.session_id == session_id).order_by(Idea.id))


def ideas_csv(session: FacilitatedSession) -> str:
    """One row per idea the room voted on or added: both rankings side by side."""
    pairwise = {r["id"]: r for r in room_pairwise(session)} if session.uses_pairwise else {}
    quadratic = {r["id"]: r for r in room_quadratic(session)} if session.uses_quadratic else {}
    added = set(db.session.scalars(sa.select(SessionIdea.idea_id)
                                   .where(SessionIdea.session_id == session.id)))
    ids = list(pairwise) + [i for i in quadratic if i not in pairwise] + sorted(
        added - set(pairwise) - set(quadratic))
    ideas = {i.id: i for i in db.session.scalars(sa.select(Idea).where(Idea.id.in_(ids)))}
    rows = []
    for idea_id in ids:
        idea, p, q = ideas[idea_id], pairwise.get(idea_id, {}), quadratic.get(idea_id, {})
        rows.append([idea_id, idea.title, idea.category, idea.status, p.get("score"),
                     p.get("wins"), p.get("losses"), p.get("ties"), p.get("shown"),
                     q.get("votes"), q.get("voters"), "yes" if idea_id in added else "no"])
    return csv_text(["idea_id", "title", "category", "status", "room_pairwise_score", "wins",
                   "losses", "ties", "shown", "room_qv_net_votes", "room_qv_voters",
                   "added_in_session"], rows)


def votes_csv(session: FacilitatedSession, local_time) -> str:
    """Every pairwise vote of the room; `local_time` formats a UTC time at the place."""
    numbers = participant_numbers(session.id)
    votes = db.session.scalars(room_votes(session.id)).all()
    titles = dict(db.session.execute(sa.select(Idea.id, Idea.title).where(Idea.id.in_(
        {v.left_idea_id for v in votes} | {v.right_idea_id for v in votes}))).all())
    return csv_text(["received_at", "participant", "left_id", "left_title", "right_id",
                   "right_title", "choice", "skip_reason"],
                  ([local_time(v.created_at), numbers.get(v.voter_id), v.left_idea_id,
                    titles.get(v.left_idea_id), v.right_idea_id, titles.get(v.right_idea_id),
                    v.choice, v.skip_reason] for v in votes))


def ballots_csv(session: FacilitatedSession) -> str:
    """Every ballot line of the room: participant, idea, votes and the credits they cost."""
    numbers = participant_numbers(session.id)
    rows = db.session.execute(room_allocations(session)).all()
    titles = dict(db.session.execute(sa.select(Idea.id, Idea.title).where(
        Idea.id.in_({r[1] for r in rows}))).all())
    return csv_text(["participant", "idea_id", "title", "votes", "credits"],
                  ([numbers.get(voter), idea_id, titles.get(idea_id), votes, votes * votes]
                   for voter, idea_id, votes in rows))


def participants_report(session: FacilitatedSession) -> list[dict]:
    """Per participant who took part: how they joined, when, and what they did."""
    numbers = participant_numbers(session.id)
    people = db.session.scalars(
        sa.select(SessionParticipant).where(SessionParticipant.session_id == session.id,
                                            SessionParticipant.started_at.is_not(None))
        .order_by(SessionParticipant.started_at, SessionParticipant.id)).all()
    votes = dict(db.session.execute(
        sa.select(PairwiseVote.voter_id, sa.func.count())
        .join(SessionParticipant, SessionParticipant.voter_id == PairwiseVote.voter_id)
        .where(SessionParticipant.session_id == session.id)
        .group_by(PairwiseVote.voter_id)).all())
    credits = dict(db.session.execute(
        sa.select(QVBallot.voter_id, QVBallot.credits_used)
        .join(SessionParticipant, SessionParticipant.voter_id == QVBallot.voter_id)
        .where(SessionParticipant.session_id == session.id)).all())
    ideas = dict(db.session.execute(
        sa.select(SessionIdea.participant_id, sa.func.count())
        .where(SessionIdea.session_id == session.id)
        .group_by(SessionIdea.participant_id)).all())
    return [{"number": numbers[p.voter_id], "via": p.via, "started_at": p.started_at,
             "votes": votes.get(p.voter_id, 0), "credits": credits.get(p.voter_id, 0),
             "ideas": ideas.get(p.id, 0)} for p in people]
