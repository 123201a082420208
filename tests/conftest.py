"""Fixtures: a fresh app and schema per test, on SQLite or on TEST_DATABASE_URL."""
from __future__ import annotations

import contextvars
import email
import email.policy
import os
import re
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from app import create_app, jobs
from app.extensions import db
from app.models import Idea, Space, User
from app.pairwise.refits import refitter

# Real data nobody here wrote, checked out beside the project (see ../shared/data/README.md).
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BG2050_COMMENTS = SHARED_DATA / "bg2050" / "comments.csv"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
PASSWORD = "correct horse battery"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-99.1344, 19.4337], [-99.1320, 19.4338], [-99.1320, 19.4315],
                     [-99.1343, 19.4314], [-99.1344, 19.4337]]],
}


class IsolatedClient(FlaskClient):
    """Runs each request in a fresh context, as in production: its own g, session and user.

    Without this, requests would reuse the test's app context and so its `g`, where
    Flask-Login caches the logged-in user between requests.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def database_url(tmp_path) -> str:
    """PostgreSQL when TEST_DATABASE_URL names one, else a throw-away SQLite file."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app_config(tmp_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "PLAZA_OFFLINE_ASSETS": False,
        # Tests log in and vote far faster than people; tests/test_security.py turns limits on.
        "RATELIMIT_ENABLED": False,
        # Jobs run in the test process and mail lands in the test's own outbox, unless a test
        # asks for the queue (tests/jobs) or an SMTP server (the `smtp` fixture).
        "CELERY_BROKER_URL": None,
        "MAIL_SERVER": None,
        "PLAZA_OUTBOX": str(tmp_path / "outbox"),
    }


@pytest.fixture
def app(app_config) -> Iterator[Flask]:
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        # A background refit still holding a connection would keep it past dispose(), to be
        # garbage-collected open (a ResourceWarning failing some later test).
        refitter().wait()
        jobs.wait(app)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client: FlaskClient, path: str = "/") -> str:
    """The token a page hands its forms; tests post it like a browser would."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_META.search(html)
    assert match, f"no csrf meta tag on {path}"
    return match.group(1)


@pytest.fixture
def post_form(client) -> Callable:
    """POST a form with the CSRF token of the session, as a browser would send it."""

    def post(path: str, data: dict, **kwargs):
        return client.post(path, data={**data, "csrf_token": csrf_token(client)}, **kwargs)

    return post


@pytest.fixture
def make_user(app) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(role: str = "resident", email: str | None = None, password: str = PASSWORD,
             display_name: str = "Ana García", confirmed: bool = True, **fields) -> User:
        """An account; confirmed (its owner followed the e-mailed link) unless told otherwise."""
        user = User(email=email or f"user{next(counter)}@example.org",
                    display_name=display_name, role=role,
                    email_confirmed_at=datetime.now(timezone.utc) if confirmed else None, **fields)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_space(app, make_idea) -> Callable[..., Space]:
    """An unmoderated space in its voting phase (override any field), with `ideas`: one published idea
    per title, or per dict of idea fields."""
    counter = iter(range(1, 10_000))

    def make(ideas: Iterable[str | dict] = (), **fields) -> Space:
        n = next(counter)
        values = dict(slug=f"space-{n}", name=f"Plaza {n}", description="A square.",
                      center_lat=19.43263, center_lng=-99.13321, zoom=17, boundary=SQUARE,
                      phase="voting", moderation=False)
        values.update(fields)
        space = Space(**values)
        db.session.add(space)
        db.session.commit()
        for idea in ideas:
            make_idea(space, **({"title": idea} if isinstance(idea, str) else idea))
        return space

    return make


@pytest.fixture
def make_idea(app) -> Callable[..., Idea]:
    def make(space: Space, **fields) -> Idea:
        values = dict(title="Shade trees on the west side", body="Native trees for shade.",
                      category="greenery", lat=19.4326, lng=-99.1332, status="published")
        values.update(fields)
        idea = Idea(space_id=space.id, **values)
        db.session.add(idea)
        db.session.commit()
        return idea

    return make


# Scenarios several folders share; a folder's own scenarios are in its conftest.
FOUR_IDEAS = ("Shade trees", "Benches", "Water fountains", "Night lighting")


@pytest.fixture
def empty_space(make_space) -> Space:
    """The Zócalo (/spaces/zocalo) in its voting phase, without ideas yet."""
    return make_space(slug="zocalo", name="Zócalo")


@pytest.fixture
def voting_space(make_space) -> Space:
    """The Zócalo in its voting phase with four published ideas: six pairs to compare."""
    return make_space(slug="zocalo", name="Zócalo", ideas=FOUR_IDEAS)


@pytest.fixture
def login(post_form) -> Callable:
    def do_login(user: User, password: str = PASSWORD):
        response = post_form("/auth/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do_login


@pytest.fixture
def resident(make_user, login) -> User:
    """A logged-in resident; modules that need a particular account define their own."""
    user = make_user(display_name="Rosa")
    login(user)
    return user


@pytest.fixture
def staff(make_user, login) -> User:
    """A logged-in staff member."""
    user = make_user(role="staff", email="jefa@city.gob.mx")
    login(user)
    return user


@pytest.fixture
def postgresql(app):
    """Tests of what only PostgreSQL has (row locks for concurrent writers, backends that can
    be terminated): they run in the suite's PostgreSQL half."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("runs in the suite's PostgreSQL half")


