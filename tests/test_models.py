"""Model constraints hold in the database itself, on SQLite and PostgreSQL alike."""
import csv

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from app.extensions import db
from app.ideas.queries import ideas_in
from app.models import Idea, IdeaPhoto, PairwiseVote, QVAllocation, QVBallot, Space, User, Voter
from tests.conftest import BG2050_COMMENTS as BG2050


def refused_by(error: IntegrityError, table: sa.Table) -> set[str]:
    """The constraints the database says refused a row of `table`, by name.

    PostgreSQL names the constraint. SQLite names a CHECK and a unique index over
    expressions, gives only the columns of a UNIQUE or primary key (matched here to the constraint on them), and says nothing of
    which foreign key failed (each of the table's is then a candidate).
    """
    name = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    if name:
        return {name}
    message = str(error.orig)
    if message.startswith("CHECK constraint failed: "):
        return {message.removeprefix("CHECK constraint failed: ")}
    if message.startswith("UNIQUE constraint failed: index '"):  # an index over expressions
        return {message.removeprefix("UNIQUE constraint failed: index '").rstrip("'")}
    if message.startswith("UNIQUE constraint failed: "):
        columns = {c.split(".")[-1] for c in message.removeprefix("UNIQUE constraint failed: ").split(", ")}
        keys = (c for c in table.constraints if isinstance(c, (sa.UniqueConstraint, sa.PrimaryKeyConstraint)))
        return {c.name for c in keys if {col.name for col in c.columns} == columns}
    if message == "FOREIGN KEY constraint failed":
        return {c.name for c in table.foreign_key_constraints}
    return set()


def flush_fails(obj, constraint: str):
    """The database refuses `obj`, and for `constraint`: a row refused for another reason
    would hide a constraint that is gone."""
    db.session.add(obj)
    with pytest.raises(IntegrityError) as refused:
        db.session.flush()
    db.session.rollback()
    assert constraint in refused_by(refused.value, obj.__table__), refused.value.orig


def enum_refuses(obj, enum: str):
    """SQLAlchemy refuses a value that is not in the column's enum before it is sent."""
    db.session.add(obj)
    with pytest.raises(StatementError, match=f"Enum name: {enum}\\."):
        db.session.flush()
    db.session.rollback()


def test_email_is_stored_lower_case(make_user):
    user = make_user(email="  Ana.Garcia@Example.ORG ")
    assert user.email == "ana.garcia@example.org"
    assert db.session.scalar(User.by_email("ANA.GARCIA@example.org")) == user


def test_email_unique_case_insensitively(make_user):
    make_user(email="ana@example.org")
    flush_fails(User(email="ANA@Example.org", display_name="Ana 2", password_hash="x"), "uq_users_email")


def test_database_refuses_mixed_case_email_written_around_the_model(app):
    with pytest.raises(IntegrityError) as refused:
        db.session.execute(sa.text(
            "INSERT INTO users (email, display_name, password_hash, role, created_at) "
            "VALUES ('Mixed@Example.org', 'M', 'x', 'resident', CURRENT_TIMESTAMP)"
        ))
    db.session.rollback()
    assert refused_by(refused.value, User.__table__) == {"ck_users_email_lowercase"}


def test_unknown_role_is_refused(app):
    enum_refuses(User(email="r@example.org", display_name="R", password_hash="x", role="mayor"), "user_role")


def test_password_is_hashed(make_user):
    user = make_user(password="a long passphrase")
    assert "a long passphrase" not in user.password_hash
    assert user.check_password("a long passphrase")
    assert not user.check_password("a long passphrasE")


@pytest.mark.parametrize("role, allowed", [
    ("resident", False), ("facilitator", False), ("staff", True), ("admin", True),
])
def test_admin_holds_every_role(make_user, role, allowed):
    assert make_user(role=role).has_role("staff") is allowed


def test_space_defaults(make_space):
    space = make_space(phase="ideas")
    assert space.qv_budget == 100
    assert (space.pairwise_rule, space.qv_rule) == ("anyone", "confirmed")
    assert space.verification_methods == ["roll", "code"] and space.verified_without_account
    assert space.moderation is False
    assert space.qv_negative is False
    assert "greenery" in space.categories and "other" in space.categories
    assert space.created_at is not None


@pytest.mark.parametrize("phase, during_voting, accepts_ideas, accepts_votes", [
    ("ideas", True, True, False),
    ("voting", True, True, True),
    ("voting", False, False, True),
    ("closed", True, False, False),
])
def test_space_phase_rules(make_space, phase, during_voting, accepts_ideas, accepts_votes):
    space = make_space(phase=phase, ideas_during_voting=during_voting)
    assert space.accepts_ideas is accepts_ideas
    assert space.accepts_votes is accepts_votes


