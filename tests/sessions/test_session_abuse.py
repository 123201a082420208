"""The join code is public (on the projector, in the QR code): what it cannot be used for."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.config import DEFAULT_LIMITS
from app.extensions import db
from app.models import PairwiseVote
from app.models.facilitation import FacilitatedSession, SessionParticipant
from app.sessions import service, sync
from app.sessions.pins import FREE_ATTEMPTS
from app.sessions.service import try_pin
from app.pairwise import tokens
from tests.conftest import JOIN_TIMEOUT_S, csrf_token, run_threads
from tests.sessions.conftest import PIN

TIGHT = {**DEFAULT_LIMITS, "participant_ip": "4 per hour", "participant_device": "3 per 10 minutes",
         "participant_session": "6 per hour", "session_votes_ip": "5 per hour", "kiosk_pin_ip": "3 per 10 minutes"}


@pytest.fixture
def app_config(app_config, request):
    if getattr(request, "param", None) == "limited":
        return {**app_config, "RATELIMIT_ENABLED": True, "PLAZA_LIMITS": TIGHT}
    return app_config


limited = pytest.mark.parametrize("app_config", ["limited"], indirect=True)


@pytest.fixture
def room(make_session):
    return make_session(join_code="R7MZZW")


def join(client, code: str = "R7MZZW", via: str = "phone", ip: str = "198.51.100.7"):
    return client.post(f"/api/sessions/{code}/participants", json={"via": via},
                       headers={"X-CSRFToken": csrf_token(client)}, environ_base={"REMOTE_ADDR": ip})


def participants() -> int:
    return db.session.scalar(sa.select(sa.func.count(SessionParticipant.id)))


def test_a_phone_is_one_participant_however_often_it_joins(client, room):
    first, again = join(client), join(client)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["participant"] == again.get_json()["participant"]
    assert participants() == 1


@limited
def test_phones_without_cookies_are_limited_per_ip(app, room):
    answers = [join(app.test_client()).status_code for _ in range(5)]
    assert answers == [201] * 4 + [429]
    assert join(app.test_client(), ip="203.0.113.1").status_code == 201  # another household


@limited
def test_a_kiosk_starts_participants_at_a_human_pace(app, client, room, facilitator, login):
    login(facilitator)  # the facilitator's browser may run the kiosk
    answers = [join(client, via="kiosk").status_code for _ in range(4)]
    assert answers == [201, 201, 201, 429]
    assert participants() == 3


@limited
def test_one_session_takes_a_bounded_number_of_participants(app, room):
    answers = [join(app.test_client(), ip=f"198.51.100.{n}").status_code for n in range(7)]
    assert answers == [201] * 6 + [429]


def vote_items(participant: dict, count: int, prefix: str = "v") -> list[dict]:
    return [{"key": f"{prefix}{n:08d}", "kind": "vote", "participant": participant["participant"],
             "pair_id": pair["pair_id"], "choice": "left"} for n, pair in enumerate(participant["pairs"][:count])]


@limited
def test_votes_through_session_sync_are_limited_per_ip(app, client, room):
    p = join(client).get_json()
    send = lambda items: client.post("/api/sessions/R7MZZW/sync", json={"items": items},  # noqa: E731
                                     headers={"X-CSRFToken": csrf_token(client)})
    assert send(vote_items(p, 4)).status_code == 200
    blocked = send(vote_items(p, 6)[4:])  # two more: 6 in all, one over
    assert blocked.status_code == 429 and "error" in blocked.get_json()
    assert db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))) == 4


def test_a_participant_answers_at_most_so_many_pairs(api, room, monkeypatch):
    monkeypatch.setattr(sync, "MAX_VOTES_PER_PARTICIPANT", 2)
    p = api.participant("R7MZZW")
    results = api.sync("R7MZZW", vote_items(p, 3)).get_json()["results"]
    assert [r["status"] for r in results] == ["saved", "saved", "refused"]
    assert "the most one person may" in results[2]["error"]


def end_now(session: FacilitatedSession) -> None:
    service.end_now(session, datetime.now(timezone.utc))
    db.session.commit()


def test_after_the_end_no_new_pairs_are_handed_out(api, room):
    p = api.participant("R7MZZW")
    end_now(room)
    response = api.post("/api/sessions/R7MZZW/pairs", {"participant": p["participant"], "held": []})
    assert response.status_code == 403 and response.get_json()["error"] == "This session has ended."


def test_after_the_end_votes_on_pairs_handed_out_before_are_taken(api, room):
    p = api.participant("R7MZZW")
    end_now(room)
    results = api.sync("R7MZZW", vote_items(p, 2)).get_json()["results"]
    assert [r["status"] for r in results] == ["saved", "saved"]


def test_after_the_end_a_pair_handed_out_later_is_refused(api, room, monkeypatch):
    p = api.participant("R7MZZW")
    ref = tokens.read(p["pairs"][0]["pair_id"])
    room.ends_at = datetime.now(timezone.utc) - timedelta(minutes=5)
    room.starts_at = room.ends_at - timedelta(hours=1)
    db.session.commit()
    late = tokens.issue(ref.space_id, ref.voter_id, ref.left_id, ref.right_id)  # signed now, after the end
    item = {"key": "late-vote-1", "kind": "vote", "participant": p["participant"], "pair_id": late,
            "choice": "left"}
    result = api.sync("R7MZZW", [item]).get_json()["results"][0]
    assert result["status"] == "refused" and result["error"] == "This pair was handed out after the session ended."
    assert db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))) == 0


def test_after_the_end_no_new_ideas_are_taken(api, room):
    p = api.participant("R7MZZW")
    end_now(room)
    item = {"key": "idea-key-01", "kind": "idea", "participant": p["participant"], "title": "A water fountain",
            "category": "other", "lat": 19.4326, "lng": -99.1332}
    result = api.sync("R7MZZW", [item]).get_json()["results"][0]
    assert result["status"] == "refused" and result["error"] == "This session has ended; it takes no new ideas."


# ---------------------------------------------------------------------------------------
# The kiosk PIN

def test_wrong_pins_sent_at_once_are_checked_one_after_another(app, postgresql, room, monkeypatch):
    checked = []
    real = service.verify_pin
    monkeypatch.setattr(service, "verify_pin", lambda pin, stored: checked.append(pin) or real(pin, stored))
    threads = 12  # within the connection pool (5 + 10 overflow), the test holding one
    start = threading.Barrier(threads)

    def guess(k: int):
        session = db.session.get(FacilitatedSession, room.id)
        start.wait(timeout=JOIN_TIMEOUT_S)
        attempt = try_pin(session, f"{1000 + k}", datetime.now(timezone.utc))
        db.session.commit()
        return attempt.ok

    results = run_threads(app, guess, threads)
    assert results == [False] * threads
    assert len(checked) == FREE_ATTEMPTS  # then everyone waits for the lock-out
    db.session.expire_all()
    assert db.session.get(FacilitatedSession, room.id).pin_failures == FREE_ATTEMPTS


@limited
def test_pin_guesses_are_limited_per_ip(app, client, room):
    def guess(pin: str) -> int:
        return client.post("/sessions/kiosk", data={"code": "R7MZZW", "pin": pin,
                                                    "csrf_token": csrf_token(client, "/sessions/kiosk")}).status_code

    assert [guess(p) for p in ("1111", "2222", "3333", "4444")] == [422, 422, 422, 429]
    assert guess(PIN) == 429  # the right PIN too, from here, until the window passes
