"""Create (or bring up to date) the demo space and accounts; safe to run again."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from app.demo import zocalo
from app.extensions import db
from app.models import Idea, PairwiseVote, QVAllocation, QVBallot, Space, User
from app.voters import voter_id_for_anon_key

DEMO_ACCOUNTS = (
    ("staff@plaza.example", "Demo city staff", "staff", "plaza-staff-demo"),
    ("facilitator@plaza.example", "Demo facilitator", "facilitator", "plaza-facilitator-demo"),
    ("resident@plaza.example", "Demo resident", "resident", "plaza-resident-demo"),
)


DEMO_VOTERS = 40
DEMO_VOTES_EACH = 15
DEMO_BALLOTS = 15


@dataclass
class SeedReport:
    space_created: bool
    ideas_added: int
    accounts: list[tuple[str, str, str]]
    votes_added: int = 0
    ballots_added: int = 0


def seed_demo(with_votes: bool = False) -> SeedReport:
    """Demo data for the Zócalo; running it twice changes nothing the second time."""
    space, created = _ensure_space()
    ideas_added = _ensure_ideas(space)
    accounts = [_ensure_account(*a) for a in DEMO_ACCOUNTS]
    db.session.flush()
    votes, ballots = _ensure_demo_votes(space) if with_votes else (0, 0)
    db.session.commit()
    return SeedReport(created, ideas_added, accounts, votes, ballots)


def _ensure_demo_votes(space: Space) -> tuple[int, int]:
    """Simulated residents, so the demo's rankings and staff pages have something to show.

    Each demo voter compares pairs under a Bradley-Terry model with fixed, seeded strengths,
    and some fill a QV ballot on their favourites. Marked demo:* so they are easy to find.
    """
    if db.session.scalar(sa.select(sa.exists().where(PairwiseVote.pair_key.like("demo:%")))):
        return 0, 0
    ids = db.session.scalars(sa.select(Idea.id).where(Idea.space_id == space.id)
                             .order_by(Idea.id)).all()
    rng = np.random.default_rng(2026)
    strength = rng.normal(0, 1, len(ids))
    votes = ballots = 0
    for v in range(DEMO_VOTERS):
        voter_id = voter_id_for_anon_key(f"demo:{space.id}:{v}")
        pairs = set()
        while len(pairs) < DEMO_VOTES_EACH:
            a, b = (int(x) for x in rng.choice(len(ids), 2, replace=False))
            pairs.add((min(a, b), max(a, b)))
        for a, b in sorted(pairs):
            p_left = 1 / (1 + np.exp(strength[b] - strength[a]))
            choice = "left" if rng.random() < p_left else "right"
            db.session.add(PairwiseVote(space_id=space.id, voter_id=voter_id, left_idea_id=ids[a],
                                        right_idea_id=ids[b], choice=choice,
                                        pair_key=f"demo:{space.id}:{v}:{a}:{b}"))
            votes += 1
        if v < DEMO_BALLOTS:
            favourites = np.argsort(-(strength + rng.normal(0, 1, len(ids))))[:4]
            allocation = dict(zip((ids[int(i)] for i in favourites), (6, 5, 3, 2)))
            ballot = QVBallot(space_id=space.id, voter_id=voter_id, budget=space.qv_budget,
                              credits_used=sum(n * n for n in allocation.values()))
            ballot.allocations = [QVAllocation(idea_id=i, votes=n) for i, n in allocation.items()]
            db.session.add(ballot)
            ballots += 1
    return votes, ballots


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
        name_in_sentence=zocalo.NAME_IN_SENTENCE,
        landmarks=[{"name": name, **dict(zip(("lat", "lng"), zocalo.position(u, v)))}
                   for name, u, v in zocalo.LANDMARKS],
        ideas_anywhere=True,
        phase="voting",
        moderation=False,  # the demo shows an idea on the map the moment it is sent
        pairwise_rule="anyone",
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
    """Demo passwords are reset on every run so the printed credentials always work; the
    operator made these accounts, so their addresses count as confirmed."""
    user = db.session.scalar(User.by_email(email))
    if user is None:
        user = User(email=email, display_name=name)
        db.session.add(user)
    user.role = role
    user.set_password(password)
    user.confirm_email()
    return email, password, role
