"""A space's voting rules hold for facilitated sessions too (issue 15).

A participant counts as confirmed (a facilitator is in the room), so a space asking for a
confirmed account takes session votes; one asking for verified residents refuses them until
the participant is verified.
"""
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, QVBallot
from tests.sessions.test_sessions_api import ballot, votes


def test_kiosk_ballots_count_where_a_confirmed_account_is_asked_for(api, make_session, moderated_space):
    assert moderated_space.qv_rule == "confirmed"
    session = make_session()
    ids = db.session.scalars(sa.select(Idea.id).order_by(Idea.id)).all()
    p = api.participant(session.join_code)["participant"]
    result = api.sync(session.join_code, [ballot(p, 1, {str(ids[0]): 3})]).get_json()["results"][0]
    assert result["status"] == "saved"


def test_kiosk_sync_refuses_ballots_where_only_verified_residents_vote(api, make_session, moderated_space):
    session = make_session()
    ids = db.session.scalars(sa.select(Idea.id).order_by(Idea.id)).all()
    p = api.participant(session.join_code)["participant"]
    moderated_space.qv_rule = "verified"
    db.session.commit()
    result = api.sync(session.join_code, [ballot(p, 1, {str(ids[0]): 3})]).get_json()["results"][0]
    assert result["status"] == "refused" and "Only verified residents" in result["error"]
    assert db.session.scalar(sa.select(sa.func.count(QVBallot.id))) == 0


def test_kiosk_sync_refuses_votes_where_only_verified_residents_compare(api, make_session, moderated_space):
    session = make_session()
    joined = api.participant(session.join_code)
    moderated_space.pairwise_rule = "verified"
    db.session.commit()
    results = api.sync(session.join_code, votes(joined["participant"], joined["pairs"][:1])).get_json()["results"]
    assert results[0]["status"] == "refused" and "Only verified residents" in results[0]["error"]


def test_a_phone_gets_no_pairs_where_only_verified_residents_compare(api, make_session, moderated_space):
    moderated_space.pairwise_rule = "verified"
    db.session.commit()
    session = make_session()
    response = api.post(f"/api/sessions/{session.join_code}/participants", {})
    assert response.status_code == 403 and "Only verified residents" in response.get_json()["error"]
