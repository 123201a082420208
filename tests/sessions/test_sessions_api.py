"""The session API: participants, pairs held in advance, and the offline sync's idempotency."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote, QVBallot
from app.models.facilitation import SessionIdea, SessionParticipant
from app.sessions.windows import SETUP_LEAD, SYNC_GRACE
from app.pairwise import tokens


def vote_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(PairwiseVote.id)))


def votes(participant, pairs, choice="left", prefix="v"):
    return [{"key": f"{prefix}{i:08d}", "kind": "vote", "participant": participant,
             "pair_id": p["pair_id"], "choice": choice} for i, p in enumerate(pairs)]


@pytest.fixture
def session(make_session):
    return make_session()


def test_new_participant_gets_a_fresh_voter_and_distinct_pairs(api, session):
    first, second = api.participant(session.join_code), api.participant_elsewhere(session.join_code)
    assert first["participant"] != second["participant"]
    assert first["via"] == "phone"  # this browser was not set up as a kiosk
    pairs = {frozenset((p["left"]["id"], p["right"]["id"])) for p in first["pairs"]}
    assert len(first["pairs"]) == 10 == len(pairs)  # 5 ideas: all 10 pairs, none twice
    people = db.session.scalars(sa.select(SessionParticipant)).all()
    assert len({p.voter_id for p in people}) == 2
    assert all(p.started_at is None for p in people)  # held in stock until a turn starts


def test_kiosk_participants_are_counted_as_kiosk(api, client, session, facilitator, login):
    login(facilitator)
    assert api.participant(session.join_code, via="kiosk")["via"] == "kiosk"


def test_pairs_exclude_held_and_answered(api, make_session, make_idea, moderated_space):
    for n in range(5):
        make_idea(moderated_space, title=f"Extra idea number {n}")
    make_session(join_code="ABCDEF")
    p = api.participant("ABCDEF")
    assert len(p["pairs"]) == 20
    api.sync("ABCDEF", votes(p["participant"], p["pairs"][:5]))
    more = api.post("/api/sessions/ABCDEF/pairs", {"participant": p["participant"],
                                                    "held": [x["pair_id"] for x in p["pairs"][5:]],
                                                    "count": 25}).get_json()["pairs"]
    seen = {frozenset((x["left"]["id"], x["right"]["id"])) for x in p["pairs"]}
    new = {frozenset((x["left"]["id"], x["right"]["id"])) for x in more}
    assert len(more) == 25 == len(new) and not seen & new  # 45 pairs in all among 10 ideas


def test_votes_are_stored_once_however_often_they_are_sent(api, session):
    p = api.participant(session.join_code)
    items = [{"key": "start-0001", "kind": "start", "participant": p["participant"]}]
    items += votes(p["participant"], p["pairs"])
    first = api.sync(session.join_code, items)
    assert first.status_code == 200
    assert [r["status"] for r in first.get_json()["results"]] == ["saved"] * 11
    again = api.sync(session.join_code, items[1:] + items[1:3])
    assert {r["status"] for r in again.get_json()["results"]} == {"duplicate"}
    assert vote_count() == 10
    started = db.session.scalars(sa.select(SessionParticipant.started_at)).all()
    assert all(started)


def test_a_vote_alone_marks_the_participant_as_started(api, session):
    p = api.participant(session.join_code)
    api.sync(session.join_code, votes(p["participant"], p["pairs"][:1]))
    assert db.session.scalar(sa.select(SessionParticipant.started_at)) is not None


def test_one_bad_item_does_not_hold_back_the_others(api, session, monkeypatch):
    p, other = api.participant(session.join_code), api.participant_elsewhere(session.join_code)
    items = votes(p["participant"], p["pairs"][:2])
    items.insert(1, {"key": "stolen-pair", "kind": "vote", "participant": p["participant"],
                     "pair_id": other["pairs"][0]["pair_id"], "choice": "left"})
    items.append({"key": "bad-choice", "kind": "vote", "participant": p["participant"],
                  "pair_id": p["pairs"][3]["pair_id"], "choice": "up"})
    results = api.sync(session.join_code, items).get_json()["results"]
    assert [r["status"] for r in results] == ["saved", "refused", "saved", "refused"]
    assert results[1]["error"] == "This pair was shown to someone else."
    assert "choice must be one of" in results[3]["error"]
    assert vote_count() == 2


def test_expired_pairs_are_refused_with_a_reason(api, session, monkeypatch):
    p = api.participant(session.join_code)
    monkeypatch.setattr(tokens, "PAIR_TOKEN_MAX_AGE", -1)
    result = api.sync(session.join_code, votes(p["participant"], p["pairs"][:1])).get_json()["results"][0]
    assert result["status"] == "refused" and "expired" in result["error"]
    assert vote_count() == 0


@pytest.mark.parametrize("item, message", [
    ("not an object", "key of 8 to 64"),
    ({"key": "short", "kind": "start"}, "key of 8 to 64"),
    ({"key": "x" * 65, "kind": "start"}, "key of 8 to 64"),
    ({"key": "k-00000001", "kind": "dance"}, "kind must be one of"),
    ({"key": "k-00000001", "kind": "start", "participant": "forged"}, "not valid"),
    ({"key": "k-00000001", "kind": "start"}, "participant is missing"),
])
def test_malformed_items_are_refused_one_by_one(api, session, item, message):
    result = api.sync(session.join_code, [item]).get_json()["results"][0]
    assert result["status"] == "refused"
    assert message in result["error"]


def test_participant_of_another_session_is_refused(api, make_session, session):
    make_session(join_code="ZZZZZZ")
    p = api.participant("ZZZZZZ")
    result = api.sync(session.join_code, [{"key": "k-00000001", "kind": "start",
                                           "participant": p["participant"]}]).get_json()
    assert result["results"][0]["error"] == "This participant belongs to another session."


@pytest.mark.parametrize("body, status, message", [
    (None, 400, "Send a JSON object"),
    ({"items": "all"}, 400, "Send a JSON object"),
    ({"items": [{}] * 101}, 400, "at most 100"),
])
def test_malformed_sync_requests(api, session, body, status, message):
    response = api.post(f"/api/sessions/{session.join_code}/sync", body)
    assert response.status_code == status
    assert message in response.get_json()["error"]


def test_sync_needs_the_csrf_header(client, session):
    response = client.post(f"/api/sessions/{session.join_code}/sync", json={"items": []})
    assert response.status_code == 400
    assert "security token" in response.get_json()["error"]


def test_fresh_csrf_token_for_long_running_kiosks(client, session):
    token = client.get("/api/sessions/csrf").get_json()["csrf_token"]
    response = client.post(f"/api/sessions/{session.join_code}/sync", json={"items": []},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json() == {"results": []}


def ballot(participant, seq, allocations, key=None):
    return {"key": key or f"ballot-{seq:04d}", "kind": "ballot", "participant": participant,
            "seq": seq, "allocations": allocations}


def stored_ballot() -> dict[int, int]:
    b = db.session.scalar(sa.select(QVBallot))
    db.session.refresh(b)
    return {a.idea_id: a.votes for a in b.allocations}


def test_ballots_apply_newest_first_and_never_twice(api, session, moderated_space):
    ids = db.session.scalars(sa.select(Idea.id).order_by(Idea.id)).all()
    p = api.participant(session.join_code)["participant"]
    newer = ballot(p, 2, {str(ids[0]): 5, str(ids[1]): 3})
    older = ballot(p, 1, {str(ids[2]): 9})
    results = api.sync(session.join_code, [newer, older, newer]).get_json()["results"]
    assert [r["status"] for r in results] == ["saved", "duplicate", "duplicate"]
    assert stored_ballot() == {ids[0]: 5, ids[1]: 3}
    assert api.sync(session.join_code, [ballot(p, 3, {str(ids[2]): 1})]).get_json()["results"][0]["status"] == "saved"
    assert stored_ballot() == {ids[2]: 1}


def test_a_ballot_over_budget_changes_nothing(api, session):
    ids = db.session.scalars(sa.select(Idea.id).order_by(Idea.id)).all()
    p = api.participant(session.join_code)["participant"]
    api.sync(session.join_code, [ballot(p, 1, {str(ids[0]): 2})])
    result = api.sync(session.join_code, [ballot(p, 2, {str(ids[0]): 8, str(ids[1]): 8})]).get_json()
    assert result["results"][0]["status"] == "refused"
    assert "budget is 100" in result["results"][0]["error"]
    assert stored_ballot() == {ids[0]: 2}
    # The refused seq 2 was not used up: a corrected ballot with seq 2 goes through.
    assert api.sync(session.join_code, [ballot(p, 2, {str(ids[0]): 4})]).get_json()["results"][0]["status"] == "saved"


@pytest.mark.parametrize("seq", [0, -1, "2", 1.5, True, None, 10**7])
def test_ballot_seq_must_be_a_positive_whole_number(api, session, seq):
    p = api.participant(session.join_code)["participant"]
    result = api.sync(session.join_code, [ballot(p, 1, {}) | {"seq": seq}]).get_json()["results"][0]
    assert result["status"] == "refused" and "seq must be" in result["error"]


def test_modes_refuse_what_they_do_not_use(api, make_session):
    make_session(join_code="PAWRSS", mode="pairwise")
    make_session(join_code="QVQVQV", mode="quadratic")
    pw = api.participant("PAWRSS")
    qv = api.participant("QVQVQV")
    assert qv["pairs"] == []
    assert api.sync("PAWRSS", [ballot(pw["participant"], 1, {})]).get_json()["results"][0]["error"] \
        == "This session does not use quadratic voting."
    assert api.post("/api/sessions/QVQVQV/pairs", {"participant": qv["participant"]}).status_code == 422


def idea(participant, key="idea-0001", **fields):
    return {"key": key, "kind": "idea", "participant": participant, "title": "A drinking fountain",
            "body": "Near the benches.", "category": "other", **fields}


def test_ideas_go_to_moderation_once(api, session):
    p = api.participant(session.join_code)["participant"]
    results = api.sync(session.join_code, [idea(p), idea(p)]).get_json()["results"]
    assert [r["status"] for r in results] == ["saved", "duplicate"]
    assert api.sync(session.join_code, [idea(p)]).get_json()["results"][0]["status"] == "duplicate"
    added = db.session.scalars(sa.select(Idea).where(Idea.title == "A drinking fountain")).all()
    assert len(added) == 1 and added[0].status == "pending" and added[0].author_id is None
    assert added[0].lat is None
    assert db.session.scalar(sa.select(sa.func.count(SessionIdea.id))) == 1


def test_idea_with_a_place_must_be_inside_the_space(api, session):
    p = api.participant(session.join_code)["participant"]
    inside = api.sync(session.join_code, [idea(p, lat=19.4326, lng=-99.1332)]).get_json()
    outside = api.sync(session.join_code, [idea(p, key="idea-0002", lat=19.5, lng=-99.1332)]).get_json()
    half = api.sync(session.join_code, [idea(p, key="idea-0003", lat=19.4326)]).get_json()
    assert inside["results"][0]["status"] == "saved"
    assert "outside" in outside["results"][0]["error"]
    assert "both coordinates" in half["results"][0]["error"]


@pytest.mark.parametrize("fields, message", [
    ({"title": "Hi"}, "5 to 120"),
    ({"category": "weather"}, "Choose one of the categories"),
    ({"body": "x" * 2001}, "under 2000"),
    ({"title": ["A", "list"]}, "must be text"),
])
def test_bad_ideas_are_refused_with_the_form_message(api, session, fields, message):
    p = api.participant(session.join_code)["participant"]
    result = api.sync(session.join_code, [idea(p, **fields)]).get_json()["results"][0]
    assert result["status"] == "refused" and message in result["error"]


def test_sessions_without_idea_collection_refuse_ideas(api, make_session):
    make_session(join_code="NXDEAS", collect_ideas=False)
    p = api.participant("NXDEAS")["participant"]
    assert api.sync("NXDEAS", [idea(p)]).get_json()["results"][0]["error"] \
        == "This session does not collect ideas."


def test_time_window_limits_participants_and_sync(api, make_session):
    now = datetime.now(timezone.utc)
    make_session(join_code="WATERR", starts_at=now + SETUP_LEAD + timedelta(minutes=5),
                 ends_at=now + SETUP_LEAD + timedelta(hours=2))
    response = api.post("/api/sessions/WATERR/participants", {})
    assert response.status_code == 403 and response.get_json()["error"] == "This session has not started yet."
    ended = make_session(join_code="ENDEDD")
    p = api.participant("ENDEDD")  # a tablet stocked up while the session was open
    end = datetime.now(timezone.utc)  # the facilitator ends it right after its pairs were handed out
    ended.starts_at, ended.ends_at = end - timedelta(hours=2), end
    db.session.commit()
    response = api.post("/api/sessions/ENDEDD/participants", {})
    assert response.get_json()["error"] == "This session has ended."
    # Votes cast offline before the end are still taken during the grace period…
    response = api.sync("ENDEDD", votes(p["participant"], p["pairs"][:1]))
    assert response.status_code == 200 and response.get_json()["results"][0]["status"] == "saved"
    assert vote_count() == 1
    # …but not after it.
    ended.ends_at = now - SYNC_GRACE - timedelta(minutes=1)
    ended.starts_at = ended.ends_at - timedelta(hours=1)
    db.session.commit()
    response = api.sync("ENDEDD", votes(p["participant"], p["pairs"][1:2], prefix="w"))
    assert response.status_code == 403 and "over" in response.get_json()["error"]
    assert vote_count() == 1


def test_closed_space_refuses_votes_but_keeps_participants(api, session, moderated_space):
    p = api.participant(session.join_code)
    moderated_space.phase = "closed"
    db.session.commit()
    result = api.sync(session.join_code, votes(p["participant"], p["pairs"][:1])).get_json()["results"][0]
    assert result == {"key": "v00000000", "status": "refused", "error": "Voting has closed in this space."}
    assert vote_count() == 0
    # The participant is still part of the session: what else it sends still counts…
    start = {"key": "start-0001", "kind": "start", "participant": p["participant"]}
    assert api.sync(session.join_code, [start]).get_json()["results"][0]["status"] == "saved"
    assert db.session.scalar(sa.select(SessionParticipant.started_at)) is not None
    # …and the session still takes people, with no pairs to vote on.
    assert api.participant(session.join_code)["pairs"] == []


@pytest.mark.parametrize("code", ["NOPE12", "K0P2QX", "toolongcode"])
def test_unknown_codes_are_404_json(api, code):
    response = api.post(f"/api/sessions/{code}/participants", {})
    assert response.status_code == 404
    assert "error" in response.get_json()


def test_config_lists_votable_ideas_for_the_ballot(api, session):
    config = api.get(f"/api/sessions/{session.join_code}/config").get_json()
    assert len(config["ideas"]) == 5 and config["mode"] == "both" and "pin" not in config
    assert config["collectIdeas"] is True and config["budget"] == 100 and config["maxVotes"] == 10


def test_live_figures_need_the_facilitator_or_a_kiosk(api, client, session, facilitator, login, make_user):
    assert api.get(f"/api/sessions/{session.id}/live").status_code == 401
    other = make_user(role="facilitator")
    login(other)
    assert api.get(f"/api/sessions/{session.id}/live").status_code == 403


def test_live_figures_count_the_room(api, client, session, facilitator, login):
    p = api.participant(session.join_code)
    api.participant(session.join_code)  # held in stock, never started: not counted
    api.sync(session.join_code, votes(p["participant"], p["pairs"][:4]))
    login(facilitator)
    live = api.get(f"/api/sessions/{session.id}/live").get_json()
    assert live["counts"]["participants"] == 1 and live["counts"]["votes"] == 4
    assert live["state"] == "open"
    assert len(live["room"]["pairwise"]) == 5 and live["room"]["quadratic"] == []
    assert {"id", "title", "score", "wins"} <= set(live["room"]["pairwise"][0])


def test_votes_on_an_idea_withdrawn_meanwhile_are_dropped_not_the_ballot(api, session):
    ideas = db.session.scalars(sa.select(Idea).order_by(Idea.id)).all()
    p = api.participant(session.join_code)["participant"]
    ideas[0].status = "hidden"  # a moderator hid it while the tablet was offline
    db.session.commit()
    result = api.sync(session.join_code, [ballot(p, 1, {str(ideas[0].id): 3, str(ideas[1].id): 2})])
    assert result.get_json()["results"][0]["status"] == "saved"
    assert stored_ballot() == {ideas[1].id: 2}
    unknown = api.sync(session.join_code, [ballot(p, 2, {"999999": 1})]).get_json()["results"][0]
    assert unknown["status"] == "refused" and "999999 is not open for voting" in unknown["error"]


def test_the_projector_withholds_scores_until_an_idea_has_enough_comparisons(api, session, facilitator, login):
    from app.sessions.results import MIN_COMPARISONS
    p = api.participant(session.join_code)
    api.sync(session.join_code, votes(p["participant"], p["pairs"][:2]))  # no idea compared 5 times
    login(facilitator)
    live = api.get(f"/api/sessions/{session.id}/live").get_json()
    for scope in ("room", "space"):
        rows = live[scope]["pairwise"]
        assert rows and all(r["score"] is None and r["compared"] < MIN_COMPARISONS for r in rows)
    page = api.get(f"/sessions/{session.id}/projector").get_data(as_text=True)
    assert "not enough votes yet" in page and "/ 100" not in page
