"""Staff open a space and change its settings: one command each, recorded as an event."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from app.core import events
from app.extensions import db
from app.models import METHODS, Space
from app.spaces.events import SpaceChanged


@dataclass(frozen=True)
class SpaceSettings:
    """Everything staff set on a space, as the settings form (or a script) gives it."""

    name: str
    slug: str
    description: str
    center_lat: float
    center_lng: float
    zoom: int
    phase: str
    categories: list[str]
    boundary: dict[str, Any] | None
    moderation: bool
    pairwise_rule: str
    ideas_during_voting: bool
    qv_budget: int
    qv_negative: bool
    show_results: bool
    official_result: str = "both"
    name_in_sentence: dict[str, str] = field(default_factory=dict)
    landmarks: list[dict[str, Any]] = field(default_factory=list)
    ideas_anywhere: bool = False
    focus_k: int = 10
    qv_rule: str = "confirmed"
    verification_methods: list[str] = field(default_factory=lambda: list(METHODS))
    verified_without_account: bool = True


FIELDS = tuple(SpaceSettings.__dataclass_fields__)


def create_space(settings: SpaceSettings, actor_id: int) -> Space:
    space = Space(**asdict(settings))
    db.session.add(space)
    db.session.flush()
    events.record(db.session, SpaceChanged(space.id, actor_id, "space.create", {}, _settings_of(space)))
    return space


def update_space(space: Space, settings: SpaceSettings, actor_id: int) -> None:
    before = _settings_of(space)
    for name, value in asdict(settings).items():
        setattr(space, name, value)
    events.record(db.session, SpaceChanged(space.id, actor_id, "space.update", before, _settings_of(space)))


def _settings_of(space: Space) -> dict[str, Any]:
    return {name: getattr(space, name) for name in FIELDS}