JOIN_TIMEOUT_S = 60  # seconds a concurrency test waits for each of its threads


def run_threads(app, target, count: int) -> list[object]:
    """Run ``target(k)`` in ``count`` threads, each in its own app context and session."""
    results: list[object] = [None] * count

    def run(k: int) -> None:
        with app.app_context():
            try:
                results[k] = target(k)
            except Exception as exc:  # reported by the test, not lost in the thread
                db.session.rollback()
                results[k] = exc

    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_S)
    assert not any(t.is_alive() for t in threads), "a thread hung: a lock was never released"
    return results


# ---------------------------------------------------------------------------------------
# E-mail: the outbox folder Plaza writes without a server, and a real SMTP server

@dataclass
class Mail:
    """A message as the recipient's program reads it."""

    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]

    def link(self, part: str) -> str:
        """The first link in the text that contains `part`, as a path for the test client."""
        match = re.search(r"https?://[^\s\"<>]*" + re.escape(part) + r"[^\s\"<>]*", self.text)
        assert match, f"no link with {part!r} in:\n{self.text}"
        return "/" + match.group(0).split("/", 3)[3]


def parse_mail(raw: bytes) -> Mail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return Mail(to=str(message["To"]), subject=str(message["Subject"]),
                text=text.get_content() if text else "", html=html.get_content() if html else "",
                headers={k: str(v).strip() for k, v in message.items()})


@pytest.fixture
def outbox(app) -> Callable[[], list[Mail]]:
    """The messages written to the outbox folder so far, oldest first (jobs finished first)."""
    def read() -> list[Mail]:
        jobs.wait(app)
        folder = Path(app.config["PLAZA_OUTBOX"])
        return [parse_mail(p.read_bytes()) for p in sorted(folder.glob("*.eml"))] if folder.exists() else []
    return read


class SMTPServer:
    """aiosmtpd on 127.0.0.1: what it received, and a switch to refuse everything."""

    def __init__(self):
        self.received: list[Mail] = []
        self.refusing = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Try again later"
        with self.lock:
            self.received.append(parse_mail(envelope.original_content or envelope.content))
        return "250 OK"

    def messages(self) -> list[Mail]:
        with self.lock:
            return list(self.received)


def reachable_redis(url: str, needed_for: str) -> redis.Redis:
    """The Redis at `url`; a failure in CI (it must have one), a skip elsewhere."""
    server = redis.Redis.from_url(url, socket_timeout=5)
    try:
        server.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is unreachable at {url}: {exc}; {needed_for} need it")
        pytest.skip(f"no Redis at {url}: {needed_for} are skipped here; CI runs them")
    return server


@pytest.fixture(scope="session")
def smtp_controller():
    from aiosmtpd.controller import Controller

    handler = SMTPServer()
    with socket.socket() as probe:  # a free port: aiosmtpd checks the one it is given
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def smtp(smtp_controller) -> SMTPServer:
    """The SMTP server, emptied for this test; pair it with the `mail_via_smtp` config."""
    handler: SMTPServer = smtp_controller.handler
    with handler.lock:
        handler.received.clear()
    handler.refusing = False
    return handler


@pytest.fixture
def mail_via_smtp(app_config, smtp_controller) -> dict:
    """App settings that send through the test's SMTP server; use as `app_config`."""
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_controller.port}
