"""The pairwise ranking through the API and its page; refits never hold up a voter."""
import threading

import numpy as np
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import PairwiseVote, StoredFit
from app.voters import voter_id_for_anon_key
from app.results.ranking import ranking
from app.pairwise.service import next_pair, record_vote

from app.pairwise import refits
from app.pairwise.refits import refitter

ROW_KEYS = {"id", "rank", "title", "url", "category", "status", "score", "ci_low", "ci_high",
            "wins", "losses", "ties", "appearances", "tier_first", "tier_last", "p_top"}


def test_ranking_before_any_vote(api, voting_space):
    data = api.get("/api/spaces/zocalo/ranking?method=pairwise").get_json()
    assert data["method"] == "pairwise" and data["space"] == "zocalo"
    assert data["totals"]["votes"] == 0 and data["totals"]["voters"] == 0
    assert len(data["ideas"]) == 4
    for row in data["ideas"]:
        assert set(row) == ROW_KEYS
        assert row["score"] == 50.0 and row["ci_low"] < 50 < row["ci_high"]
        assert isinstance(row["id"], int)


def test_a_ranking_is_built_without_a_request_for_a_job(app, voting_space):
    """Outside a request (a worker's task) there is no address to build: rows carry none."""
    table = ranking(voting_space, "pairwise")
    assert len(table["ideas"]) == 4 and all(set(row) == ROW_KEYS - {"url"} for row in table["ideas"])


def test_votes_move_the_ranking(api, voting_space):
    winner = None
    for _ in range(6):
        pair = api.get("/api/spaces/zocalo/pair").get_json()
        ids = {pair["left"]["id"]: "left", pair["right"]["id"]: "right"}
        winner = winner or pair["left"]["id"]
        choice = ids.get(winner, "tie")
        api.post("/api/spaces/zocalo/pairwise-votes", {"pair_id": pair["pair_id"], "choice": choice})
    data = api.get("/api/spaces/zocalo/ranking").get_json()
    top = data["ideas"][0]
    assert top["id"] == winner and top["rank"] == 1
    assert top["wins"] == 3 and top["losses"] == 0 and top["appearances"] == 3
    assert top["score"] > 50
    assert data["totals"] == {**data["totals"], "votes": 6, "voters": 1}
    assert [r["rank"] for r in data["ideas"]] == [1, 2, 3, 4]
    assert all(r["ci_low"] <= r["score"] <= r["ci_high"] for r in data["ideas"])


def test_unknown_method_is_422(api, voting_space):
    response = api.get("/api/spaces/zocalo/ranking?method=borda")
    assert response.status_code == 422
    assert response.get_json() == {"error": "method must be 'pairwise' or 'quadratic'."}


def test_hidden_ideas_leave_the_ranking(api, voting_space, make_idea):

    make_idea(voting_space, title="Spam", status="hidden")
    titles = [r["title"] for r in api.get("/api/spaces/zocalo/ranking").get_json()["ideas"]]
    assert "Spam" not in titles and len(titles) == 4


def test_ranking_page_explains_the_score(client, api, voting_space):
    api.vote("left")
    html = client.get("/spaces/zocalo/ranking", follow_redirects=True).get_data(as_text=True)
    assert "estimated chance, out of 100" in html
    assert "From 1 comparison by" in html
    assert html.count('class="ranking-row"') == 8  # both rankings


@pytest.fixture
def slow_refits(app):
    app.config.update(PLAZA_REFIT_EVERY_VOTES=3, PLAZA_REFIT_EVERY_SECONDS=3600)
    fitter = refitter()
    fitter.every_votes, fitter.every_seconds = 3, 3600
    return fitter


@pytest.fixture
def refit_calls(monkeypatch):
    """The space of each refit job run, and the thread it ran in."""
    calls = []
    original = refits.refit_space

    def recorded(space_id, **options):
        calls.append((space_id, threading.current_thread().name))
        return original(space_id, **options)

    monkeypatch.setattr(refits, "refit_space", recorded)
    return calls


def test_votes_only_store_and_refits_run_after_k_votes(api, voting_space, slow_refits, refit_calls):
    """The vote request never fits; the Kth vote asks for one refit job, run in the background."""
    api.get("/api/spaces/zocalo/pair")  # no stored fit yet: served from the prior, a job asked
    slow_refits.wait()
    assert [space for space, _ in refit_calls] == [voting_space.id]
    for _ in range(2):
        api.vote("left")
    slow_refits.wait()
    assert len(refit_calls) == 1
    api.vote("left")
    slow_refits.wait()
    assert [space for space, _ in refit_calls] == [voting_space.id] * 2
    assert {thread for _, thread in refit_calls} == {"plaza-job_0"}
    assert slow_refits.current(voting_space.id).votes == 3


