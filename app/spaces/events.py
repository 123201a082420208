"""What happened to spaces, as the spaces' commands record it (see app/core/events.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.events import Event


@dataclass(frozen=True)
class SpaceChanged(Event):
    """A space created (before is empty) or its settings changed, by a staff member."""

    space_id: int
    actor_id: int
    action: str  # space.create or space.update
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
