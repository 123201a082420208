"""Create (or bring up to date) the demo space and accounts; safe to run again."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, Space, User
from app.demo import zocalo

DEMO_ACCOUNTS = (
    ("staff@plaza.example", "Demo city staff", "staff", "plaza-staff-demo"),
    ("facilitator@plaza.example", "Demo facilitator", "facilitator", "plaza-facilitator-demo"),
    ("resident@plaza.example", "Demo resident", "resident", "plaza-resident-demo"),
)


@dataclass
class SeedReport:
    space_created: bool
    ideas_added: int
    accounts: list[tuple[str, str, str]]


def seed_demo() -> SeedReport:
    """Demo data for the Zócalo; running it twice changes nothing the second time."""
    space, created = _ensure_space()
    ideas_added = _ensure_ideas(space)
    accounts = [_ensure_account(*a) for a in DEMO_ACCOUNTS]
    db.session.commit()
    return SeedReport(created, ideas_added, accounts)


def _ensure_space() -> tuple[Space, bool]:
    space = db.session.scalar(Space.by_slug(zocalo.SLUG))
    if space is not None:
        return space, False
    lat, lng = zocalo.CENTER
    space = Space(
        slug=zocalo.SLUG,
        name=zocalo.NAME,
        description=zocalo.DESCRIPTION,
        center_lat=lat,
        center_lng=lng,
        zoom=zocalo.ZOOM,
        boundary=zocalo.BOUNDARY,
        phase="voting",
        anonymous_pairwise=True,
        ideas_during_voting=True,
    )
    db.session.add(space)
    db.session.flush()
    return space, True


def _ensure_ideas(space: Space) -> int:
    existing = set(db.session.scalars(sa.select(Idea.title).where(Idea.space_id == space.id)))
    added = 0
    for title, body, category, u, v in zocalo.IDEAS:
        if title in existing:
            continue
        lat, lng = zocalo.position(u, v)
        db.session.add(
            Idea(space_id=space.id, title=title, body=body, category=category,
                 lat=lat, lng=lng, status="published")
        )
        added += 1
    return added


def _ensure_account(email: str, name: str, role: str, password: str) -> tuple[str, str, str]:
    """Demo passwords are reset on every run so the printed credentials always work."""
    user = db.session.scalar(User.by_email(email))
    if user is None:
        user = User(email=email, display_name=name)
        db.session.add(user)
    user.role = role
    user.set_password(password)
    return email, password, role
