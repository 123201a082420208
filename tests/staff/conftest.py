"""Fixtures for the staff workspace: a space with ideas, votes and ballots, and a staff login."""
import pytest

from app.extensions import db
from app.models import PairwiseVote, QVAllocation, QVBallot, Voter


@pytest.fixture
def space(make_space, make_idea):
    space = make_space(slug="zocalo", name="Zócalo", phase="voting")
    for title in ("Shade trees", "More shade trees", "Benches", "Fountains"):
        make_idea(space, title=title)
    return space


@pytest.fixture
def ideas(space):
    from app.models import Idea
    import sqlalchemy as sa

    return db.session.scalars(sa.select(Idea).where(Idea.space_id == space.id).order_by(Idea.id)).all()


@pytest.fixture
def staff(make_user, login):
    user = make_user(role="staff", email="jefa@city.gob.mx")
    login(user)
    return user


@pytest.fixture
def add_vote(space):
    counter = iter(range(10_000))

    def add(voter_key: str, left, right, choice: str = "left"):
        voter = db.session.query(Voter).filter_by(anon_key=voter_key).one_or_none()
        if voter is None:
            voter = Voter(anon_key=voter_key)
            db.session.add(voter)
            db.session.flush()
        db.session.add(PairwiseVote(space_id=space.id, voter_id=voter.id, left_idea_id=left.id,
                                    right_idea_id=right.id, choice=choice,
                                    pair_key=f"test-{next(counter)}"))
        db.session.commit()

    return add


@pytest.fixture
def add_ballot(space):
    def add(voter_key: str, allocations: dict):
        voter = Voter(anon_key=voter_key)
        db.session.add(voter)
        db.session.flush()
        ballot = QVBallot(space_id=space.id, voter_id=voter.id, budget=space.qv_budget,
                          credits_used=sum(v * v for v in allocations.values()))
        ballot.allocations = [QVAllocation(idea_id=i.id, votes=v) for i, v in allocations.items()]
        db.session.add(ballot)
        db.session.commit()
        return ballot

    return add
