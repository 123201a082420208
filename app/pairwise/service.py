"""Pairwise voting as the API and the pages use it: who votes, the next pair, storing a vote."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, Invalid, LoginNeeded, Malformed, NotFound, Refused
from app.extensions import db
from app.models import PAIRWISE_CHOICES, SKIP_REASONS, Idea, PairwiseVote, Space
from app.models.columns import pair_high, pair_low, utcnow
from app.models.idea import VOTABLE_STATUSES
from app.ranking import NoPairAvailable
from app.upserts import dialect_insert, dialect_name
from app.web.voter import has_voter, voter_id
from app.eligibility import rules as eligibility
from app.pairwise import tokens
from app.pairwise.refits import note_vote_on_commit, refitter
from app.pairwise.standings import Standings

def current_voter_id(space: Space, *, create: bool) -> int | None:
    """The request's voter (app/web/voter.py). A visitor with neither an account nor a voter
    yet is told at once what the space asks of voters, before a voter row is made for them."""
    if not has_voter() and space.pairwise_rule != "anyone":
        message = eligibility.refusal(space, "pairwise")
        if space.pairwise_rule == "confirmed":
            raise LoginNeeded(message)
        raise eligibility.NotEligible(message, space.slug)
    return voter_id(create=create)


def require_open(space: Space) -> None:
    if not space.accepts_votes:
        message = (_("Voting has closed in this space.") if space.phase == "closed"
                   else _("Voting has not started in this space yet."))
        raise Refused(message)


# The statements of the voting path are built once: building and keying a statement
# costs about as much CPU as running it, on every pair and vote.
_BY_VOTER = (PairwiseVote.space_id == sa.bindparam("space_id"),
             PairwiseVote.voter_id == sa.bindparam("voter_id"))
_ANSWERED = sa.select(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id).where(*_BY_VOTER)
_VOTES_BY = sa.select(sa.func.count(PairwiseVote.id)).where(*_BY_VOTER)
_IDEAS = sa.select(Idea).where(Idea.id.in_(sa.bindparam("ids", expanding=True)))


def _answered(space_id: int, voter_id: int) -> list[tuple[int, int]]:
    return db.session.connection().execute(_ANSWERED, {"space_id": space_id, "voter_id": voter_id}).all()


def _pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def answered_pairs(space_id: int, voter_id: int) -> set[tuple[int, int]]:
    """Idea-id pairs (low, high) this voter has already answered, skips included."""
    return {_pair_key(a, b) for a, b in _answered(space_id, voter_id)}


@dataclass(frozen=True)
class Pair:
    token: str
    left: Idea
    right: Idea
    your_votes: int  # the voter's votes in this space so far, skips included


def draw_pairs(space: Space, voter_id: int, held: list[str], count: int,
               rng: np.random.Generator) -> tuple[list[tuple[Idea, Idea]], int]:
    """Up to `count` distinct pairs from the current fit that the voter has neither answered
    nor holds (`held`: pair ids shown but not answered yet), and the voter's answers so far.

    One draw for the web page (one pair) and the session tablets (a batch). NotFound when
    the space has fewer than two ideas or the voter has compared every pair; Conflict when
    ideas hidden while choosing leave no pair even after reading the fit again.
    """
    eligibility.require(space, "pairwise", voter_id)
    rows = _answered(space.id, voter_id)
    excluded = {_pair_key(a, b) for a, b in rows} | _held_pairs(space.id, voter_id, held)
    drawn: list[tuple[int, int]] = []
    ideas: dict[int, Idea] = {}
    for attempt in range(2):
        standings = refitter().current(space.id)
        if standings.chooser is None:
            raise NotFound(_("This space needs at least two ideas before voting can start."))
        drawn = _draw(standings, excluded, count, rng)
        if not drawn:
            raise NotFound(_("You have compared every pair of ideas here. Thank you!"))
        wanted = {i for pair in drawn for i in pair}
        ideas = {i.id: i for i in db.session.scalars(_IDEAS, {"ids": list(wanted)})
                 if i.status in VOTABLE_STATUSES}
        if len(ideas) == len(wanted):
            break  # else an idea was hidden just now: read the fit again, over today's ideas
    pairs = [(ideas[a], ideas[b]) for a, b in drawn if a in ideas and b in ideas]
    if not pairs:
        raise Conflict(_("The ideas changed while choosing a pair; please try again."))
    return pairs, len(rows)


def _held_pairs(space_id: int, voter_id: int, held: list[str]) -> set[tuple[int, int]]:
    """The idea pairs of this voter's pair ids in this space; unreadable ids are ignored."""
    pairs = set()
    for token in held:
        try:
            shown = tokens.read(token)
        except tokens.PairTokenError:
            continue
        if shown.voter_id == voter_id and shown.space_id == space_id:
            pairs.add(_pair_key(shown.left_id, shown.right_id))
    return pairs


