"""quadratic_standings: the ranking of a space from its stored ballots, worked out by hand."""
import numpy as np
import pytest

from app.extensions import db
from app.qv.ballots import save_ballot
from app.qv.standings import quadratic_standings
from app.voters import voter_id_for_user

FIELDS = {"id", "score", "ci_low", "ci_high", "votes_net", "votes_for", "votes_against",
          "credits", "voters"}


@pytest.fixture
def debate(make_space, make_idea):
    """A space that takes votes against ideas, with three votable ideas and two that are not."""
    space = make_space(slug="debate", qv_negative=True)
    ideas = [make_idea(space, title=t) for t in ("Fountain", "Kiosk", "Trees", "Stage")]
    make_idea(space, title="Pending", status="pending")
    return space, ideas


def vote(space, make_user, allocations):
    voter_id = voter_id_for_user(make_user().id)
    save_ballot(space, voter_id, {str(i.id): n for i, n in allocations.items()})
    db.session.commit()
    return voter_id


def test_standings_by_hand(debate, make_user):
    space, (fountain, kiosk, trees, stage) = debate
    vote(space, make_user, {fountain: 3, kiosk: -2})      # 13 credits
    vote(space, make_user, {fountain: 1, trees: 4})       # 17 credits
    vote(space, make_user, {kiosk: 5})                    # 25 credits
    vote(space, make_user, {})                            # an empty ballot counts for nothing
    rows, totals = quadratic_standings(space)

    assert [r["id"] for r in rows] == [fountain.id, trees.id, kiosk.id, stage.id]
    by_id = {r["id"]: r for r in rows}
    assert all(set(r) == FIELDS for r in rows)
    #          score, net, for, against, credits, voters
    expected = {fountain.id: (4.0, 4, 4, 0, 10, 2),
                trees.id: (4.0, 4, 4, 0, 16, 1),   # ties with the fountain: fewer voters
                kiosk.id: (3.0, 3, 5, 2, 29, 2),
                stage.id: (0.0, 0, 0, 0, 0, 0)}    # nobody voted: still listed
    for idea_id, figures in expected.items():
        r = by_id[idea_id]
        assert (r["score"], r["votes_net"], r["votes_for"], r["votes_against"], r["credits"],
                r["voters"]) == figures
    assert totals == {"votes": 15, "voters": 3, "credits": 55}
    assert (by_id[stage.id]["ci_low"], by_id[stage.id]["ci_high"]) == (0.0, 0.0)
    for r in rows:
        assert r["ci_low"] <= r["score"] <= r["ci_high"]
        assert isinstance(r["id"], int) and isinstance(r["score"], float)


def test_interval_by_hand(debate, make_user):
    # Two voters give the fountain 3 and 1: resampled sums are 6, 4 or 2 (p 1/4, 1/2, 1/4).
    space, (fountain, *_) = debate
    vote(space, make_user, {fountain: 3})
    vote(space, make_user, {fountain: 1})
    rows, _ = quadratic_standings(space)
    assert (rows[0]["score"], rows[0]["ci_low"], rows[0]["ci_high"]) == (4.0, 2.0, 6.0)


def test_same_ballots_same_standings(debate, make_user):
    space, ideas = debate
    rng = np.random.default_rng(0)
    for _ in range(12):
        picks = rng.choice(len(ideas), 2, replace=False)
        vote(space, make_user, {ideas[k]: int(rng.integers(-5, 6)) or 1 for k in picks})
    first = quadratic_standings(space)
    assert quadratic_standings(space) == first                     # the default seed is fixed
    seeded = quadratic_standings(space, np.random.default_rng(99))
    assert quadratic_standings(space, np.random.default_rng(99)) == seeded
    assert [r["score"] for r in seeded[0]] == [r["score"] for r in first[0]]


def test_withdrawn_ideas_leave_the_standings(debate, make_user):
    space, (fountain, kiosk, trees, stage) = debate
    vote(space, make_user, {fountain: 3, kiosk: 2})
    kiosk.status = "hidden"
    db.session.commit()
    rows, totals = quadratic_standings(space)
    assert kiosk.id not in {r["id"] for r in rows} and len(rows) == 3
    assert totals == {"votes": 3, "voters": 1, "credits": 9}


def test_other_spaces_do_not_leak_in(debate, make_user, make_space, make_idea):
    space, (fountain, *_) = debate
    other = make_space(slug="other")
    vote(other, make_user, {make_idea(other): 5})
    rows, totals = quadratic_standings(space)
    assert all(r["votes_net"] == 0 for r in rows) and totals == {"votes": 0, "voters": 0, "credits": 0}


def test_a_space_without_ideas(make_space):
    assert quadratic_standings(make_space()) == ([], {"votes": 0, "voters": 0, "credits": 0})
