"""Voting identities: each account, anonymous browser or kiosk participant is one Voter."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Voter
from app.upserts import insert_unless_present

# Built once: a ballot save looks its voter up on every request.
_VOTER_ID = {column.key: sa.select(Voter.id).where(column == sa.bindparam("value"))
             for column in (Voter.user_id, Voter.anon_key)}


def _get_or_create(column, value) -> int:
    """The voter's id, creating the row once even when two requests race to do it."""
    lookup = _VOTER_ID[column.key]
    existing = db.session.connection().scalar(lookup, {"value": value})
    if existing is not None:
        return existing
    insert_unless_present(Voter, {column.key: value}, unique=[column.key])
    return db.session.connection().scalar(lookup, {"value": value})


def voter_id_of_user(user_id: int) -> int | None:
    """The account's voter if it has one: reading a ballot or a rule should not make it."""
    return db.session.connection().scalar(_VOTER_ID["user_id"], {"value": user_id})


def voter_id_for_user(user_id: int) -> int:
    return _get_or_create(Voter.user_id, user_id)


def voter_id_for_anon_key(anon_key: str) -> int:
    return _get_or_create(Voter.anon_key, anon_key)
