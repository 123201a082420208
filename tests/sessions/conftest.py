"""Fixtures for facilitated sessions: a moderated voting space with ideas, sessions, and a
JSON client."""
from datetime import datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.models.facilitation import FacilitatedSession
from app.sessions.pins import hash_pin
from app.pairwise.refits import refitter
from tests.conftest import csrf_token

PIN = "2580"


@pytest.fixture
def app_config(app_config):
    # Refit on every vote so room and space rankings are exact in tests.
    return {**app_config, "PLAZA_REFIT_EVERY_VOTES": 1, "PLAZA_PAIR_SEED": 1234}


@pytest.fixture(autouse=True)
def finish_refits(app):
    """Background refits must end before the schema goes, or their connection is left open."""
    yield
    refitter().wait()


@pytest.fixture
def moderated_space(make_space):
    """Alameda Central (/spaces/alameda), voting, with five published ideas in five categories
    (ten pairs, 100 credits) and moderation on: ideas added in a session wait for staff."""
    ideas = [{"title": title, "category": category} for title, category in (
        ("Shade trees on the west side", "greenery"), ("Benches around the fountain", "seating & shade"),
        ("Warm lights on the paths", "lighting"), ("Water fountains", "other"),
        ("A stage for concerts", "culture & events"))]
    return make_space(slug="alameda", name="Alameda Central", qv_budget=100, moderation=True, ideas=ideas)


@pytest.fixture
def facilitator(make_user):
    return make_user(role="facilitator", email="facilita@example.org", display_name="Fa")


@pytest.fixture
def make_session(app, moderated_space, facilitator):
    """A session in `moderated_space`, open now unless told otherwise."""
    counter = iter(range(10_000))

    def make(**fields) -> FacilitatedSession:
        now = datetime.now(timezone.utc)
        values = dict(space_id=moderated_space.id, facilitator_id=facilitator.id,
                      name="Saturday workshop", place="Centro Cultural", starts_at=now - timedelta(minutes=30),
                      ends_at=now + timedelta(hours=2), timezone="America/Mexico_City",
                      mode="both", collect_ideas=True, idle_seconds=120,
                      join_code=f"K7P{next(counter):03d}".replace("0", "Z").replace("1", "Y"),
                      pin_hash=hash_pin(PIN, iterations=1000))
        values.update(fields)
        session = FacilitatedSession(**values)
        db.session.add(session)
        db.session.commit()
        return session

    return make


@pytest.fixture
def api(app, client):
    """JSON calls as the kiosk script makes them, CSRF token in the header."""

    class Api:
        def get(self, path, **kwargs):
            return client.get(path, **kwargs)

        def post(self, path, payload, **kwargs):
            return client.post(path, json=payload, headers={"X-CSRFToken": csrf_token(client)},
                               **kwargs)

        def participant(self, code, via="kiosk"):
            """A new participant: a kiosk's when this browser runs the session's kiosk,
            else a phone's, which a browser has one of (asking again gives the same)."""
            response = self.post(f"/api/sessions/{code}/participants", {"via": via})
            assert response.status_code in (200, 201), response.get_json()
            return response.get_json()

        def participant_elsewhere(self, code):
            """A participant joining from another phone."""
            other = app.test_client()
            response = other.post(f"/api/sessions/{code}/participants", json={},
                                  headers={"X-CSRFToken": csrf_token(other)})
            assert response.status_code == 201, response.get_json()
            return response.get_json()

        def sync(self, code, items):
            return self.post(f"/api/sessions/{code}/sync", {"items": items})

    return Api()
