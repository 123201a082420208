"""One stored fit per space (issue 14): the refit job writes it, every web worker reads it.

Here the job runs in the test process's job thread (no broker); tests/jobs/test_refit_worker.py
runs it on a real Celery worker.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import Idea, PairwiseVote, StoredFit, Voter
from app.pairwise import refit_job, standings as standings_module
from app.pairwise.refit_job import claim, refit_space, spaces_behind
from app.pairwise.refits import refitter
from app.pairwise.standings import answers_over
from app.pairwise.vote_reader import CHOICE_CODES, SKIP, KeptVotes, VoteArrays, VoteKeeper, read_votes
from app.results.ranking import ranking

ROOT = Path(__file__).resolve().parents[2]


def add_votes(space, count: int, seed: int = 0, first_voter: int = 0) -> None:
    """`count` answers, each voter answering every pair once, the lower id winning 4 in 5."""
    rng = np.random.default_rng(seed)
    ideas = sorted(db.session.scalars(sa.select(Idea.id).where(Idea.space_id == space.id)))
    pairs = [(a, b) for i, a in enumerate(ideas) for b in ideas[i + 1:]]
    voters = [Voter(anon_key=f"bulk-{space.id}-{first_voter + n}") for n in range(-(-count // len(pairs)))]
    db.session.add_all(voters)
    db.session.flush()
    rows = []
    for n in range(count):
        a, b = pairs[n % len(pairs)]
        if rng.random() < 0.5:
            a, b = b, a
        choice = "left" if (a < b) == (rng.random() < 0.8) else "right"
        rows.append(dict(space_id=space.id, voter_id=voters[n // len(pairs)].id, left_idea_id=a,
                         right_idea_id=b, choice=choice if n % 7 else "skip"))
    db.session.execute(sa.insert(PairwiseVote), rows)
    db.session.commit()


def stored(space_id: int) -> StoredFit:
    db.session.expire_all()
    return db.session.get(StoredFit, space_id)


@pytest.fixture
def no_fits_here(monkeypatch):
    """Fail any fit outside the job thread: what a web worker does must never fit."""
    original = standings_module.map_bt_pairwise
    threads = []

    def guarded(*args, **kwargs):
        threads.append(threading.current_thread().name)
        assert threading.current_thread().name.startswith("plaza-job"), "a fit in a request"
        return original(*args, **kwargs)

    monkeypatch.setattr(standings_module, "map_bt_pairwise", guarded)
    return threads


def test_pairs_come_from_the_prior_until_the_first_job(api, voting_space, monkeypatch, no_fits_here):
    monkeypatch.setattr("app.jobs.submit", lambda *a: None)  # no job runs
    assert api.get("/api/spaces/zocalo/pair").status_code == 200
    assert stored(voting_space.id) is None and no_fits_here == []


def test_web_requests_never_fit(api, client, voting_space, make_idea, make_user, login, no_fits_here):
    for _ in range(6):
        _, response = api.vote("left")
        assert response.status_code == 201
    assert client.get("/spaces/zocalo/ranking", follow_redirects=True).status_code == 200
    make_idea(voting_space, title="A new fountain")
    assert api.get("/api/spaces/zocalo/pair").status_code == 200
    refitter().wait()
    assert no_fits_here and set(no_fits_here) == {"plaza-job_0"}


def test_a_hidden_idea_leaves_pairs_and_ranking_before_any_refit(api, voting_space, monkeypatch):
    refitter().fresh(voting_space.id)
    serial = stored(voting_space.id).serial
    monkeypatch.setattr("app.jobs.submit", lambda *a: None)
    hidden = db.session.scalars(sa.select(Idea).where(Idea.space_id == voting_space.id)).first()
    hidden.status = "hidden"
    db.session.commit()
    for _ in range(10):
        pair = api.get("/api/spaces/zocalo/pair").get_json()
        assert hidden.id not in (pair["left"]["id"], pair["right"]["id"])
    standings = refitter().current(voting_space.id)
    assert hidden.id not in standings.idea_ids.tolist() and stored(voting_space.id).serial == serial


def test_a_new_idea_is_served_first_at_the_prior(voting_space, make_idea, monkeypatch):
    add_votes(voting_space, 60)
    refitter().fresh(voting_space.id)
    monkeypatch.setattr("app.jobs.submit", lambda *a: None)
    new = make_idea(voting_space, title="Drinking fountain")
    standings = refitter().current(voting_space.id)
    at = standings.position()[new.id]
    assert standings.fit.theta[at] == 0.0 and standings.summary.appearances[at] == 0
    assert standings.chooser.lagging[standings.votable_positions[new.id]]


def test_two_app_instances_agree_after_the_job(app, app_config, voting_space):
    add_votes(voting_space, 80)
    refit_space(voting_space.id)
    other = create_app(app_config)
    with other.app_context():
        theirs = ranking(db.session.get(type(voting_space), voting_space.id), "pairwise")
        other.extensions["plaza_refitter"].wait()
        db.session.remove()
        db.engine.dispose()
    ours = ranking(voting_space, "pairwise")
    assert [r["id"] for r in theirs["ideas"]] == [r["id"] for r in ours["ideas"]]
    assert theirs["totals"]["votes"] == ours["totals"]["votes"] == 80
    assert theirs["ideas"][0]["score"] == ours["ideas"][0]["score"]


def test_one_job_at_a_time_and_a_crashed_claim_expires(voting_space):
    add_votes(voting_space, 20)
    assert claim(voting_space.id, lock_seconds=0.5, holder="crashed:1")
    assert refit_space(voting_space.id).outcome == "busy"
    assert stored(voting_space.id).payload is None
    time.sleep(0.6)
    assert refit_space(voting_space.id).outcome == "stored"
    assert stored(voting_space.id).locked_by is None
    assert refit_space(voting_space.id).outcome == "current"


def test_a_job_reads_only_the_new_votes(voting_space, monkeypatch):
    keeper = VoteKeeper()
    monkeypatch.setattr(refit_job, "keeper", keeper)
    add_votes(voting_space, 50)
    assert refit_space(voting_space.id).read_all
    add_votes(voting_space, 5, seed=1, first_voter=100)
    second = refit_space(voting_space.id)
    assert (second.outcome, second.votes, second.read_all) == ("stored", 55, False)
    assert stored(voting_space.id).votes == 55


def test_a_change_to_the_ideas_or_a_late_vote_reads_everything(voting_space, monkeypatch):
    keeper = VoteKeeper()
    monkeypatch.setattr(refit_job, "keeper", keeper)
    add_votes(voting_space, 30)
    refit_space(voting_space.id)
    idea = db.session.scalars(sa.select(Idea).where(Idea.space_id == voting_space.id)).first()
    idea.status = "hidden"
    db.session.commit()
    assert refit_space(voting_space.id).read_all
    # A vote committed late, under an id below the last one the job read.
    kept = keeper._kept[voting_space.id]
    lowest = int(kept.votes.ids[0])
    db.session.execute(sa.delete(PairwiseVote).where(PairwiseVote.id == lowest))
    db.session.commit()
    kept.data_version = stored(voting_space.id).data_version
    add_votes(voting_space, 3, seed=2, first_voter=100)
    refit = refit_space(voting_space.id)
    assert refit.read_all and refit.votes == 32


def test_the_bulk_reader_reads_what_the_orm_reads(voting_space):
    add_votes(voting_space, 40)
    votes = read_votes(db.session, voting_space.id)
    rows = db.session.execute(sa.select(PairwiseVote.id, PairwiseVote.voter_id, PairwiseVote.left_idea_id,
                                        PairwiseVote.right_idea_id, PairwiseVote.choice)
                              .where(PairwiseVote.space_id == voting_space.id).order_by(PairwiseVote.id)).all()
    codes = {"left": 0, "right": 1, "tie": 2, "skip": 3}
    assert votes.ids.tolist() == [r[0] for r in rows]
    assert votes.voters.tolist() == [r[1] for r in rows]
    assert list(zip(votes.left.tolist(), votes.right.tolist())) == [(r[2], r[3]) for r in rows]
    assert votes.choice.tolist() == [codes[r[4]] for r in rows]
    assert len(read_votes(db.session, voting_space.id, after=rows[-1][0])) == 0
    assert read_votes(db.session, voting_space.id, after=rows[-2][0]).ids.tolist() == [rows[-1][0]]
    assert len(read_votes(db.session, voting_space.id, after=rows[9][0])) == 30
    assert db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))) == 40  # the connection is free again


def test_the_sweep_finds_the_spaces_behind(voting_space, make_space):
    quiet = make_space(slug="quiet")
    refit_space(voting_space.id)
    refit_space(quiet.id)
    assert spaces_behind() == []
    add_votes(voting_space, 3)
    assert spaces_behind() == [voting_space.id]
    quiet.focus_k = 3
    db.session.commit()
    assert spaces_behind() == [voting_space.id, quiet.id]


def test_a_job_killed_mid_refit_leaves_the_previous_fit(app_config, voting_space, tmp_path):
    """A real SIGKILL between the claim and the store: the old fit stays, the claim runs out."""
    add_votes(voting_space, 40)
    refit_space(voting_space.id)
    before = stored(voting_space.id)
    serial, payload = before.serial, before.payload
    add_votes(voting_space, 10, seed=3, first_voter=100)
    script = textwrap.dedent(f"""
        import os, signal
        from app import create_app
        from app.pairwise import refit_job
        app = create_app({{"SQLALCHEMY_DATABASE_URI": {app_config["SQLALCHEMY_DATABASE_URI"]!r},
                          "SECRET_KEY": "test-secret", "CELERY_BROKER_URL": None}})
        def killed(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        refit_job.fit_space = killed
        with app.app_context():
            refit_job.refit_space({voting_space.id}, lock_seconds=1.0, holder="killed:1")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    after = stored(voting_space.id)
    assert (after.serial, after.payload, after.locked_by) == (serial, payload, "killed:1")
    assert refit_space(voting_space.id).outcome == "busy"
    time.sleep(1.1)
    assert refit_space(voting_space.id).outcome == "stored"
    assert stored(voting_space.id).votes == 50


def test_the_refit_command_rebuilds_a_space(runner, voting_space):
    add_votes(voting_space, 30)
    result = runner.invoke(args=["refit", "--space", "zocalo"])
    assert result.exit_code == 0, result.output
    assert "Stored the fit of 30 votes" in result.output
    assert stored(voting_space.id).votes == 30
    assert runner.invoke(args=["refit", "--help"]).output.count("Read every vote") == 1


def test_the_refit_command_names_a_missing_space_and_a_busy_one(runner, voting_space):
    missing = runner.invoke(args=["refit", "--space", "nowhere"])
    assert missing.exit_code == 2 and "no space with the slug 'nowhere'" in missing.output
    claim(voting_space.id, lock_seconds=60, holder="elsewhere:1")
    busy = runner.invoke(args=["refit", "--space", "zocalo"])
    assert busy.exit_code == 1 and "Another refit of this space is running" in busy.output


def _arrays(ids, voters, left, right, choice) -> VoteArrays:
    return VoteArrays(*(np.array(column, dtype=np.int64) for column in (ids, voters, left, right, choice)))


def test_kept_votes_grow_in_place_and_count_their_voters():
    kept = KeptVotes(1, _arrays([1, 2], [7, 7], [10, 11], [11, 12], [0, 1]))
    before = kept.votes
    for n in range(3, 40):
        kept.append(_arrays([n], [n % 5], [10], [12], [2]))
    assert len(kept.votes) == 39 and kept.votes.last_id == 39
    assert kept.votes.ids.tolist() == list(range(1, 40))
    assert kept.voters.tolist() == [0, 1, 2, 3, 4, 7]
    assert before.ids.tolist() == [1, 2]  # an earlier view is not disturbed by growth


def test_votes_on_ideas_outside_the_fit_are_left_out():
    idea_ids = np.array([10, 12, 15])
    votes = _arrays([1, 2, 3, 4, 5], [1, 1, 1, 1, 1], [10, 11, 15, 99, 12],
                    [12, 12, 10, 10, 15], [CHOICE_CODES["left"], 0, CHOICE_CODES["right"], 0, SKIP])
    answers = answers_over(idea_ids, votes)
    assert answers.left.tolist() == [0, 2] and answers.right.tolist() == [1, 0]
    assert answers.outcome.tolist() == [1.0, 0.0]
    assert (answers.skip_left.tolist(), answers.skip_right.tolist()) == ([1], [2])
