"""Join codes for facilitated sessions: short, read aloud and typed on a phone without mistakes.

Pure functions, no Flask. The alphabet leaves out characters people confuse when a code is
written on a flip chart or read across a noisy room: 0/O, 1/I/L, and U (read as V).
"""
from __future__ import annotations

import secrets
from collections.abc import Callable

from app.text import _

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6
# Typed separators and spaces are ignored: "k7p-2qx", "K7P 2QX" and "K7P2QX" are one code.
_IGNORED = str.maketrans("", "", " -_.\t")


class CodeError(ValueError):
    """A typed join code that cannot be one of ours; the message is shown as it is."""


def generate_code(choice: Callable[[str], str] = secrets.choice,
                  length: int = CODE_LENGTH) -> str:
    """A new random code; `choice` is injectable so tests can make collisions happen."""
    if length < 4:
        raise ValueError("a join code needs at least 4 characters")
    return "".join(choice(ALPHABET) for _position in range(length))


def normalize_code(typed: object) -> str:
    """The code as stored, from what someone typed; CodeError says what is wrong with it."""
    if not isinstance(typed, str) or not typed.strip():
        raise CodeError(_("Type the code shown by the facilitator."))
    code = typed.translate(_IGNORED).upper()
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        raise CodeError(_("Codes have no 0, 1, I, L, O or U; check the characters %(typed)s.",
                          typed=", ".join(repr(c) for c in bad)[:40]))
    if len(code) != CODE_LENGTH:
        raise CodeError(_("A session code has %(n)s characters, like %(example)s.",
                          n=CODE_LENGTH, example=format_code("K7P2QX")))
    return code


def format_code(code: str) -> str:
    """The code as shown to people: two groups of three, e.g. K7P-2QX."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"
