"""What a tablet sends when the network is back: starts, votes, ballots and ideas, each once.

Every item carries an idempotency key and is applied in its own transaction, so one bad
item never holds back the others and a resend (the answer was lost on a flaky network)
counts nothing twice:

- a vote's key is its signed pair id, whose nonce is unique in `pairwise_votes`;
- a ballot carries a sequence number per participant, applied by compare-and-set, so a
  resent or older ballot never replaces a newer one;
- an idea's key is unique per participant in `session_ideas`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.extensions import db
from app.core.errors import Invalid, Refused
from app.ideas.commands import submit_idea
from app.ideas.drafts import draft_from_mapping
from app.models import Idea, Space
from app.models.facilitation import FacilitatedSession, SessionIdea, SessionParticipant
from app.qv.ballots import save_ballot, votable_idea_ids
from app.qv.budget import BallotError
from app.sessions.participants import mark_started, read_participant
from app.text import _
from app.sessions.windows import WindowState, issued_in_time, window_state
from app.pairwise import tokens
from app.core.errors import DomainError
from app.pairwise.service import AlreadyCompared, record_vote, votes_by

MAX_ITEMS = 100
# Every pair of 25 ideas; a person at a kiosk answers a few dozen.
MAX_VOTES_PER_PARTICIPANT = 300
MAX_SEQ = 1_000_000
KINDS = ("start", "vote", "ballot", "idea")
_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}", re.ASCII)

SAVED, DUPLICATE, REFUSED, RETRY = "saved", "duplicate", "refused", "retry"


class ItemRefused(Exception):
    """An item that can never be applied; the message says why, for the facilitator."""


def check_items(payload: object) -> list[Mapping]:
    """The items of a sync request, or ValueError with what is wrong with its shape."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("items"), list):
        raise ValueError(_('Send a JSON object: {"items": [{"key": ..., "kind": ..., ...}]}.'))
    items = payload["items"]
    if len(items) > MAX_ITEMS:
        raise ValueError(_("Send at most %(n)s items at a time.", n=MAX_ITEMS))
    return items


def apply_items(session: FacilitatedSession, items: list[object], now: datetime) -> list[dict]:
    """Apply each item on its own; one result per item, in order."""
    space = db.session.get(Space, session.space_id)
    results = []
    for item in items:
        key = item.get("key") if isinstance(item, Mapping) else None
        result: dict = {"key": key if isinstance(key, str) else None}
        try:
            if not isinstance(key, str) or not _KEY.fullmatch(key):
                raise ItemRefused(_("Each item needs a key of 8 to 64 letters, digits, - or _."))
            result["status"] = apply_item(session, space, item, now)
        except (ItemRefused, DomainError, BallotError) as exc:
            db.session.rollback()
            result.update(status=REFUSED, error=getattr(exc, "message", None) or str(exc))
        except SQLAlchemyError:
            # The database hiccuped: nothing of this item was kept; the tablet sends it again.
            db.session.rollback()
            result.update(status=RETRY,
                          error=_("The server could not store this yet; it will be sent again."))
        results.append(result)
    return results


def apply_item(session: FacilitatedSession, space: Space, item: Mapping, now: datetime) -> str:
    kind = item.get("kind")
    if kind not in KINDS:
        raise ItemRefused(_("kind must be one of: %(kinds)s.", kinds=", ".join(KINDS)))
    ref = read_participant(session, item.get("participant"))
    exists = db.session.scalar(sa.select(SessionParticipant.id).where(
        SessionParticipant.id == ref.participant_id, SessionParticipant.session_id == session.id))
    if exists is None:
        raise ItemRefused(_("This participant is no longer part of the session."))
    mark_started(ref.participant_id, now)
    if kind == "start":
        db.session.commit()
        return SAVED
    if kind == "vote":
        if not session.uses_pairwise:
            raise ItemRefused(_("This session does not use pairwise voting."))
        check_vote_in_time(session, ref.voter_id, item.get("pair_id"), space.id)
        # The same vote sent twice at once is a replay to record_vote: created is False; a
        # second pair id for two ideas the participant already compared counts once too.
        try:
            _vote, created = record_vote(space, ref.voter_id, item.get("pair_id"), item.get("choice"),
                                         item.get("reason"))
        except AlreadyCompared:
            created = False
        db.session.commit()
        return SAVED if created else DUPLICATE
    if kind == "ballot":
        return _apply_ballot(session, space, ref.participant_id, ref.voter_id, item)
    return _apply_idea(session, space, ref.participant_id, item)


