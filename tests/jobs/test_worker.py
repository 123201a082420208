"""The job queue for real: Celery workers consuming from the machine's Redis.

CI fails, never skips, without Redis (TEST_CELERY_BROKER_URL, default db 11 of the local
server). Each run uses a queue of its own, so nothing left over from another run is taken.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.ideas import commands
from app.ideas.drafts import IdeaDraft
from app.models import Notice, Space, User
from tests.conftest import PASSWORD, parse_mail, reachable_redis

BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def broker() -> str:
    reachable_redis(BROKER, "the queue tests (TEST_CELERY_BROKER_URL)").close()
    return BROKER


@pytest.fixture
def queue() -> str:
    return f"plaza-test-{secrets.token_hex(4)}"


@pytest.fixture
def app_config(app_config, broker, queue):
    return {**app_config, "CELERY_BROKER_URL": broker, "CELERY_QUEUE": queue}


def story(space_slug: str = "zocalo") -> tuple[User, object]:
    staff = User(email="jefa@city.gob.mx", display_name="Jefa", role="staff", email_confirmed_at=datetime.now(timezone.utc))
    author = User(email="autora@example.org", display_name="Autora", notify="immediately", language="es",
                  email_confirmed_at=datetime.now(timezone.utc))
    for user in (staff, author):
        user.set_password(PASSWORD)
    space = Space(slug=space_slug, name="Zócalo", center_lat=19.43, center_lng=-99.13, phase="voting",
                  moderation=False)
    db.session.add_all([staff, author, space])
    db.session.commit()
    idea = commands.submit_idea(space, author.id, IdeaDraft(title="Shade for the market", category="greenery",
                                                            lat=19.43, lng=-99.13))
    db.session.commit()
    return staff, idea


def wait_for_mail(folder: Path, count: int, timeout: float = 30.0) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.eml")) if folder.exists() else []
        if len(files) >= count:
            return [parse_mail(f.read_bytes()) for f in files]
        time.sleep(0.1)
    raise AssertionError(f"{count} message(s) expected in {folder}, found {len(files)}")


def test_a_worker_thread_delivers_the_notices_of_a_decision(app):
    from celery.contrib.testing.worker import start_worker

    staff, idea = story()
    with start_worker(app.extensions["celery"], pool="solo", perform_ping_check=False, shutdown_timeout=10):
        commands.decide(idea, "adopted", "Lo hacemos en marzo.", staff.id)
        db.session.commit()
        [mail] = wait_for_mail(Path(app.config["PLAZA_OUTBOX"]), 1)
    assert mail.subject == "Tu idea «Shade for the market» ahora está adoptada."
    db.session.expire_all()
    assert db.session.scalar(sa.select(Notice.status)) == "sent"


def test_the_celery_command_runs_the_jobs(app, app_config, queue, tmp_path):
    """`celery --app wsgi:celery_app worker`, as the README says to run it, in its own process."""
    staff, idea = story()
    env = {**os.environ, "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": app_config["SECRET_KEY"],
           "CELERY_BROKER_URL": app_config["CELERY_BROKER_URL"], "PLAZA_CELERY_QUEUE": queue,
           "PLAZA_OUTBOX": app_config["PLAZA_OUTBOX"]}
    env.pop("MAIL_SERVER", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "--app", "wsgi:celery_app", "worker", "--pool", "solo",
         "--concurrency", "1", "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        commands.decide(idea, "adopted", "Lo hacemos en marzo.", staff.id)
        db.session.commit()
        [mail] = wait_for_mail(Path(app_config["PLAZA_OUTBOX"]), 1, timeout=60)
        assert mail.to == "Autora <autora@example.org>"
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert "Traceback" not in output, output
