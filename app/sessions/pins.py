"""The facilitator's kiosk PIN: checked on the server to set up a tablet, and on the tablet
itself (offline too) to leave kiosk mode.

Pure functions, no Flask. The PIN is stored as PBKDF2-SHA256 so the tablet can check it
with WebCrypto without the network; a PIN of a few digits is a lock against a curious
participant, not a password, and the server limits guesses with a lock-out.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.text import _

PIN_MIN, PIN_MAX = 4, 8
PIN_ITERATIONS = 60_000
ALGORITHM = "pbkdf2_sha256"
#: Wrong PINs allowed before the server makes everyone wait.
FREE_ATTEMPTS = 5
LOCKOUT_BASE = timedelta(seconds=30)
LOCKOUT_MAX = timedelta(minutes=15)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)


class PinError(ValueError):
    """A PIN a facilitator may not choose; the message is shown in the form."""


@dataclass(frozen=True)
class PinVerifier:
    """What the tablet needs to check a PIN offline: PBKDF2 parameters and the expected hash."""

    iterations: int
    salt: str  # hex
    hash: str  # hex


def check_pin_format(pin: object) -> str:
    """The PIN if a facilitator may choose it; PinError otherwise."""
    if not isinstance(pin, str) or not _DIGITS.fullmatch(pin):
        raise PinError(_("The PIN is %(min)s to %(max)s digits, nothing else.", min=PIN_MIN, max=PIN_MAX))
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        raise PinError(_("The PIN is %(min)s to %(max)s digits long.", min=PIN_MIN, max=PIN_MAX))
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        raise PinError(_("Choose a PIN that is not one digit repeated or a run like 1234; "
                         "participants guess those first."))
    return pin


def _derive(pin: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = PIN_ITERATIONS) -> str:
    """The stored form: ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    return f"{ALGORITHM}${iterations}${salt.hex()}${_derive(pin, salt, iterations).hex()}"


def parse_stored(stored: str) -> PinVerifier:
    algorithm, iterations, salt, digest = stored.split("$")
    if algorithm != ALGORITHM:
        raise ValueError(f"unknown PIN hash algorithm {algorithm!r}")
    return PinVerifier(int(iterations), salt, digest)


def verify_pin(pin: object, stored: str) -> bool:
    """Whether `pin` is the one stored; constant time, False for anything not a string."""
    if not isinstance(pin, str) or not pin or len(pin) > 64:
        return False
    verifier = parse_stored(stored)
    derived = _derive(pin, bytes.fromhex(verifier.salt), verifier.iterations)
    return hmac.compare_digest(derived.hex(), verifier.hash)


def lockout(failures: int) -> timedelta | None:
    """How long to refuse PINs after `failures` wrong ones in a row: doubling, capped."""
    if failures < FREE_ATTEMPTS:
        return None
    return min(LOCKOUT_BASE * 2 ** (failures - FREE_ATTEMPTS), LOCKOUT_MAX)


def locked_until(failures: int, last_failure: datetime | None) -> datetime | None:
    """When PINs are taken again, or None if they are taken now."""
    wait = lockout(failures)
    if wait is None or last_failure is None:
        return None
    return last_failure + wait
