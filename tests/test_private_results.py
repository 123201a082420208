"""Private results are for staff only, everywhere a rank or score shows."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.models import PairwiseVote, Voter
from app.models.facilitation import FacilitatedSession, SessionParticipant
from app.sessions.pins import hash_pin


@pytest.fixture
def private_space(make_space, make_idea):
    space = make_space(slug="zocalo", show_results=False)
    ideas = [make_idea(space, title=t) for t in ("Shade trees", "Benches", "Fountains")]
    voter = Voter(anon_key="someone")
    db.session.add(voter)
    db.session.flush()
    db.session.add(PairwiseVote(space_id=space.id, voter_id=voter.id, left_idea_id=ideas[0].id,
                                right_idea_id=ideas[1].id, choice="left", pair_key="p1"))
    db.session.commit()
    return space, ideas


@pytest.mark.parametrize("method", ["pairwise", "quadratic"])
@pytest.mark.parametrize("who", [None, "resident", "facilitator"])
def test_the_ranking_api_refuses_all_but_staff(client, make_user, login, private_space, method, who):
    if who:
        login(make_user(role=who))
    response = client.get(f"/api/spaces/zocalo/ranking?method={method}")
    assert response.status_code == 404
    assert response.get_json() == {"error": "The results of this space are not public yet."}


@pytest.mark.parametrize("method", ["pairwise", "quadratic"])
def test_staff_still_see_the_ranking(client, make_user, login, private_space, method):
    login(make_user(role="staff"))
    response = client.get(f"/api/spaces/zocalo/ranking?method={method}")
    assert response.status_code == 200 and len(response.get_json()["ideas"]) == 3


def test_pages_do_not_link_to_private_results(client, private_space):
    for path in ("/spaces/zocalo", "/spaces/zocalo/vote"):
        assert "/spaces/zocalo/results" not in client.get(path).get_data(as_text=True), path
    assert client.get("/spaces/zocalo/results").status_code == 404


def workshop(space, facilitator, **fields) -> FacilitatedSession:
    now = datetime.now(timezone.utc)
    values = dict(space_id=space.id, facilitator_id=facilitator.id, name="Taller", place="", mode="both",
                  starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), timezone="UTC",
                  collect_ideas=False, idle_seconds=120, join_code="K7PQ2M",
                  pin_hash=hash_pin("4826", iterations=1000))
    session = FacilitatedSession(**{**values, **fields})
    db.session.add(session)
    db.session.flush()
    voter = Voter(anon_key="in-the-room")
    db.session.add(voter)
    db.session.flush()
    db.session.add(SessionParticipant(session_id=session.id, voter_id=voter.id, via="kiosk", started_at=now))
    ideas = sorted(i for i in space_ideas(space))
    db.session.add(PairwiseVote(space_id=space.id, voter_id=voter.id, left_idea_id=ideas[1],
                                right_idea_id=ideas[2], choice="left", pair_key="room-1"))
    db.session.commit()
    return session


def space_ideas(space) -> list[int]:
    import sqlalchemy as sa

    from app.models import Idea
    return db.session.scalars(sa.select(Idea.id).where(Idea.space_id == space.id)).all()


@pytest.fixture
def live(client, make_user, login):
    """What the projector screen of the facilitator's session is given."""
    facilitator = make_user(role="facilitator")
    login(facilitator)

    def get(session: FacilitatedSession) -> dict:
        response = client.get(f"/api/sessions/{session.id}/live")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    get.facilitator = facilitator
    return get


@pytest.mark.parametrize("show_room", [True, False])
def test_the_projector_never_shows_private_space_standings(live, private_space, show_room):
    space, _ideas = private_space
    payload = live(workshop(space, live.facilitator, show_room_results=show_room))
    assert payload["space"] == {}
    assert bool(payload["room"]) is show_room
    if show_room:
        assert [row["id"] for row in payload["room"]["pairwise"]][:1] == [sorted(space_ideas(space))[1]]


def test_the_projector_shows_both_for_a_public_space(live, private_space):
    space, _ideas = private_space
    space.show_results = True
    db.session.commit()
    payload = live(workshop(space, live.facilitator))
    assert set(payload["space"]) == {"pairwise", "quadratic"} and set(payload["room"]) == {"pairwise", "quadratic"}


def test_the_projector_page_says_why_it_shows_no_ranking(app, client, make_user, login, private_space):
    space, _ideas = private_space
    facilitator = make_user(role="facilitator")
    session = workshop(space, facilitator, show_room_results=False)
    login(facilitator)
    html = client.get(f"/sessions/{session.id}/projector").get_data(as_text=True)
    assert "The results are shown here once the city publishes them." in html
    assert "Top ideas in" not in html
