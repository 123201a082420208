"""Pooled database connections are checked for life only after sitting idle.

SQLAlchemy's pool_pre_ping sends a `SELECT 1` at every checkout: one more round trip on
top of the 5 to 9 of a vote or ballot request, paid while a sync worker waits. A
connection handed back to the pool a moment ago is alive; one idle for longer than
PLAZA_DB_PING_AFTER_IDLE_S (1 s) is pinged, and a dead one (a database restart, a
firewall's idle timeout) is replaced before the request uses it, as pre-ping would.
"""
from __future__ import annotations

import time

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

_RETURNED_AT = "plaza_returned_at"


def ping_after_idle(engine: Engine, idle_seconds: float) -> None:
    @event.listens_for(engine, "checkin")
    def _note_return(dbapi_connection, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record: ConnectionPoolEntry,
                      proxy: PoolProxiedConnection) -> None:
        returned_at = record.info.get(_RETURNED_AT)
        if returned_at is not None and time.monotonic() - returned_at < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError() from error  # the pool connects anew and retries
