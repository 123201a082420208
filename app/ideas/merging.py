"""Merging a duplicate idea into the one kept, its preview, and undoing it.

The duplicate is hidden through the transition table like any other status change, so an
idea the city has decided on (adopted, declined, implemented) cannot be merged away: its
public answer would vanish with no decision logged. Staff decide on the kept idea instead.

The rule (app/ideas/merge_rules.py, DROP; README "Merging a duplicate"): the duplicate's
pairwise votes do not become the kept idea's. They judged another wording, often a weaker
one, and on the Mercator wiki survey moving them sank the kept idea by up to 19 places
(benchmarks/merge_rules.py). They stay stored on the hidden duplicate, which the fit leaves
out, so an undo brings them back exactly. Quadratic credits are a direct "I want this",
so they move: a ballot that voted on both keeps the larger vote (by size), and no ballot
can go over its budget by a merge (max(|a|,|b|)² ≤ a² + b²).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone

import numpy as np
import sqlalchemy as sa

from app.extensions import db
from app.ideas.merge_rules import DROP, Votes, merge_votes
from app.ideas.transitions import TransitionError, label, transition
from app.models import Idea, IdeaMerge, PairwiseVote, QVAllocation, QVBallot
from app.models.idea import PUBLIC_STATUSES
from app.ranking import map_bt_pairwise, summarize_pairwise, count_pairwise
from app.text import _
from app.pairwise.standings import OUTCOME


class MergeError(ValueError):
    """A merge, or its undo, that cannot happen; the message says why, for staff."""


def check_merge(kept: Idea, merged: Idea) -> None:
    if kept.id == merged.id:
        raise MergeError(_("An idea cannot be merged into itself."))
    if kept.space_id != merged.space_id:
        raise MergeError(_("Both ideas must belong to the same space."))
    if merged.merged_into_id is not None:
        raise MergeError(_("This idea was already merged."))
    if kept.merged_into_id is not None:
        raise MergeError(_("The idea to keep was itself merged into another one."))
    try:
        transition(merged.status, "hidden")
    except TransitionError as exc:
        raise MergeError(_("“%(title)s” is %(status)s: the city's answer on it would disappear. "
                           "Merge the other idea into it instead.",
                           title=merged.title, status=label(merged.status))) from exc


def merge_ideas(kept: Idea, merged: Idea, actor_id: int | None) -> IdeaMerge:
    """Hide `merged` as a duplicate of `kept` and move its ballots; the caller commits."""
    check_merge(kept, merged)
    ballots = _move_allocations(merged.id, kept.id)
    record = IdeaMerge(space_id=kept.space_id, kept_id=kept.id, duplicate_id=merged.id, actor_id=actor_id,
                       moved={"status": merged.status, "ballots": ballots})
    merged.merged_into_id = kept.id
    merged.status = transition(merged.status, "hidden")
    db.session.add(record)
    db.session.flush()
    return record


def _move_allocations(duplicate_id: int, kept_id: int) -> list[dict]:
    """Move every ballot's votes on the duplicate to the kept idea (a ballot with both keeps
    the larger vote); returns what undo needs to put them back.

    A handful of statements whatever the number of ballots (one merge in a space with
    thousands of ballots ran about four for each): the ballots are locked and read at once,
    and written back in bulk. The new revisions change the ballots' version, as a save does.
    """
    affected = sa.select(QVAllocation.ballot_id).where(QVAllocation.idea_id == duplicate_id)
    ballots = db.session.execute(sa.select(QVBallot.id, QVBallot.revision).where(QVBallot.id.in_(affected))
                                 .order_by(QVBallot.id).with_for_update()).all()
    votes: dict[int, dict[int, int]] = defaultdict(dict)
    for ballot_id, idea_id, n in db.session.execute(
            sa.select(QVAllocation.ballot_id, QVAllocation.idea_id, QVAllocation.votes)
            .where(QVAllocation.ballot_id.in_(affected))):
        votes[ballot_id][idea_id] = n
    moved, added, larger, recounted = [], [], [], []
    now = datetime.now(timezone.utc)
    for ballot_id, revision in ballots:
        own = votes[ballot_id]
        duplicate, other = own.pop(duplicate_id), own.get(kept_id)
        moved.append({"ballot_id": ballot_id, "duplicate_votes": duplicate, "kept_votes": other,
                      "revision": revision + 1})
        if other is None:
            added.append({"ballot_id": ballot_id, "idea_id": kept_id, "votes": duplicate})
        elif abs(duplicate) > abs(other):
            larger.append({"ballot_id": ballot_id, "idea_id": kept_id, "votes": duplicate})
        own[kept_id] = duplicate if other is None or abs(duplicate) > abs(other) else other
        recounted.append({"id": ballot_id, "credits_used": sum(v * v for v in own.values()),
                          "revision": revision + 1, "updated_at": now})
    if moved:
        db.session.execute(sa.delete(QVAllocation).where(QVAllocation.idea_id == duplicate_id),
                           execution_options={"synchronize_session": "fetch"})
        for statement, rows in ((sa.insert(QVAllocation), added), (sa.update(QVAllocation), larger),
                                (sa.update(QVBallot), recounted)):
            if rows:
                db.session.execute(statement, rows)
    return moved


def _recount(ballot: QVBallot) -> None:
    db.session.flush()
    ballot.credits_used = sum(a.votes ** 2 for a in db.session.scalars(
        sa.select(QVAllocation).where(QVAllocation.ballot_id == ballot.id)))
    ballot.revision += 1


def undo_merge(record: IdeaMerge) -> Idea:
    """Restore the duplicate and its ballots as they were; MergeError says why it cannot."""
    check_undo(record, lock=True)
    duplicate = db.session.get(Idea, record.duplicate_id)
    for moved in record.moved["ballots"]:
        ballot = db.session.get(QVBallot, moved["ballot_id"])
        kept = db.session.get(QVAllocation, (ballot.id, record.kept_id))
        if moved["kept_votes"] is None:
            if kept is not None:
                db.session.delete(kept)
        else:
            kept.votes = moved["kept_votes"]
        db.session.add(QVAllocation(ballot_id=ballot.id, idea_id=duplicate.id, votes=moved["duplicate_votes"]))
        _recount(ballot)
    duplicate.merged_into_id = None
    duplicate.status = record.moved["status"]
    record.undone_at = datetime.now(timezone.utc)
    return duplicate


def check_undo(record: IdeaMerge, lock: bool = False) -> None:
    """An undo is clean only while nothing it would overwrite has changed since the merge;
    `lock` holds the ballots until the commit, so none changes between check and undo."""
    if record.undone_at is not None:
        raise MergeError(_("This merge was already undone."))
    duplicate, kept = db.session.get(Idea, record.duplicate_id), db.session.get(Idea, record.kept_id)
    if duplicate is None or kept is None:
        raise MergeError(_("One of the two ideas was deleted since the merge."))
    if duplicate.merged_into_id != kept.id or duplicate.status != "hidden":
        raise MergeError(_("“%(title)s” was changed since the merge.", title=duplicate.title))
    if kept.merged_into_id is not None:
        raise MergeError(_("“%(title)s” was itself merged into another idea since: undo that merge first.",
                           title=kept.title))
    for moved in record.moved["ballots"]:
        ballot = db.session.get(QVBallot, moved["ballot_id"], with_for_update=lock)
        if ballot is None or ballot.revision != moved["revision"]:
            raise MergeError(_("A voter changed a ballot after the merge: undoing it would overwrite "
                               "their new choice."))


def undo_refusals(merge_ids: list[int]) -> dict[int, str | None]:
    """Merge id -> None when it can be undone now, else why not (the audit page shows it)."""
    reasons: dict[int, str | None] = {}
    for record in db.session.scalars(sa.select(IdeaMerge).where(IdeaMerge.id.in_(merge_ids))):
        try:
            check_undo(record)
            reasons[record.id] = None
        except MergeError as exc:
            reasons[record.id] = str(exc)
    return reasons


def preview_merge(kept: Idea, duplicate: Idea) -> dict:
    """What a merge would do, counted on the stored votes and fitted on a copy of them.

    ``place_now``/``place_after`` are the kept idea's strict places among the public
    ideas, before and after (the same fit as the results page, without the duplicate).
    """
    on_dup = sa.or_(PairwiseVote.left_idea_id == duplicate.id, PairwiseVote.right_idea_id == duplicate.id)
    on_kept = sa.or_(PairwiseVote.left_idea_id == kept.id, PairwiseVote.right_idea_id == kept.id)
    count = lambda *where: db.session.scalar(sa.select(sa.func.count(PairwiseVote.id)).where(*where))  # noqa: E731
    allocations = db.session.execute(
        sa.select(QVAllocation.ballot_id, QVAllocation.idea_id)
        .where(QVAllocation.idea_id.in_((kept.id, duplicate.id)))).all()
    dup_ballots = {b for b, i in allocations if i == duplicate.id}
    both = dup_ballots & {b for b, i in allocations if i == kept.id}
    now, after, ideas = _places(kept, duplicate)
    return {"pairwise_set_aside": count(on_dup), "pairwise_between": count(on_dup, on_kept),
            "pairwise_kept": count(on_kept, sa.not_(on_dup)), "ballots_moved": len(dup_ballots),
            "ballots_both": len(both), "place_now": now, "place_after": after, "ideas_now": ideas,
            "ideas_after": ideas - (1 if duplicate.status in PUBLIC_STATUSES else 0)}


def _places(kept: Idea, duplicate: Idea) -> tuple[int | None, int | None, int]:
    ids = db.session.scalars(sa.select(Idea.id).where(
        Idea.space_id == kept.space_id, Idea.status.in_(PUBLIC_STATUSES)).order_by(Idea.id)).all()
    position = {i: p for p, i in enumerate(ids)}
    rows = [r for r in db.session.execute(
        sa.select(PairwiseVote.voter_id, PairwiseVote.left_idea_id, PairwiseVote.right_idea_id,
                  PairwiseVote.choice).where(PairwiseVote.space_id == kept.space_id)).all()
            if r[3] != "skip" and r[1] in position and r[2] in position]
    votes = Votes(np.array([r[0] for r in rows], dtype=np.int64),
                  np.array([position[r[1]] for r in rows], dtype=np.intp),
                  np.array([position[r[2]] for r in rows], dtype=np.intp),
                  np.array([OUTCOME[r[3]] for r in rows], dtype=np.float64))
    if kept.id not in position:
        return None, None, len(ids)
    k = position[kept.id]
    now = _place(len(ids), votes, k)
    if duplicate.id not in position:
        return now, now, len(ids)
    d = position[duplicate.id]
    after = merge_votes(votes, k, d, DROP)  # no vote names the duplicate now: take it out
    after = Votes(after.voter, after.left - (after.left > d), after.right - (after.right > d), after.outcome)
    return now, _place(len(ids) - 1, after, k - (k > d)), len(ids)


def _place(n: int, votes: Votes, idea: int) -> int:
    summary = summarize_pairwise(map_bt_pairwise(n, votes.left, votes.right, votes.outcome),
                                 count_pairwise(n, votes.left, votes.right, votes.outcome))
    return int(np.flatnonzero(summary.order() == idea)[0]) + 1
