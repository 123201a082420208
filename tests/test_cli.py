"""The command-line tools an operator uses: seed-demo and create-user."""
import pytest
import sqlalchemy as sa

from app.demo import zocalo
from app.extensions import db
from app.geo import point_in_polygon, validate_polygon
from app.models import Idea, Space, User


def counts():
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m))
                 for m in (Space, Idea, User))


def test_seed_demo_creates_the_zocalo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    space = db.session.scalar(Space.by_slug(zocalo.SLUG))
    assert space.phase == "voting" and space.pairwise_rule == "anyone" and space.accepts_ideas
    validate_polygon(space.boundary)
    ideas = db.session.scalars(sa.select(Idea).where(Idea.space_id == space.id)).all()
    assert len(ideas) >= 30
    assert all(point_in_polygon(i.lat, i.lng, space.boundary) for i in ideas)
    assert all(i.category in space.categories for i in ideas)
    assert any("á" in i.title or "ñ" in i.body for i in ideas)  # Spanish
    assert any(i.title.startswith("Free public") for i in ideas)  # English
    assert "staff@plaza.example / plaza-staff-demo / staff" in result.output
    assert "facilitator@plaza.example / plaza-facilitator-demo / facilitator" in result.output


def test_seed_demo_with_votes(runner, client):
    result = runner.invoke(args=["seed-demo", "--with-votes"])
    assert "600 demo pairwise votes and 15 QV ballots added" in result.output
    again = runner.invoke(args=["seed-demo", "--with-votes"])
    assert "0 demo pairwise votes and 0 QV ballots added" in again.output
    pairwise = client.get("/api/spaces/zocalo-cdmx/ranking?method=pairwise").get_json()
    quadratic = client.get("/api/spaces/zocalo-cdmx/ranking?method=quadratic").get_json()
    assert pairwise["totals"]["votes"] == 600 and pairwise["totals"]["voters"] == 40
    assert quadratic["totals"]["voters"] == 15
    assert pairwise["ideas"][0]["score"] > 60 > pairwise["ideas"][-1]["score"]


def test_seed_demo_twice_duplicates_nothing(runner):
    runner.invoke(args=["seed-demo"])
    before = counts()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "already there; 0 ideas added" in result.output
    assert counts() == before


def test_seed_demo_printed_credentials_log_in(runner, client, post_form):
    runner.invoke(args=["seed-demo"])
    response = post_form("/auth/login", {"email": "staff@plaza.example",
                                         "password": "plaza-staff-demo"})
    assert response.status_code == 302
    assert "staff" in client.get("/").get_data(as_text=True)


def test_seed_demo_accounts_are_confirmed(runner):
    """The operator made them: the printed demo logins can propose and vote at once."""
    runner.invoke(args=["seed-demo"])
    users = db.session.scalars(sa.select(User)).all()
    assert users and all(u.is_confirmed for u in users)


def test_create_user(runner):
    result = runner.invoke(args=["create-user", "--email", "Jefa@City.gob.mx",
                                 "--password", "a long enough one", "--role", "staff"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(User.by_email("jefa@city.gob.mx"))
    assert user.role == "staff" and user.display_name == "Jefa"
    assert user.is_confirmed
    assert user.check_password("a long enough one")
    assert "Created staff account jefa@city.gob.mx" in result.output


@pytest.mark.parametrize("args, message", [
    (["--password", "short"], "at least 10 characters"),
    (["--role", "mayor"], "Invalid value for '--role'"),
    (["--email", "nobody"], "Enter an e-mail address"),
])
def test_create_user_refusals(runner, args, message):
    base = {"--email": "x@example.org", "--password": "long enough pw", "--role": "resident"}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    result = runner.invoke(args=["create-user", *[t for kv in base.items() for t in kv]])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_create_user_duplicate(runner, make_user):
    make_user(email="dup@example.org")
    result = runner.invoke(args=["create-user", "--email", "DUP@example.org",
                                 "--password", "long enough pw"])
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_create_user_prompts_for_hidden_password(runner):
    result = runner.invoke(args=["create-user", "--email", "p@example.org"],
                           input="long enough pw\nlong enough pw\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(User.by_email("p@example.org")).check_password("long enough pw")


@pytest.mark.parametrize("command, text", [
    ("seed-demo", "Zócalo"), ("create-user", "--role [resident|facilitator|staff|admin]"),
    ("notices", "digests"), ("notices digests", "due"), ("notices sweep", "broker outage"),
])
def test_commands_have_help(runner, command, text):
    result = runner.invoke(args=[*command.split(), "--help"])
    assert result.exit_code == 0 and text in result.output
