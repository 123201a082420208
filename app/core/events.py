"""Domain events: what a command did, told to the rest of Plaza once it is safe to act on.

A command records events in the unit of work (`record`). Subscribers run in one of two
phases, so no view has to remember the side effects of an action:

- ``in_transaction``: just before the commit, inside the same transaction, for what must
  be stored with the change or not at all (the audit log, notice rows);
- ``after_commit``: once the change is committed, for what must never see an uncommitted
  or rolled-back change (cache invalidation, refits, queued jobs).

A rollback drops the events. Subscribers look rows up by id and skip those that are gone,
so an event recorded inside a savepoint that was rolled back does no harm.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, scoped_session

log = logging.getLogger(__name__)

IN_TRANSACTION, AFTER_COMMIT = "in_transaction", "after_commit"
_PENDING = "plaza_events"
_SEEN = "plaza_events_done"


@dataclass(frozen=True)
class Event:
    """Base of every domain event: plain ids and values, never ORM objects."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Event], None]
_handlers: dict[str, dict[type, list[Handler]]] = {IN_TRANSACTION: defaultdict(list),
                                                     AFTER_COMMIT: defaultdict(list)}


def subscribe(*event_types: type[Event], phase: str = AFTER_COMMIT) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Decorator: run the function for each event of these types, in `phase`."""
    def register(handler: Callable[[E], None]) -> Callable[[E], None]:
        for event_type in event_types:
            if handler not in _handlers[phase][event_type]:
                _handlers[phase][event_type].append(handler)
        return handler
    return register


def record(session: Session | scoped_session, event: Event) -> None:
    """Add `event` to the session's unit of work (begun here if nothing else began it)."""
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.begin()
    session.info.setdefault(_PENDING, []).append(event)


def _run(phase: str, event: Event) -> None:
    for event_type in type(event).__mro__:
        for handler in _handlers[phase].get(event_type, ()):
            handler(event)


@sa_event.listens_for(Session, "before_commit")
def _in_transaction(session: Session) -> None:
    done = session.info.setdefault(_SEEN, [])
    pending = session.info.get(_PENDING, [])
    # Subscribers may record events of their own; those are handled in the same pass.
    while len(done) < len(pending):
        event = pending[len(done)]
        done.append(event)
        _run(IN_TRANSACTION, event)


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    events = session.info.pop(_PENDING, [])
    session.info.pop(_SEEN, None)
    for event in events:
        try:
            _run(AFTER_COMMIT, event)
        except Exception:  # the change is committed; a failed follow-up must not undo the answer
            log.exception("after-commit handler failed for %r", event)


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_rolled_back(session: Session, transaction) -> None:
    """The unit of work ended: events still pending were rolled back with it (a committed
    unit popped its own in after_commit). A savepoint ending leaves them alone."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_SEEN, None)
