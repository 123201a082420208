"""Messages of the plain domain modules, translated without importing Flask.

Domain modules (ranking, budgets, transitions, geometry, ...) mark what they tell people with
`_()` from here. The app installs Flask-Babel's lookup at start-up, so a message comes out in
the language of the request that raised it; outside the app (unit tests, scripts) `_()` only
fills in the parameters. `N_()` marks a constant for extraction; translate it with `_()` where
it is used.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping


def _untranslated(message: str) -> str:
    return message


_lookup: Callable[[str], str] = _untranslated


def install(lookup: Callable[[str], str]) -> None:
    """Called once by the app factory with the request-aware lookup."""
    global _lookup
    _lookup = lookup


def _(message: str, **params: object) -> str:
    """`message` in the current language, with `%(name)s` parameters filled in."""
    text = _lookup(message)
    return text % params if params else text


def N_(message: str) -> str:
    """Marks `message` for translation without translating it (for module constants)."""
    return message


def label_for(labels: Mapping[str, str], value: str, fallback: str | None = None) -> str:
    """How a stored value (a status, role, phase, category) reads in the current language:
    its `N_()`-marked name in `labels`; a value without one reads as `fallback`, or itself."""
    known = labels.get(value)
    if known:
        return _(known)
    return value if fallback is None else fallback
