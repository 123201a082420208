"""What happened to the terms and the privacy notice (see app/core/events.py)."""
from __future__ import annotations

from dataclasses import dataclass

from app.core.events import Event


@dataclass(frozen=True)
class LegalTextChanged(Event):
    """Staff saved the terms of use or the privacy notice in one language."""

    text_id: int
    actor_id: int
    before: str | None  # None: it was Plaza's default text
    after: str
