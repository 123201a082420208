"""Single-use letter codes: easy to read aloud and type, hard to guess.

The alphabet leaves out look-alikes (0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V); twelve of
its 19 characters give 19¹² ≈ 2.2 × 10¹⁵ codes, so with a million printed a guess has about
one chance in 2 × 10⁹, and the rate limits allow a few hundred guesses a day.
"""
from __future__ import annotations

import secrets

ALPHABET = "ACEFHJKMNPRTWXY3479"
LENGTH = 12
GROUP = 4


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return formatted(raw)


def formatted(raw: str) -> str:
    return "-".join(raw[i:i + GROUP] for i in range(0, len(raw), GROUP))


def cleaned(typed: str) -> str | None:
    """The code as typed, in the form it was printed; None if it cannot be one of ours."""
    raw = "".join(ch for ch in typed.upper() if ch.isalnum())
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return formatted(raw)