def test_a_vote_is_counted_for_refits_only_once_committed(app, api, voting_space, slow_refits, monkeypatch):
    """The Kth vote's refit must see that vote, so the count waits for the commit."""
    seen_by_another_connection = []
    original = slow_refits.note_vote

    def note_vote(space_id):
        with db.engine.connect() as other:
            seen_by_another_connection.append(other.scalar(sa.select(sa.func.count(PairwiseVote.id))))
        original(space_id)

    monkeypatch.setattr(slow_refits, "note_vote", note_vote)
    api.vote("left")
    api.vote("left")
    assert seen_by_another_connection == [1, 2]


def test_a_rolled_back_vote_is_not_counted(app, api, voting_space, slow_refits):
    rng = np.random.default_rng(0)
    with app.test_request_context():
        voter_id = voter_id_for_anon_key("rolled-back")
        first = next_pair(voting_space, voter_id, [], rng)
        record_vote(voting_space, voter_id, first.token, "left", None)
        db.session.commit()
        assert slow_refits._new_votes.get(voting_space.id, 0) == 1  # a committed vote is counted
        pair = next_pair(voting_space, voter_id, [], rng)
        _, stored = record_vote(voting_space, voter_id, pair.token, "left", None)
        assert stored  # a new vote, not the replay of the first
        db.session.rollback()
        db.session.commit()
    assert slow_refits._new_votes.get(voting_space.id, 0) == 1


def test_background_refit_failure_keeps_the_last_fit(api, voting_space, slow_refits, monkeypatch, caplog):
    slow_refits.fresh(voting_space.id)
    first = slow_refits.current(voting_space.id)
    api.vote("left")
    monkeypatch.setattr("app.pairwise.refit_job.fit_space", lambda *a: 1 / 0)
    slow_refits.ask(voting_space.id)
    slow_refits.wait()
    assert slow_refits.current(voting_space.id) is first
    assert "Job plaza.refit_space" in caplog.text
    claim = db.session.execute(sa.select(StoredFit.locked_by).where(StoredFit.space_id == voting_space.id))
    assert claim.scalar_one() is None  # a failed job releases its claim at once


def test_time_based_refit(api, voting_space, slow_refits):
    slow_refits.every_seconds = 0.0
    before = slow_refits.fresh(voting_space.id)
    api.vote("left")
    slow_refits.wait()
    assert slow_refits.current(voting_space.id).votes == 1 and before.votes == 0


def test_quadratic_ranking_follows_a_ballot_change_of_equal_cost(api, voting_space, make_user, login):
    login(make_user())
    ideas = api.get("/api/spaces/zocalo/ranking?method=quadratic").get_json()["ideas"]
    first, second = ideas[0]["id"], ideas[1]["id"]
    for target in (first, second):
        response = api.client_put("/api/spaces/zocalo/qv-ballot", {"allocations": {str(target): 3}})
        assert response.status_code == 200
        top = api.get("/api/spaces/zocalo/ranking?method=quadratic").get_json()["ideas"][0]
        assert (top["id"], top["votes_net"]) == (target, 3)


def test_a_large_space_waits_for_a_share_of_its_votes(voting_space, slow_refits, monkeypatch):
    """A refit costs more in a large space: 20 new votes must not refit a space of 100,000."""
    import dataclasses

    slow_refits.fresh(voting_space.id)
    served = slow_refits._served[voting_space.id]
    slow_refits._served[voting_space.id] = dataclasses.replace(
        served, standings=dataclasses.replace(served.standings, votes=1000))
    slow_refits.every_share = 0.02
    queued = []
    monkeypatch.setattr(slow_refits, "ask", queued.append)
    for _ in range(19):
        slow_refits.note_vote(voting_space.id)
    assert queued == []  # 3 votes would do for a small space; 2% of 1,000 is 20
    slow_refits.note_vote(voting_space.id)
    assert queued == [voting_space.id]


def test_ideas_no_vote_can_tell_apart_share_one_tier(api, voting_space):
    """Before any vote every interval overlaps: the four ideas are places 1–4, not 1, 2, 3, 4."""
    rows = api.get("/api/spaces/zocalo/ranking?method=pairwise").get_json()["ideas"]
    assert [(r["tier_first"], r["tier_last"]) for r in rows] == [(1, 4)] * 4
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]


@pytest.mark.parametrize("official, pairwise, quadratic", [
    ("pairwise", True, False), ("quadratic", False, True), ("both", True, True)])
def test_the_ranking_says_whether_it_is_the_official_result(api, voting_space, official, pairwise, quadratic):
    voting_space.official_result = official
    db.session.commit()
    assert api.get("/api/spaces/zocalo/ranking?method=pairwise").get_json()["official"] is pairwise
    assert api.get("/api/spaces/zocalo/ranking?method=quadratic").get_json()["official"] is quadratic
