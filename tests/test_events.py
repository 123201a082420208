"""Domain events: subscribers run in the transaction or after the commit, never after a rollback."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.core import events
from app.core.errors import Conflict
from app.extensions import db
from app.ideas import commands
from app.models import AuditEntry, Idea


@dataclass(frozen=True)
class Poked(events.Event):
    n: int


@pytest.fixture
def seen(monkeypatch) -> list[tuple[str, int, bool]]:
    """(phase, n, whether the transaction was still open) for each Poked handled."""
    log: list[tuple[str, int, bool]] = []
    handlers = {phase: dict(events._handlers[phase]) for phase in events._handlers}
    events.subscribe(Poked, phase=events.IN_TRANSACTION)(
        lambda e: log.append(("in", e.n, db.session().in_transaction())))
    events.subscribe(Poked)(lambda e: log.append(("after", e.n, db.session().in_transaction())))
    yield log
    for phase, table in handlers.items():
        events._handlers[phase].clear()
        events._handlers[phase].update(table)


def test_subscribers_run_in_the_transaction_then_after_the_commit(app, seen):
    events.record(db.session, Poked(1))
    events.record(db.session, Poked(2))
    assert seen == []
    db.session.commit()
    assert [(phase, n) for phase, n, _open in seen] == [("in", 1), ("in", 2), ("after", 1), ("after", 2)]
    assert all(still_open for phase, _n, still_open in seen if phase == "in")


def test_a_rollback_drops_the_events(app, seen):
    events.record(db.session, Poked(1))
    db.session.rollback()
    db.session.commit()
    assert seen == []


def test_events_of_one_commit_are_not_handled_again_at_the_next(app, seen):
    events.record(db.session, Poked(1))
    db.session.commit()
    db.session.commit()
    assert len(seen) == 2


@pytest.fixture
def staff_and_ideas(make_user, make_space, make_idea):
    space = make_space(slug="zocalo")
    return (make_user(role="staff"), make_idea(space, title="Shade trees"),
            make_idea(space, title="More shade trees", status="adopted", staff_response="We will plant 40."))


def test_an_adopted_idea_cannot_be_merged_away(staff_and_ideas):
    staff, kept, adopted = staff_and_ideas
    with pytest.raises(Conflict, match="the city's answer on it would disappear"):
        commands.merge(kept, adopted, staff.id)
    db.session.rollback()
    assert db.session.get(Idea, adopted.id).status == "adopted"
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_the_adopted_idea_can_keep_its_duplicate(staff_and_ideas):
    staff, duplicate, adopted = staff_and_ideas
    commands.merge(adopted, duplicate, staff.id)
    db.session.commit()
    assert (duplicate.status, duplicate.merged_into_id, adopted.status) == ("hidden", adopted.id, "adopted")
    entry = db.session.scalar(sa.select(AuditEntry))
    assert (entry.action, entry.target_id, entry.actor_id) == ("idea.merge", duplicate.id, staff.id)


def test_a_staff_action_rolled_back_leaves_no_audit_entry(staff_and_ideas):
    staff, idea, _ = staff_and_ideas
    commands.moderate(idea, "hide", staff.id)
    db.session.rollback()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0