def space_fields(**over):
    fields = dict(slug="s", name="S", center_lat=19.4, center_lng=-99.1)
    fields.update(over)
    return fields


@pytest.mark.parametrize("bad, constraint", [
    (dict(zoom=0), "ck_spaces_zoom_range"), (dict(zoom=21), "ck_spaces_zoom_range"),
    (dict(center_lat=91), "ck_spaces_center_lat_range"), (dict(center_lng=-181), "ck_spaces_center_lng_range"),
    (dict(qv_budget=0), "ck_spaces_qv_budget_positive"), (dict(slug=""), "ck_spaces_slug_not_empty"),
    (dict(name=""), "ck_spaces_name_not_empty"),
])
def test_space_constraints(app, bad, constraint):
    flush_fails(Space(**space_fields(**bad)), constraint)


def test_space_phase_must_be_known(app):
    enum_refuses(Space(**space_fields(phase="archived")), "space_phase")


def test_space_slug_unique(make_space):
    make_space(slug="zocalo")
    flush_fails(Space(**space_fields(slug="zocalo")), "uq_spaces_slug")


@pytest.mark.parametrize("bad, constraint", [
    (dict(title=""), "ck_ideas_title_not_empty"), (dict(lat=91.0), "ck_ideas_lat_range"),
    (dict(lng=200.0), "ck_ideas_lng_range"), (dict(lat=None), "ck_ideas_lat_lng_together"),
    (dict(lng=None), "ck_ideas_lat_lng_together"),
])
def test_idea_constraints(make_space, bad, constraint):
    space = make_space()
    fields = dict(space_id=space.id, title="A bench", category="seating & shade",
                  lat=19.43, lng=-99.13)
    fields.update(bad)
    flush_fails(Idea(**fields), constraint)


def test_idea_status_must_be_known(make_space):
    space = make_space()
    enum_refuses(Idea(space_id=space.id, title="T", category="other", status="deleted"), "idea_status")


def test_idea_without_location_or_author_is_allowed(make_space, make_idea):
    idea = make_idea(make_space(), lat=None, lng=None, author_id=None)
    assert idea.id and idea.lat is None and idea.status == "published"


def test_idea_needs_an_existing_space(app):
    flush_fails(Idea(space_id=999, title="Orphan", category="other"), "fk_ideas_space_id_spaces")


def test_deleting_a_space_deletes_its_ideas(make_space, make_idea):
    space = make_space()
    make_idea(space)
    db.session.execute(sa.delete(Space).where(Space.id == space.id))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Idea.id))) == 0


def test_public_ideas_leave_out_pending_and_hidden(make_space, make_idea):
    space = make_space()
    for status in ("pending", "published", "hidden", "adopted"):
        make_idea(space, title=f"Idea {status}", status=status)
    titles = {i.title for i in db.session.scalars(ideas_in(space.id))}
    assert titles == {"Idea published", "Idea adopted"}


def test_real_resident_ideas_round_trip(make_space):
    """371 ideas written by Bowling Green residents (Polis, CC BY 4.0) store unchanged."""
    space = make_space()
    with BG2050.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["comment-body"].strip()]
    assert len(rows) == 371
    for row in rows:
        body = row["comment-body"].strip()
        db.session.add(Idea(space_id=space.id, title=body[:120], body=body, category="other"))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalars(sa.select(Idea.body).where(Idea.space_id == space.id)).all()
    assert sorted(stored) == sorted(r["comment-body"].strip() for r in rows)


@pytest.fixture
def voting_setup(make_space, make_idea, make_user):
    space = make_space()
    a = make_idea(space, title="A")
    b = make_idea(space, title="B")
    voter = Voter(user_id=make_user().id)
    db.session.add(voter)
    db.session.commit()
    return space, a, b, voter


def test_voter_needs_user_or_anonymous_key(app):
    flush_fails(Voter(), "ck_voters_user_or_anon_key")


def test_anonymous_voter_key_unique(app):
    db.session.add(Voter(anon_key="k1"))
    db.session.commit()
    flush_fails(Voter(anon_key="k1"), "uq_voters_anon_key")


def test_one_voter_per_user(voting_setup):
    _, _, _, voter = voting_setup
    flush_fails(Voter(user_id=voter.user_id), "uq_voters_user_id")


def vote(space, voter, left, right, **over):
    fields = dict(space_id=space.id, voter_id=voter.id, left_idea_id=left.id,
                  right_idea_id=right.id, choice="left")
    fields.update(over)
    return PairwiseVote(**fields)


