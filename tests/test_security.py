"""Security headers, cookie flags and abuse limits."""
import re

import pytest
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster

from app import create_app
from app.extensions import db
from app.assets import map_assets
from app.security import content_security_policy
from tests.conftest import PASSWORD, csrf_token

TIGHT = {"login_ip": "100 per minute", "login_email": "3 per 15 minutes",
         "register_ip": "2 per hour", "register_email": "5 per hour",
         "vote_voter": "3 per minute", "vote_ip": "100 per minute", "pair_voter": "100 per minute",
         "idea_user": "2 per hour", "flag_user": "2 per hour"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "PLAZA_LIMITS": TIGHT}


@pytest.mark.parametrize("path", ["/", "/auth/login", "/api/spaces", "/nowhere"])
def test_security_headers_everywhere(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "https://tile.openstreetmap.org" in csp.split("img-src")[1].split(";")[0]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers


def directives(csp: str) -> dict[str, list[str]]:
    """The policy as {directive: [source, ...]}."""
    parts = [d.split() for d in csp.split(";")]
    return {p[0]: p[1:] for p in parts}


def test_csp_names_the_exact_cdn_files(client):
    """Only the Leaflet and marker-cluster files Plaza loads, not the whole CDN host."""
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    leaflet = f"https://unpkg.com/leaflet@{xs_leaflet.VERSION}/dist/"
    cluster = f"https://unpkg.com/leaflet.markercluster@{xs_cluster.VERSION}/dist/"
    assert policy["script-src"] == ["'self'", leaflet + "leaflet.js", cluster + "leaflet.markercluster.js"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'", leaflet + "leaflet.css",
                                   cluster + "MarkerCluster.css", cluster + "MarkerCluster.Default.css"]
    assert policy["img-src"] == ["'self'", "data:", "blob:", "https://tile.openstreetmap.org",
                                 leaflet + "images/"]
    assert not any(s.rstrip("/") == "https://unpkg.com" for sources in policy.values() for s in sources)


def test_csp_names_what_the_pages_load(app, client):
    """The policy and the page loader agree on every CDN address, and each keeps its SRI hash."""
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    with app.test_request_context():
        assets = map_assets()
    for asset in assets:
        assert asset["cdn"] in policy["script-src" if asset["kind"] == "js" else "style-src"]
        assert asset["integrity"].startswith("sha384-")


def test_csp_follows_configuration():
    csp = content_security_policy({"PLAZA_OFFLINE_ASSETS": True, "LEAFLET_CDN": "https://unpkg.com",
                                   "TILE_URL": "https://{s}.tile.example.org/{z}/{x}/{y}.png"})
    assert "unpkg" not in csp and "https://*.tile.example.org" in csp
    csp = content_security_policy({"PLAZA_OFFLINE_ASSETS": False, "LEAFLET_CDN": "https://cdn.example.org/npm/",
                                   "TILE_URL": "https://tile.example.org/{z}/{x}/{y}.png"})
    assert f"https://cdn.example.org/npm/leaflet@{xs_leaflet.VERSION}/dist/leaflet.js" in directives(csp)["script-src"]


def test_hsts_and_secure_cookies_behind_https(app_config):
    app = create_app({**app_config, "SESSION_COOKIE_SECURE": True})
    with app.app_context():
        db.create_all()
        response = app.test_client().get("/auth/login")
        db.drop_all()
        db.engine.dispose()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logins_limited_per_email(client, make_user):
    user = make_user(email="ana@example.org")
    for _ in range(3):
        response = client.post("/auth/login", data={"email": user.email, "password": "wrong one!",
                                                    "csrf_token": csrf_token(client)})
        assert response.status_code == 422
    blocked = client.post("/auth/login", data={"email": "ANA@example.org", "password": PASSWORD,
                                               "csrf_token": csrf_token(client)})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    other = client.post("/auth/login", data={"email": "someone@example.org", "password": "x",
                                             "csrf_token": csrf_token(client)})
    assert other.status_code == 422  # another address is not blocked
    assert client.get("/auth/login").status_code == 200  # the page itself still opens


def test_registrations_limited_per_ip(client):
    """Two registrations an hour from one IP (TIGHT), each with its own address: the third waits."""
    answers = [client.post("/auth/register", data={"email": f"r{n}@example.org", "display_name": "R",
                                                   "password": "short", "confirm": "short",
                                                   "csrf_token": csrf_token(client)}).status_code
               for n in range(2)]
    assert answers == [422, 422]  # not limited: the form answered (the password is too short)
    blocked = client.post("/auth/register", data={"email": "r9@example.org", "csrf_token": csrf_token(client)})
    assert blocked.status_code == 429


def test_anonymous_votes_limited_per_voter(client, make_space, make_idea):
    space = make_space(slug="zocalo")
    for n in range(6):
        make_idea(space, title=f"Idea number {n}")
    for _ in range(3):
        pair = client.get("/api/spaces/zocalo/pair").get_json()
        response = client.post("/api/spaces/zocalo/pairwise-votes", json={"pair_id": pair["pair_id"], "choice": "left"},
                               headers={"X-CSRFToken": csrf_token(client)})
        assert response.status_code == 201
    pair = client.get("/api/spaces/zocalo/pair").get_json()
    blocked = client.post("/api/spaces/zocalo/pairwise-votes", json={"pair_id": pair["pair_id"], "choice": "left"},
                          headers={"X-CSRFToken": csrf_token(client)})
    assert blocked.status_code == 429
    assert re.fullmatch(r"Too many attempts in a short time; please wait (\d+ seconds?|1 minute) and try again\.",
                        blocked.get_json()["error"])
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60


def test_idea_submissions_limited_per_user(client, post_form, make_space, make_user, login):
    make_space(slug="zocalo")
    login(make_user())
    data = {"title": "A bench by the fountain", "category": "other", "lat": "19.4326", "lng": "-99.1332"}
    assert [post_form("/spaces/zocalo/ideas/new", data).status_code for _ in range(3)] == [302, 302, 429]
