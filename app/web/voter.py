"""The voter of this request: the account's, or an anonymous one in the signed cookie.

The anonymous voter's id rides in the cookie beside its key, which saves a lookup on every
pair and vote; the cookie is signed, so the id is as trustworthy as the key.
"""
from __future__ import annotations

import secrets

from flask import session
from flask_login import current_user

from app.voters import voter_id_for_anon_key, voter_id_for_user, voter_id_of_user

VOTER_SESSION_KEY = "plaza_voter"
VOTER_ID_SESSION_KEY = "plaza_voter_id"


def has_voter() -> bool:
    """Whether this request already is a voter (an account, or a cookie that holds one)."""
    return current_user.is_authenticated or session.get(VOTER_SESSION_KEY) is not None


def voter_id(*, create: bool) -> int | None:
    """The request's voter id; with `create`, a new anonymous voter for a new browser."""
    if current_user.is_authenticated:
        return voter_id_for_user(current_user.id) if create else voter_id_of_user(current_user.id)
    key = session.get(VOTER_SESSION_KEY)
    if key is None:
        if not create:
            return None
        key = secrets.token_urlsafe(18)
        session[VOTER_SESSION_KEY] = key
        session.permanent = True
    found = session.get(VOTER_ID_SESSION_KEY)
    if not isinstance(found, int):
        found = voter_id_for_anon_key(key)
        session[VOTER_ID_SESSION_KEY] = found
    return found


def become_voter(voter_id: int, anon_key: str) -> None:
    """Carry on as an anonymous voter made earlier (a resident back with their code)."""
    session[VOTER_SESSION_KEY] = anon_key
    session[VOTER_ID_SESSION_KEY] = voter_id
    session.permanent = True


def forget_voter_id() -> None:
    """Drop the cookie's voter id (one from another database): the next pair looks it up."""
    session.pop(VOTER_ID_SESSION_KEY, None)
