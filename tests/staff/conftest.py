"""Fixtures for the staff workspace: a space with a duplicate idea, its votes and ballots, and
a staff login."""
import io

import pytest
import sqlalchemy as sa

from app.eligibility import hasher
from app.eligibility.roll_uploads import keep_upload
from app.extensions import db
from app.models import Idea, PairwiseVote, QVAllocation, QVBallot, Voter


@pytest.fixture
def space_with_duplicate(make_space):
    """The Zócalo, voting, with four published ideas of which "More shade trees" repeats
    "Shade trees": a duplicate for staff to merge."""
    return make_space(slug="zocalo", name="Zócalo",
                      ideas=("Shade trees", "More shade trees", "Benches", "Fountains"))


@pytest.fixture
def ideas(space_with_duplicate):
    """The four ideas of `space_with_duplicate`, in the order they were proposed."""
    return db.session.scalars(sa.select(Idea).where(Idea.space_id == space_with_duplicate.id)
                              .order_by(Idea.id)).all()


@pytest.fixture
def add_vote(space_with_duplicate):
    """Store a pairwise vote in `space_with_duplicate`, as if a voter had made it."""
    counter = iter(range(10_000))

    def add(voter_key: str, left, right, choice: str = "left"):
        voter = db.session.query(Voter).filter_by(anon_key=voter_key).one_or_none()
        if voter is None:
            voter = Voter(anon_key=voter_key)
            db.session.add(voter)
            db.session.flush()
        db.session.add(PairwiseVote(space_id=space_with_duplicate.id, voter_id=voter.id,
                                    left_idea_id=left.id, right_idea_id=right.id, choice=choice,
                                    pair_key=f"test-{next(counter)}"))
        db.session.commit()

    return add


@pytest.fixture
def add_ballot(space_with_duplicate):
    """Store a quadratic ballot in `space_with_duplicate`, {idea: votes}, for a new voter."""
    def add(voter_key: str, allocations: dict):
        voter = Voter(anon_key=voter_key)
        db.session.add(voter)
        db.session.flush()
        ballot = QVBallot(space_id=space_with_duplicate.id, voter_id=voter.id,
                          budget=space_with_duplicate.qv_budget,
                          credits_used=sum(v * v for v in allocations.values()))
        ballot.allocations = [QVAllocation(idea_id=i.id, votes=v) for i, v in allocations.items()]
        db.session.add(ballot)
        db.session.commit()
        return ballot

    return add


@pytest.fixture
def staff_urls(ideas, space_with_duplicate, make_user):
    """Fills a staff URL's placeholders: two of `ideas`, and a roll upload waiting for its preview."""
    upload = keep_upload(hasher(), space_with_duplicate, make_user(role="staff").id,
                         io.StringIO("dni\nAB1\n"), ["dni"], None)
    db.session.commit()

    def fill(template: str) -> str:
        return template.format(idea=ideas[1].id, other=ideas[0].id, upload=upload.id)
    return fill
