"""The quadratic standings are computed once per change of the ballots or ideas and stored,
so every web worker serves the same answer without running the bootstrap itself."""
import pytest
import sqlalchemy as sa

from app import create_app, jobs
import app.qv.stored as stored
from app.extensions import db
from app.jobs import tasks
from app.models import StoredStandings
from app.qv.ballots import save_ballot
from app.voters import voter_id_for_user

RANKING = "/api/spaces/alameda/ranking?method=quadratic"


@pytest.fixture
def cast(qv_space, make_user):
    """Save a ballot of a new resident: {idea: votes}."""
    def cast(allocations):
        voter_id = voter_id_for_user(make_user().id)
        save_ballot(qv_space, voter_id, {str(i.id): n for i, n in allocations.items()})
        db.session.commit()
    return cast


def net_votes(client) -> dict[int, int]:
    body = client.get(RANKING).get_json()
    return {row["id"]: row["votes_net"] for row in body["ideas"]}


@pytest.fixture
def no_bootstrap(monkeypatch):
    """From here on, computing the standings fails: what is served must have been stored."""
    def refuse(*args, **kwargs):
        raise AssertionError("the standings were computed again")
    monkeypatch.setattr(stored, "quadratic_standings", refuse)


@pytest.fixture
def broker(app, monkeypatch):
    """Jobs go to a queue: record what is submitted instead of sending it."""
    submitted = []
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", "redis://queue.invalid:6379/0")
    monkeypatch.setattr(jobs, "submit", lambda name, *args: submitted.append((name, *args)))
    return submitted


def test_another_app_instance_serves_the_stored_standings_without_computing(
        app_config, client, qv_space, ideas, cast, request):
    trees, benches, lights = ideas
    cast({trees: 2, benches: 1})
    assert net_votes(client) == {trees.id: 2, benches.id: 1, lights.id: 0}
    row = db.session.scalars(sa.select(StoredStandings)).one()
    assert row.key == stored.standings_key(qv_space.id) and row.seconds >= 0
    request.getfixturevalue("no_bootstrap")
    other = create_app(app_config)
    with other.app_context():
        theirs = net_votes(other.test_client())
        db.session.remove()
        db.engine.dispose()
    assert theirs == {trees.id: 2, benches.id: 1, lights.id: 0}


def test_a_saved_ballot_or_a_hidden_idea_makes_them_computed_again(client, qv_space, ideas, cast):
    trees, benches, lights = ideas
    cast({trees: 2})
    net_votes(client)
    cast({benches: 5})
    assert net_votes(client)[benches.id] == 5
    lights.status = "hidden"
    db.session.commit()
    assert lights.id not in net_votes(client)
    assert db.session.scalar(sa.select(StoredStandings.key)) == stored.standings_key(qv_space.id)


def test_with_a_queue_standings_behind_are_served_while_one_job_computes_them(
        client, qv_space, ideas, cast, broker):
    trees, benches, _ = ideas
    cast({trees: 2})
    assert net_votes(client)[trees.id] == 2  # nothing stored yet: computed here
    assert broker == []
    cast({benches: 5})
    assert net_votes(client)[benches.id] == 0
    assert net_votes(client)[benches.id] == 0
    assert broker == [("plaza.quadratic_standings", qv_space.id)]
    tasks.quadratic_standings(qv_space.id)
    assert net_votes(client)[benches.id] == 5
    assert stored.refresh_standings(qv_space.id) == "current"


def test_the_job_is_a_task_of_the_queue_and_skips_a_space_that_is_gone(app, qv_space):
    assert "plaza.quadratic_standings" in app.extensions["celery"].tasks
    assert stored.refresh_standings(qv_space.id + 1000) == "gone"