def test_pairwise_vote_stores_choice_and_skip_reason(voting_setup):
    space, a, b, voter = voting_setup
    db.session.add(vote(space, voter, a, b, choice="skip", skip_reason="dont_know", pair_key="p1"))
    db.session.commit()
    stored = db.session.scalar(sa.select(PairwiseVote))
    assert (stored.choice, stored.skip_reason, stored.pair_key) == ("skip", "dont_know", "p1")


@pytest.mark.parametrize("over, constraint", [
    (dict(same=True), "ck_pairwise_votes_distinct_ideas"),
    (dict(choice="left", skip_reason="like_both"), "ck_pairwise_votes_reason_only_on_skip"),
])
def test_pairwise_vote_constraints(voting_setup, over, constraint):
    space, a, b, voter = voting_setup
    right = a if over.pop("same", False) else b
    flush_fails(vote(space, voter, a, right, **over), constraint)


@pytest.mark.parametrize("over, enum", [
    (dict(choice="both"), "pairwise_choice"),
    (dict(choice="skip", skip_reason="bored"), "skip_reason"),
])
def test_pairwise_vote_values_must_be_known(voting_setup, over, enum):
    space, a, b, voter = voting_setup
    enum_refuses(vote(space, voter, a, b, **over), enum)


def test_pairwise_pair_key_is_unique(voting_setup):
    space, a, b, voter = voting_setup
    db.session.add(vote(space, voter, a, b, pair_key="same-key"))
    other = Voter(anon_key="someone-else")
    db.session.add(other)
    db.session.commit()
    flush_fails(vote(space, other, b, a, pair_key="same-key"), "uq_pairwise_votes_pair_key")


def test_a_voter_votes_once_per_pair_of_ideas_either_way_round(voting_setup):
    space, a, b, voter = voting_setup
    db.session.add(vote(space, voter, a, b, pair_key="first"))
    db.session.commit()
    flush_fails(vote(space, voter, b, a, pair_key="second", choice="tie"), "uq_pairwise_votes_voter_pair")


def test_qv_ballot_and_allocations(voting_setup):
    space, a, b, voter = voting_setup
    ballot = QVBallot(space_id=space.id, voter_id=voter.id, budget=100, credits_used=13)
    ballot.allocations = [QVAllocation(idea_id=a.id, votes=3), QVAllocation(idea_id=b.id, votes=-2)]
    db.session.add(ballot)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(sa.select(QVBallot))
    assert {(x.idea_id, x.votes) for x in stored.allocations} == {(a.id, 3), (b.id, -2)}


@pytest.mark.parametrize("over, constraint", [
    (dict(credits_used=101), "ck_qv_ballots_within_budget"),
    (dict(credits_used=-1), "ck_qv_ballots_credits_used_not_negative"),
])
def test_qv_ballot_budget_constraints(voting_setup, over, constraint):
    space, _, _, voter = voting_setup
    flush_fails(QVBallot(space_id=space.id, voter_id=voter.id, budget=100, **over), constraint)


def test_one_qv_ballot_per_voter_and_space(voting_setup):
    space, _, _, voter = voting_setup
    db.session.add(QVBallot(space_id=space.id, voter_id=voter.id, budget=100))
    db.session.commit()
    flush_fails(QVBallot(space_id=space.id, voter_id=voter.id, budget=100), "uq_qv_ballots_space_voter")


def test_qv_allocation_constraints(voting_setup):
    space, a, _, voter = voting_setup
    ballot = QVBallot(space_id=space.id, voter_id=voter.id, budget=100)
    db.session.add(ballot)
    db.session.commit()
    flush_fails(QVAllocation(ballot_id=ballot.id, idea_id=a.id, votes=0), "ck_qv_allocations_votes_not_zero")
    db.session.add(QVAllocation(ballot_id=ballot.id, idea_id=a.id, votes=1))
    db.session.commit()
    flush_fails(QVAllocation(ballot_id=ballot.id, idea_id=a.id, votes=2), "pk_qv_allocations")


def test_an_ideas_photo_is_read_only_when_served(empty_space, make_idea):
    idea = make_idea(empty_space)
    db.session.add(IdeaPhoto(idea_id=idea.id, content_type="image/png", data=b"\x89PNG" * 1000,
                             width=10, height=10))
    db.session.commit()
    db.session.expunge_all()
    photo = db.session.get(IdeaPhoto, idea.id)  # "does it have a photo?"
    assert "data" in sa.inspect(photo).unloaded
    assert photo.data == b"\x89PNG" * 1000
