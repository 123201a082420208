"""Ballots in the database: saved whole, replaced whole, refused without a trace."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import QVAllocation, QVBallot
from app.qv.ballots import load_ballot, save_ballot
from app.voters import voter_id_of_user
from app.qv.budget import BallotError
from app.voters import voter_id_for_user


@pytest.fixture
def voter(make_user):
    user = make_user()
    voter_id = voter_id_for_user(user.id)
    db.session.commit()
    return voter_id


def stored(voter_id):
    """The ballot rows as they are in the database, bypassing the session's cache."""
    db.session.expire_all()
    ballot = db.session.scalar(sa.select(QVBallot).where(QVBallot.voter_id == voter_id))
    if ballot is None:
        return None
    return ballot.credits_used, ballot.budget, {a.idea_id: a.votes for a in ballot.allocations}


def test_save_then_load(qv_space, ideas, voter):
    a, b, c = ideas
    saved = save_ballot(qv_space, voter, {str(a.id): 6, str(b.id): 8, str(c.id): 0})
    db.session.commit()
    assert (saved.credits_used, saved.credits_left) == (100, 0)
    assert stored(voter) == (100, 100, {a.id: 6, b.id: 8})
    loaded = load_ballot(qv_space, voter)
    assert loaded.allocations == {a.id: 6, b.id: 8} and loaded.budget == 100


def test_a_save_replaces_the_whole_ballot(qv_space, ideas, voter):
    a, b, c = ideas
    save_ballot(qv_space, voter, {str(a.id): 5, str(b.id): 5})
    db.session.commit()
    save_ballot(qv_space, voter, {str(c.id): 2, str(a.id): 0})
    db.session.commit()
    assert stored(voter) == (4, 100, {c.id: 2})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QVBallot)) == 1


def test_an_empty_ballot_clears_every_vote(qv_space, ideas, voter):
    save_ballot(qv_space, voter, {str(ideas[0].id): 3})
    db.session.commit()
    save_ballot(qv_space, voter, {})
    db.session.commit()
    assert stored(voter) == (0, 100, {})
    assert load_ballot(qv_space, voter).allocations == {}


def test_a_refused_ballot_changes_nothing(qv_space, ideas, voter):
    a, b, _ = ideas
    save_ballot(qv_space, voter, {str(a.id): 4})
    db.session.commit()
    with pytest.raises(BallotError, match="budget is 100"):
        save_ballot(qv_space, voter, {str(a.id): 8, str(b.id): 7})
    db.session.rollback()
    assert stored(voter) == (16, 100, {a.id: 4})


def test_a_refused_first_ballot_leaves_no_row(qv_space, ideas, voter):
    with pytest.raises(BallotError):
        save_ballot(qv_space, voter, {str(ideas[0].id): 11})
    db.session.rollback()
    assert stored(voter) is None


def test_ballots_are_per_space_and_per_voter(qv_space, ideas, voter, make_space, make_idea, make_user):
    other_space = make_space(slug="other")
    other_idea = make_idea(other_space)
    other_voter = voter_id_for_user(make_user().id)
    save_ballot(qv_space, voter, {str(ideas[0].id): 10})
    save_ballot(other_space, voter, {str(other_idea.id): 10})
    save_ballot(qv_space, other_voter, {str(ideas[1].id): 10})
    db.session.commit()
    assert load_ballot(qv_space, voter).allocations == {ideas[0].id: 10}
    assert load_ballot(other_space, voter).allocations == {other_idea.id: 10}
    assert load_ballot(qv_space, other_voter).allocations == {ideas[1].id: 10}


def test_votes_on_a_withdrawn_idea_stop_counting(qv_space, ideas, voter):
    a, b, _ = ideas
    save_ballot(qv_space, voter, {str(a.id): 6, str(b.id): 8})
    db.session.commit()
    b.status = "declined"
    db.session.commit()
    assert load_ballot(qv_space, voter).credits_left == 64  # b's credits come back
    b.status = "adopted"
    db.session.commit()
    assert load_ballot(qv_space, voter).credits_left == 0  # and count again if it returns


def test_the_budget_is_the_spaces_current_one(qv_space, ideas, voter):
    save_ballot(qv_space, voter, {str(ideas[0].id): 7})
    db.session.commit()
    qv_space.qv_budget = 50
    db.session.commit()
    assert load_ballot(qv_space, voter).credits_left == 1
    with pytest.raises(BallotError, match="cost 53 credits but your budget is 50"):
        save_ballot(qv_space, voter, {str(ideas[0].id): 7, str(ideas[1].id): 2})
    db.session.rollback()
    save_ballot(qv_space, voter, {str(ideas[0].id): 5})
    db.session.commit()
    assert stored(voter) == (25, 50, {ideas[0].id: 5})


def test_no_voter_yet_means_an_empty_ballot(qv_space, make_user):
    user = make_user()
    assert voter_id_of_user(user.id) is None
    ballot = load_ballot(qv_space, None)
    assert (ballot.budget, ballot.credits_used, ballot.allocations) == (100, 0, {})


def test_the_database_refuses_a_ballot_over_its_budget(qv_space, ideas, voter):
    """The CHECK constraint stands behind the domain rule, whatever code writes the row."""
    save_ballot(qv_space, voter, {str(ideas[0].id): 1})
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(QVBallot).values(credits_used=101))
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(QVAllocation).values(votes=0))
    db.session.rollback()
