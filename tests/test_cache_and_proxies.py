"""What browsers and proxies may keep, which client address counts, and the remember-me cookie."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app import create_app
from app.config import ConfigError, base_config
from app.extensions import db
from app.models.facilitation import FacilitatedSession
from app.sessions.pins import hash_pin
from tests.conftest import CSRF_META, PASSWORD, csrf_token


@pytest.fixture
def staff_session(make_user, make_space, make_idea, login):
    staff = make_user(role="staff")
    space = make_space(slug="zocalo")
    make_idea(space)
    make_idea(space, title="Benches")
    now = datetime.now(timezone.utc)
    session = FacilitatedSession(
        space_id=space.id, facilitator_id=staff.id, name="Taller", place="", mode="both",
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), timezone="UTC",
        collect_ideas=True, idle_seconds=120, join_code="K7PQ2M", pin_hash=hash_pin("4826", iterations=1000))
    db.session.add(session)
    db.session.commit()
    login(staff)
    return session


PRIVATE_PATHS = [
    "/staff/", "/staff/audit", "/staff/spaces/zocalo/edit", "/staff/spaces/zocalo/rankings",
    "/staff/spaces/zocalo/moderation", "/staff/spaces/zocalo/export/ideas.csv",
    "/staff/spaces/zocalo/export/pairwise-votes.csv", "/staff/spaces/zocalo/export/ideas.geojson",
    "/api/spaces/zocalo/qv-ballot", "/api/spaces/zocalo/pair", "/spaces/zocalo/qv",
    "/sessions/{id}/report", "/sessions/{id}/export/votes.csv", "/sessions/{id}",
    "/", "/spaces/zocalo",
]


@pytest.mark.parametrize("path", PRIVATE_PATHS)
def test_personal_and_staff_pages_are_never_stored(client, staff_session, path):
    response = client.get(path.format(id=staff_session.id))
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == "no-store"


def test_public_files_keep_their_own_caching(client, make_space, make_idea):
    make_idea(make_space(slug="zocalo"))
    assert client.get("/api/spaces/zocalo/ideas.geojson").headers["Cache-Control"] == "no-cache"
    with client.get("/vendor/leaflet/leaflet.js") as response:
        assert "max-age" in response.headers["Cache-Control"]


def make_app(app_config: dict, **settings):
    app = create_app({**app_config, **settings})
    app.config["TESTING"] = True
    return app


def serve(app, make, *requests):
    """Run `requests` (callables of a client) against a fresh schema of `app`."""
    with app.app_context():
        db.create_all()
        try:
            make()
            client = app.test_client()
            return [r(client) for r in requests]
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.mark.parametrize("hops, expected", [(0, "10.0.0.1"), (1, "203.0.113.7"), (2, "198.51.100.9")])
def test_trusted_proxies_name_the_client(app_config, hops, expected):
    app = make_app(app_config, PLAZA_TRUSTED_PROXIES=hops)

    @app.get("/whoami")
    def whoami():
        from flask import request
        return {"ip": request.remote_addr, "scheme": request.scheme}

    [answer] = serve(app, lambda: None, lambda c: c.get(
        "/whoami", environ_base={"REMOTE_ADDR": "10.0.0.1"},
        headers={"X-Forwarded-For": "198.51.100.9, 203.0.113.7", "X-Forwarded-Proto": "https, https"}))
    assert answer.get_json()["ip"] == expected
    assert answer.get_json()["scheme"] == ("https" if hops else "http")


def test_per_ip_login_limit_counts_each_client_behind_the_proxy(app_config, make_user):
    """30 strangers' failed logins through the proxy do not lock out a resident elsewhere."""
    app = make_app(app_config, PLAZA_TRUSTED_PROXIES=1, RATELIMIT_ENABLED=True,
                   PLAZA_LIMITS={**app_config.get("PLAZA_LIMITS", {}), **{
                       "login_ip": "3 per minute", "login_email": "100 per minute",
                       "register_ip": "20 per hour", "register_email": "5 per hour",
                       "vote_voter": "60 per minute", "vote_ip": "1200 per minute",
                       "pair_voter": "120 per minute", "idea_user": "10 per hour",
                       "flag_user": "30 per hour"}})

    def attempt(client, ip: str, password: str) -> int:
        token = csrf_token(client, "/auth/login")
        return client.post("/auth/login", data={"email": "ana@example.org", "password": password,
                                                "csrf_token": token},
                           headers={"X-Forwarded-For": ip}, environ_base={"REMOTE_ADDR": "10.0.0.1"}
                           ).status_code

    def add_user():
        from app.models import User
        user = User(email="ana@example.org", display_name="Ana", role="resident")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()

    strangers, owner = serve(
        app, add_user,
        lambda c: [attempt(c, f"198.51.100.{n}", "wrong password") for n in range(1, 6)]
        + [attempt(c, "198.51.100.1", "wrong password") for _ in range(3)],
        lambda c: attempt(c, "203.0.113.50", PASSWORD))
    assert strangers[:5] == [422] * 5 and strangers[-1] == 429
    assert owner == 302


def test_trusted_proxies_must_be_a_number(monkeypatch, tmp_path):
    monkeypatch.setenv("PLAZA_TRUSTED_PROXIES", "two")
    with pytest.raises(ConfigError, match="PLAZA_TRUSTED_PROXIES"):
        base_config(str(tmp_path))


def test_remember_cookie_gets_the_session_cookie_flags(app_config, make_user):
    app = make_app(app_config, SESSION_COOKIE_SECURE=True)

    def add_user():
        from app.models import User
        user = User(email="ana@example.org", display_name="Ana", role="resident")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()

    def log_in(client):
        page = client.get("/auth/login", base_url="https://localhost").get_data(as_text=True)
        token = CSRF_META.search(page).group(1)
        return client.post("/auth/login", data={"email": "ana@example.org", "password": PASSWORD,
                                                "remember": "y", "csrf_token": token},
                           base_url="https://localhost",
                           headers={"Referer": "https://localhost/auth/login"})  # CSRF over HTTPS

    [response] = serve(app, add_user, log_in)
    assert response.status_code == 302
    remember = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert remember, response.headers.getlist("Set-Cookie")
    assert "Secure" in remember[0] and "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]
