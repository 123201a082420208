"""Keyed hashes of what identifies a person: the only form in which Plaza keeps a roll.

An HMAC under a key derived from SECRET_KEY, so a stolen database alone cannot be searched
for a known document number (a plain hash of a birth date and an ID number falls to a
dictionary in minutes). Changing SECRET_KEY makes every stored roll and code unreadable:
import the roll and print the codes again after a rotation.
"""
from __future__ import annotations

import hashlib
import hmac
import unicodedata

from dataclasses import dataclass

_KEY_LABEL = b"plaza eligibility hashes v1"


def normalized(value: str) -> str:
    """The value as compared: "AB-123 456" and "ab123456" are the same document number,
    "1980-05-02" and "1980 05 02" the same date."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


@dataclass(frozen=True)
class Hasher:
    """The keyed hashes of one deployment; `Hasher.of(SECRET_KEY)` builds it."""

    key: bytes

    @classmethod
    def of(cls, secret: str | bytes) -> "Hasher":
        secret = secret.encode() if isinstance(secret, str) else secret
        return cls(hmac.new(secret, _KEY_LABEL, hashlib.sha256).digest())

    def keyed(self, purpose: str, *values: str) -> str:
        """Hex HMAC-SHA256 of the normalized values, separated so ("ab", "c") ≠ ("a", "bc")."""
        message = "\x1f".join([purpose, *(normalized(v) for v in values)]).encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def roll(self, space_id: int, values: list[str]) -> str:
        return self.keyed(f"roll:{space_id}", *values)

    def roll_target(self, space_id: int, first_value: str) -> str:
        """Whom an attempt targets, by the first identifying value alone (the document
        number): guesses at one person's birth date count against that person's entry."""
        return self.keyed(f"roll-target:{space_id}", first_value)

    def code(self, code: str) -> str:
        return self.keyed("code", code)

    def voter(self, voter_id: int) -> str:
        """A voter as exports and the audit log show them: stable here, meaningless elsewhere."""
        return self.keyed("voter", str(voter_id))[:16]
