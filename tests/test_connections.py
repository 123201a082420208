"""Pooled connections: pinged after sitting idle, not on every request, and replaced when dead."""
import time
from types import SimpleNamespace

import psycopg
import pytest
import sqlalchemy as sa

from app import connections
from app.extensions import db


@pytest.fixture
def pings(app, monkeypatch) -> list[object]:
    seen: list[object] = []
    ping = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda conn: (seen.append(conn), ping(conn))[1])
    return seen


@pytest.fixture
def idle_for_a_while(monkeypatch):
    """From now on, every connection in the pool looks idle for two seconds more."""
    def later():
        monkeypatch.setattr(connections, "time", SimpleNamespace(monotonic=lambda: time.monotonic() + 2.0))
    return later


def test_a_connection_returned_a_moment_ago_is_not_pinged(client, pings):
    for _ in range(3):
        assert client.get("/api/spaces/none/pair").status_code == 404
    assert pings == []


def test_a_connection_idle_for_over_a_second_is_pinged(client, pings, idle_for_a_while):
    client.get("/api/spaces/none/pair")
    idle_for_a_while()
    assert client.get("/api/spaces/none/pair").status_code == 404
    assert len(pings) == 1


def test_a_connection_closed_by_the_database_while_idle_is_replaced(app, client, postgresql,
                                                                     idle_for_a_while):
    """A database restart or an idle timeout closes pooled connections; no request fails for it."""
    db.session.remove()
    backend = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    db.session.remove()
    with psycopg.connect(db.engine.url.set(drivername="postgresql").render_as_string(False),
                         autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [backend]).fetchone()[0]
    idle_for_a_while()
    assert client.get("/api/spaces/none/pair").status_code == 404
    assert db.session.scalar(sa.text("SELECT pg_backend_pid()")) != backend