def check_vote_in_time(session: FacilitatedSession, voter_id: int, pair_id: object, space_id: int) -> None:
    """After the end, the grace time covers votes on pairs handed out while the session ran;
    and no participant answers more pairs than a person at a kiosk ever would."""
    try:
        token = tokens.read(pair_id)
    except tokens.PairTokenError as exc:
        raise ItemRefused(str(exc)) from exc
    if not issued_in_time(token.issued_at, session.ends_at):
        raise ItemRefused(_("This pair was handed out after the session ended."))
    if votes_by(space_id, voter_id) >= MAX_VOTES_PER_PARTICIPANT:
        raise ItemRefused(_("This participant has answered %(n)s pairs, the most one person may.",
                            n=MAX_VOTES_PER_PARTICIPANT))


def _apply_ballot(session: FacilitatedSession, space: Space, participant_id: int, voter_id: int,
                  item: Mapping) -> str:
    if not session.uses_quadratic:
        raise ItemRefused(_("This session does not use quadratic voting."))
    seq = item.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= MAX_SEQ:
        raise ItemRefused(_("seq must be a whole number from 1 to %(max)s.", max=MAX_SEQ))
    # Compare-and-set: only a ballot newer than the last one applied goes through. On
    # PostgreSQL the row lock makes a concurrent resend wait, then find the new seq.
    newer = db.session.execute(
        sa.update(SessionParticipant)
        .where(SessionParticipant.id == participant_id, SessionParticipant.ballot_seq < seq)
        .values(ballot_seq=seq))
    if newer.rowcount == 0:
        db.session.commit()  # keeps the start mark
        return DUPLICATE
    save_ballot(space, voter_id, without_withdrawn(space.id, item.get("allocations")))
    db.session.commit()
    return SAVED


def without_withdrawn(space_id: int, allocations: object) -> object:
    """A ballot cast offline minus votes on ideas withdrawn since (hidden, declined…).

    Such votes would count nowhere anyway (see app.qv.budget); refusing the whole ballot
    for them would lose the participant's other choices, and they have left the room.
    """
    if not isinstance(allocations, Mapping):
        return allocations  # save_ballot says what is wrong with it
    votable = {str(i) for i in db.session.scalars(votable_idea_ids(space_id))}
    known = set(db.session.scalars(sa.select(sa.cast(Idea.id, sa.String)).where(
        Idea.space_id == space_id, Idea.id.in_([int(k) for k in allocations
                                                if isinstance(k, str) and k.isascii() and k.isdigit() and len(k) < 18]))))
    return {k: v for k, v in allocations.items() if k in votable or k not in known}


def _apply_idea(session: FacilitatedSession, space: Space, participant_id: int,
                item: Mapping) -> str:
    key = item["key"]
    already = sa.select(SessionIdea.id).where(SessionIdea.participant_id == participant_id,
                                              SessionIdea.client_key == key)
    if db.session.scalar(already) is not None:
        db.session.commit()
        return DUPLICATE
    if not session.collect_ideas:
        raise ItemRefused(_("This session does not collect ideas."))
    if window_state(session.starts_at, session.ends_at, datetime.now(timezone.utc)) is WindowState.ENDED:
        raise ItemRefused(_("This session has ended; it takes no new ideas."))
    draft, wrong = draft_from_mapping(item)
    if wrong:
        raise ItemRefused(next(iter(wrong.values())))
    try:
        with db.session.begin_nested():
            idea = submit_idea(space, None, draft, place_required=False)
            db.session.add(SessionIdea(session_id=session.id, participant_id=participant_id,
                                       idea_id=idea.id, client_key=key))
    except (Invalid, Refused) as exc:
        raise ItemRefused(next(iter(getattr(exc, "fields", {}).values()), exc.message)) from exc
    except IntegrityError:  # the same idea sent twice at once: the first one won
        db.session.commit()
        return DUPLICATE
    db.session.commit()
    return SAVED