def _draw(standings: Standings, excluded: set[tuple[int, int]], count: int,
          rng: np.random.Generator) -> list[tuple[int, int]]:
    """Up to `count` distinct idea-id pairs from the fit's chooser, none of them excluded."""
    positions = standings.votable_positions
    answered = {(positions[a], positions[b]) for a, b in excluded if a in positions and b in positions}
    ids = standings.idea_ids[standings.votable]
    drawn: list[tuple[int, int]] = []
    for _draw_number in range(count):
        try:
            first, second = standings.chooser.choose(answered, rng)
        except NoPairAvailable:
            break
        answered.add((min(first, second), max(first, second)))
        drawn.append((int(ids[first]), int(ids[second])))
    return drawn


def next_pair(space: Space, voter_id: int, pending: list[str], rng: np.random.Generator) -> Pair:
    """A pair the voter has not answered (nor has in flight), chosen from the current fit."""
    [(left, right)], answered = draw_pairs(space, voter_id, pending, 1, rng)
    return Pair(tokens.issue(space.id, voter_id, left.id, right.id), left, right, answered)


def record_vote(space: Space, voter_id: int, pair_id: object, choice: object,
                reason: object) -> tuple[PairwiseVote, bool]:
    """Store one answer; (the stored vote, False) when this pair id was already answered.

    The caller commits. A valid vote is one statement: an insert that checks, as it writes,
    that both ideas are still open to votes, while the database refuses a second vote on the
    pair id or on the voter's pair of ideas. Only when it stores nothing are the reasons
    looked up one by one, to give the replay back or say why the vote was refused
    (AlreadyCompared carries the voter's first answer).
    """
    token = _read_token(space, voter_id, pair_id)
    eligibility.require(space, "pairwise", voter_id)
    if space.accepts_votes and _valid_answer(choice, reason):
        stored = _insert_vote(space.id, voter_id, token, choice, reason)
        if stored is not None:
            note_vote_on_commit(space.id)
            return stored, True
    return _replay_or_refusal(space, voter_id, token, choice, reason), False


class UnknownVoter(Conflict):
    """The pair's voter is not in this database (a cookie kept across a database reset)."""


def _read_token(space: Space, voter_id: int, pair_id: object) -> tokens.PairToken:
    try:
        token = tokens.read(pair_id)
    except tokens.PairTokenError as exc:
        raise Malformed(str(exc)) from exc
    if token.space_id != space.id:
        raise Invalid(_("This pair belongs to another space."))
    if token.voter_id != voter_id:
        raise Refused(_("This pair was shown to someone else."))
    return token


def _valid_answer(choice: object, reason: object) -> bool:
    return choice in PAIRWISE_CHOICES and (reason is None or (choice == "skip" and reason in SKIP_REASONS))


