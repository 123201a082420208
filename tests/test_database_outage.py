"""A request whose database connection dies before its commit answers 503, never a bare 500.

Killing backends under load (a failover, a restart) once gave 6 bare 500s in 8,000
requests: nothing acknowledged was lost, but clients could not tell "send it again" from
"something is broken".
"""
from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote
from tests.conftest import csrf_token


@pytest.fixture
def kill_before(app, postgresql):
    """kill_before("INSERT INTO ideas"): the backend running that statement dies just before it."""
    url = db.engine.url.set(drivername="postgresql").render_as_string(False)
    armed: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        if armed and armed[0] in statement:
            armed.clear()
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [cursor.connection.info.backend_pid])

    sa.event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    yield armed.append
    sa.event.remove(db.engine, "before_cursor_execute", before_cursor_execute)


@pytest.fixture
def plaza(make_space, make_idea):
    space = make_space(slug="zocalo")
    for title in ("Shade trees", "Benches", "Fountains"):
        make_idea(space, title=title)
    return space


def test_a_vote_whose_connection_dies_answers_503_json_and_stores_nothing(client, plaza, kill_before):
    pair = client.get("/api/spaces/zocalo/pair").get_json()
    kill_before("INSERT INTO pairwise_votes")
    response = client.post("/api/spaces/zocalo/pairwise-votes", json={"pair_id": pair["pair_id"], "choice": "left"},
                           headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert "nothing was saved" in response.get_json()["error"]
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))) == 0
    again = client.post("/api/spaces/zocalo/pairwise-votes", json={"pair_id": pair["pair_id"], "choice": "left"},
                        headers={"X-CSRFToken": csrf_token(client)})
    assert again.status_code == 201  # sent again as told: stored, once


def test_a_form_whose_connection_dies_answers_a_503_page(client, plaza, make_user, login, kill_before):
    login(make_user())
    kill_before("INSERT INTO ideas")
    response = client.post("/spaces/zocalo/ideas/new", data={
        "title": "A drinking fountain", "category": "other", "lat": "19.4326", "lng": "-99.1332",
        "csrf_token": csrf_token(client, "/spaces/zocalo/ideas/new")})
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert "nothing was saved" in response.get_data(as_text=True)
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count(Idea.id))) == 3
