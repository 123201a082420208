"""Why a command refused, without HTTP: the web layer maps each kind to a status once.

Malformed → 400, LoginNeeded → 401, Refused → 403, NotFound → 404, Conflict → 409,
Invalid → 422 (with the message of each field). Kiosk sync and the command line read the
same messages.
"""
from __future__ import annotations


class DomainError(Exception):
    """A refusal meant for the person; `message` is in their language already."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Malformed(DomainError):
    """The request is not what the operation takes at all: a damaged token, a body of the
    wrong shape. Sending it again unchanged cannot work."""


class LoginNeeded(DomainError):
    """Only an account may do this here."""


class Refused(DomainError):
    """Not allowed now, for this person or in this state."""


class NotFound(DomainError):
    """What was named does not exist (or may not be seen)."""


class Conflict(DomainError):
    """Clashes with what is stored: already done, changed meanwhile."""


class Invalid(DomainError):
    """Bad input; `fields` maps each field to its message, to be shown in place."""

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.fields = fields or {}
