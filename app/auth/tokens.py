"""Signed links in account e-mails: confirm an address, reset a password, change the address.

Each link is single use without any stored state: it names what it changes in a way that
stops matching once used. A confirmation names the address (confirmed once, it has nothing
left to do); a reset names a fingerprint of the password hash (void once the password
changes); an address change names the old and the new address.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_MAX_AGE = 48 * 3600
RESET_MAX_AGE = 3600


class LinkError(ValueError):
    """A link that is expired (`expired`), tampered with or already used."""

    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"plaza-{salt}")


def _load(salt: str, token: str, max_age: int) -> list:
    if not isinstance(token, str) or len(token) > 1000:
        raise LinkError(expired=False)
    try:
        values = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkError(expired=True) from exc
    except BadSignature as exc:
        raise LinkError(expired=False) from exc
    if not isinstance(values, list):
        raise LinkError(expired=False)
    return values


def password_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Confirmation:
    user_id: int
    email: str
    next: str | None


def confirmation_token(user_id: int, email: str, next_url: str | None = None) -> str:
    return _serializer("confirm").dumps([user_id, email, next_url or ""])


def read_confirmation(token: str) -> Confirmation:
    values = _load("confirm", token, CONFIRM_MAX_AGE)
    if len(values) != 3:
        raise LinkError(expired=False)
    return Confirmation(values[0], values[1], values[2] or None)


def reset_token(user_id: int, password_hash: str) -> str:
    return _serializer("reset").dumps([user_id, password_fingerprint(password_hash)])


def read_reset(token: str) -> tuple[int, str]:
    values = _load("reset", token, RESET_MAX_AGE)
    if len(values) != 2:
        raise LinkError(expired=False)
    return values[0], values[1]


def email_change_token(user_id: int, old_email: str, new_email: str) -> str:
    return _serializer("email-change").dumps([user_id, old_email, new_email])


def read_email_change(token: str) -> tuple[int, str, str]:
    values = _load("email-change", token, CONFIRM_MAX_AGE)
    if len(values) != 3:
        raise LinkError(expired=False)
    return values[0], values[1], values[2]
