"""The refit job on a real Celery worker (issue 14): the web process never fits, and serves
the fit the worker stored (two app instances agreeing: tests/pairwise/test_stored_fits.py)."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from app.extensions import db
from app.models import Space, StoredFit
from app.pairwise import standings as standings_module
from app.pairwise.refits import refitter
from app.results.ranking import ranking
from tests.jobs.test_worker import ROOT, broker, queue  # noqa: F401  (fixtures)
from tests.pairwise.test_stored_fits import add_votes


@pytest.fixture
def app_config(app_config, broker, queue):  # noqa: F811
    return {**app_config, "CELERY_BROKER_URL": broker, "CELERY_QUEUE": queue}


def wait_for_fit(space_id: int, votes: int, timeout: float = 60.0) -> StoredFit:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        fit = db.session.get(StoredFit, space_id)
        if fit is not None and fit.serial > 0 and fit.votes == votes and fit.locked_by is None:
            return fit
        db.session.rollback()
        time.sleep(0.2)
    raise AssertionError(f"no stored fit of {votes} votes within {timeout} s")


def test_a_worker_fits_and_every_instance_serves_its_fit(app, app_config, client, queue, voting_space,  # noqa: F811
                                                         monkeypatch):
    def no_fitting_here(*args, **kwargs):
        raise AssertionError("the web process fitted a space")

    monkeypatch.setattr(standings_module, "map_bt_pairwise", no_fitting_here)
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONTRACEMALLOC"},
           "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": app_config["SECRET_KEY"],
           "CELERY_BROKER_URL": app_config["CELERY_BROKER_URL"], "PLAZA_CELERY_QUEUE": queue}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "--app", "wsgi:celery_app", "worker", "--pool", "solo",
         "--concurrency", "1", "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert client.get("/api/spaces/zocalo/pair").status_code == 200  # the prior, and a job asked
        wait_for_fit(voting_space.id, 0)
        add_votes(voting_space, 42)
        refitter().ask(voting_space.id)
        wait_for_fit(voting_space.id, 42)
        assert client.get("/api/spaces/zocalo/pair").status_code == 200
        ours = client.get("/api/spaces/zocalo/ranking?method=pairwise").get_json()
        theirs = ranking(db.session.get(Space, voting_space.id), "pairwise")  # outside a request
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert "Traceback" not in output, output
    assert ours["totals"]["votes"] == theirs["totals"]["votes"] == 42
    assert [(r["id"], r["score"]) for r in ours["ideas"]] == [(r["id"], r["score"]) for r in theirs["ideas"]]
