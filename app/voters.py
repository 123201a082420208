"""Voting identities: each account, anonymous browser or kiosk participant is one Voter."""
from __future__ import annotations

from app.extensions import db
from app.models import Voter
from app.upserts import insert_unless_present, select_id


def _get_or_create(column, value) -> int:
    """The voter's id, creating the row once even when two requests race to do it."""
    existing = db.session.scalar(select_id(Voter, **{column.key: value}))
    if existing is not None:
        return existing
    insert_unless_present(Voter, {column.key: value}, unique=[column.key])
    return db.session.scalar(select_id(Voter, **{column.key: value}))


def voter_id_for_user(user_id: int) -> int:
    return _get_or_create(Voter.user_id, user_id)


def voter_id_for_anon_key(anon_key: str) -> int:
    return _get_or_create(Voter.anon_key, anon_key)
