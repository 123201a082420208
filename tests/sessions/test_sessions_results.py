"""Room results from plain rows, and the same items sent twice at the same moment."""
import threading

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote, QVAllocation
from app.models.facilitation import SessionIdea
from app.core.csv import safe_cell
from app.sessions.results import pairwise_table, quadratic_table
from tests.conftest import csrf_token


def test_pairwise_table_ranks_the_winner_first():
    rows = [(1, 2, "left"), (1, 3, "left"), (2, 3, "tie"), (3, 2, "skip")]
    table = pairwise_table(rows)
    assert table[1]["score"] == table[2]["score"]  # 2 and 3 lost to 1 and tied each other
    assert [r["id"] for r in table] == [1, 2, 3]  # equal scores: the lower id first
    assert table[0]["id"] == 1 and table[0]["wins"] == 2 and table[0]["score"] > 50
    assert {r["id"]: r["shown"] for r in table} == {1: 2, 2: 3, 3: 3}
    assert pairwise_table([]) == []


def test_pairwise_table_breaks_ties_by_id_whatever_the_order_of_the_votes():
    rows = [(3, 1, "right"), (1, 2, "left"), (3, 2, "tie")]
    assert [r["id"] for r in pairwise_table(rows)] == [1, 2, 3]


def test_quadratic_table_sums_net_votes_and_breaks_ties_by_voters():
    rows = [(1, 10, 3), (2, 10, -1), (1, 11, 1), (2, 11, 1), (3, 12, 2)]
    table = quadratic_table(rows)
    assert [(r["id"], r["votes"], r["voters"]) for r in table] == [(10, 2, 2), (11, 2, 2), (12, 2, 1)]
    assert table[0]["credits"] == 10 and table[1]["credits"] == 2
    assert quadratic_table([]) == []


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+A1", "'+A1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("Shade trees", "Shade trees"), (3, 3), (None, None), ("", ""),
])
def test_csv_cells_never_run_as_formulas(value, safe):
    assert safe_cell(value) == safe


def test_the_same_batch_sent_twice_at_once_counts_once(app, make_session, moderated_space):
    session = make_session()
    clients = [app.test_client() for _ in range(3)]
    tokens = [csrf_token(c) for c in clients]
    p = clients[0].post(f"/api/sessions/{session.join_code}/participants", json={},
                        headers={"X-CSRFToken": tokens[0]}).get_json()
    idea_id = p["pairs"][0]["left"]["id"]
    items = [{"key": f"vote-{i:04d}", "kind": "vote", "participant": p["participant"],
              "pair_id": pair["pair_id"], "choice": "right"} for i, pair in enumerate(p["pairs"])]
    items.append({"key": "ballot-0001", "kind": "ballot", "participant": p["participant"],
                  "seq": 1, "allocations": {str(idea_id): 4}})
    items.append({"key": "idea-000001", "kind": "idea", "participant": p["participant"],
                  "title": "Shade sails over the market", "category": "seating & shade"})
    statuses: list[list[str]] = []
    barrier = threading.Barrier(3)

    def send(client, token):
        barrier.wait()
        response = client.post(f"/api/sessions/{session.join_code}/sync", json={"items": items},
                               headers={"X-CSRFToken": token})
        statuses.append([r["status"] + ":" + r.get("error", "") for r in response.get_json()["results"]])

    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # Whatever a racing request could not store it said "retry"; the tablet sends those again.
    final = clients[0].post(f"/api/sessions/{session.join_code}/sync", json={"items": items},
                            headers={"X-CSRFToken": tokens[0]}).get_json()["results"]
    assert all(r["status"] in ("saved", "duplicate") for r in final)
    assert all(s.split(":")[0] in ("saved", "duplicate", "retry") for batch in statuses for s in batch), [s for b in statuses for s in b if not s.startswith(("saved", "dup"))]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))) == len(p["pairs"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QVAllocation)) == 1
    assert db.session.scalar(sa.select(sa.func.count(SessionIdea.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Idea.id)).where(
        Idea.title == "Shade sails over the market")) == 1


def test_scores_of_ideas_with_too_few_comparisons_are_withheld_and_go_last():
    from app.sessions.results import MIN_COMPARISONS, thin_scores_last
    rows = [{"id": 1, "score": 70.6, "compared": 1}, {"id": 2, "score": 60.0, "compared": MIN_COMPARISONS},
            {"id": 3, "score": 40.0, "compared": MIN_COMPARISONS + 3}, {"id": 4, "score": 30.0, "compared": 0}]
    shown = thin_scores_last(rows)
    assert [(r["id"], r["score"]) for r in shown] == [(2, 60.0), (3, 40.0), (1, None), (4, None)]
    assert rows[0]["score"] == 70.6  # the caller's rows are not changed


def test_the_room_table_counts_comparisons_without_skips():
    table = {r["id"]: r for r in pairwise_table([(1, 2, "left"), (1, 3, "tie"), (1, 2, "skip")])}
    assert table[1]["compared"] == 2 and table[1]["shown"] == 3
