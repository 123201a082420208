"""Signed pair tokens: which voter was shown which two ideas, so a vote cannot be forged."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

PAIR_TOKEN_MAX_AGE = 24 * 3600


class PairTokenError(ValueError):
    """A pair id that is forged, damaged, expired or someone else's."""


@dataclass(frozen=True)
class PairToken:
    space_id: int
    voter_id: int
    left_id: int
    right_id: int
    nonce: str  # identifies this showing; a replay of the same token is found by it
    issued_at: datetime | None = None  # when the server handed the pair out (signed)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="plaza-pair")


def issue(space_id: int, voter_id: int, left_id: int, right_id: int) -> str:
    return _serializer().dumps([space_id, voter_id, left_id, right_id, secrets.token_hex(12)])


def read(token: object) -> PairToken:
    if not isinstance(token, str) or not token or len(token) > 400:
        raise PairTokenError(_("pair_id is missing or not a pair id."))
    try:
        values, issued_at = _serializer().loads(token, max_age=PAIR_TOKEN_MAX_AGE, return_timestamp=True)
    except SignatureExpired as exc:
        raise PairTokenError(_("This pair has expired; load a new pair.")) from exc
    except BadSignature as exc:
        raise PairTokenError(_("This pair id is not valid.")) from exc
    space_id, voter_id, left_id, right_id, nonce = values
    return PairToken(space_id, voter_id, left_id, right_id, nonce, issued_at)
