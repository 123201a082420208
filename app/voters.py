"""Voting identities: each account, anonymous browser or kiosk participant is one Voter."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Voter


def _get_or_create(column, value) -> int:
    """The voter's id, creating the row once even when two requests race to do it."""
    existing = db.session.scalar(sa.select(Voter.id).where(column == value))
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            voter = Voter(**{column.key: value})
            db.session.add(voter)
        return voter.id
    except IntegrityError:
        return db.session.scalar(sa.select(Voter.id).where(column == value))


def voter_id_for_user(user_id: int) -> int:
    return _get_or_create(Voter.user_id, user_id)


def voter_id_for_anon_key(anon_key: str) -> int:
    return _get_or_create(Voter.anon_key, anon_key)
