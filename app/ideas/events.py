"""What happened to ideas, as the ideas' commands record it (see app/core/events.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.events import Event


@dataclass(frozen=True)
class IdeaEvent(Event):
    idea_id: int
    space_id: int


@dataclass(frozen=True)
class IdeaSubmitted(IdeaEvent):
    author_id: int | None
    status: str


@dataclass(frozen=True)
class IdeaFlagged(IdeaEvent):
    user_id: int


@dataclass(frozen=True)
class StaffChange(IdeaEvent):
    """A staff action on an idea: who, which, and the fields before and after it."""

    actor_id: int
    action: str  # as the audit log names it: idea.publish, idea.decide, idea.merge...
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IdeaModerated(StaffChange):
    """Published, hidden, or its reports dismissed."""


@dataclass(frozen=True)
class IdeaDecided(StaffChange):
    """The city's decision and public answer (under review, adopted, declined, implemented)."""


@dataclass(frozen=True)
class IdeasMerged(StaffChange):
    """`idea_id` was merged into `kept_id`; its votes count for the kept idea now."""

    kept_id: int = 0


@dataclass(frozen=True)
class MergeUndone(StaffChange):
    """A merge of `idea_id` was undone: it is back as it was, with its ballots."""