def _insert_vote(space_id: int, voter_id: int, token: tokens.PairToken, choice: str,
                 reason: str | None) -> PairwiseVote | None:
    """Insert the vote if its ideas are votable, its pair unanswered and its pair id new."""
    low, high = _pair_key(token.left_id, token.right_id)
    values = {"space_id": space_id, "voter_id": voter_id, "left_idea_id": token.left_id,
              "right_idea_id": token.right_id, "choice": choice, "skip_reason": reason,
              "pair_key": token.nonce, "created_at": utcnow()}
    try:
        vote_id = db.session.connection().scalar(_vote_insert(dialect_name()),
                                                 {**values, "low": low, "high": high})
    except IntegrityError as exc:  # only the voter's foreign key is left to fail
        raise UnknownVoter(_("Your voting session has ended; load a new pair.")) from exc
    return None if vote_id is None else PairwiseVote(id=vote_id, **values)


_VOTE_COLUMNS = ("space_id", "voter_id", "left_idea_id", "right_idea_id", "choice", "skip_reason",
                 "pair_key", "created_at")


@functools.cache
def _vote_insert(dialect: str) -> sa.Insert:
    """INSERT ... SELECT the vote WHERE both ideas (low, high) are votable, ON CONFLICT DO
    NOTHING; RETURNING the new id, or nothing.

    Two unique indexes decide a conflict: the pair id (a replay) and the voter's pair of
    ideas (uq_pairwise_votes_voter_pair, a second pair id for two ideas already compared).
    """
    table = PairwiseVote.__table__
    space_id = sa.bindparam("space_id")
    low, high = sa.bindparam("low"), sa.bindparam("high")
    both_votable = (
        sa.select(sa.func.count()).select_from(Idea)
        .where(Idea.id.in_([low, high]), Idea.space_id == space_id, Idea.status.in_(VOTABLE_STATUSES))
        .scalar_subquery()
    )
    source = sa.select(*(sa.bindparam(name, type_=table.c[name].type) for name in _VOTE_COLUMNS))
    insert = dialect_insert(table, dialect).from_select(_VOTE_COLUMNS, source.where(both_votable == 2))
    return insert.on_conflict_do_nothing().returning(table.c.id)


class AlreadyCompared(Conflict):
    """The voter answered these two ideas under another pair id; `vote` is that answer."""

    def __init__(self, vote: PairwiseVote):
        super().__init__(_("You have already compared these two ideas."))
        self.vote = vote


def _replay_or_refusal(space: Space, voter_id: int, token: tokens.PairToken, choice: object,
                       reason: object) -> PairwiseVote:
    """Why nothing was stored: the original vote of a replay, or the refusal (a DomainError)."""
    replay = db.session.scalar(sa.select(PairwiseVote).where(PairwiseVote.pair_key == token.nonce))
    if replay is not None:
        return replay
    require_open(space)
    if choice not in PAIRWISE_CHOICES:
        raise Invalid(_("choice must be one of: left, right, tie, skip."))
    if not _valid_answer(choice, reason):
        raise Invalid(_("reason goes with choice 'skip' and must be one of: %(reasons)s.",
                                   reasons=", ".join(SKIP_REASONS)))
    ideas = db.session.scalars(sa.select(Idea).where(Idea.id.in_([token.left_id, token.right_id]))).all()
    if len(ideas) != 2 or any(i.space_id != space.id or i.status not in VOTABLE_STATUSES for i in ideas):
        raise Invalid(_("One of these ideas is no longer open to votes; load a new pair."))
    original = db.session.scalar(_voters_vote_on(space.id, voter_id, token.left_id, token.right_id))
    if original is not None:
        raise AlreadyCompared(original)
    raise Conflict(_("The ideas changed while storing your vote; please try again."))


def _voters_vote_on(space_id: int, voter_id: int, a: int, b: int) -> sa.Select:
    low, high = _pair_key(a, b)
    return sa.select(PairwiseVote).where(
        PairwiseVote.space_id == space_id, PairwiseVote.voter_id == voter_id,
        pair_low(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id) == low,
        pair_high(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id) == high)


def votes_by(space_id: int, voter_id: int) -> int:
    return db.session.connection().scalar(_VOTES_BY, {"space_id": space_id, "voter_id": voter_id})
