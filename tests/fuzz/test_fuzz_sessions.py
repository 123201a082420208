"""Facilitated sessions fuzzed: the session form, joining, kiosk set-up and the tablet API.

The offline sync answers 200 with one result per item; an item it refuses must change
nothing, and "retry" (meant for a database hiccup) must never answer a bad item, or the
tablet would resend it forever. A wrong kiosk PIN is the one refusal that writes: it
counts the failure (to lock out guessing), and nothing else.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import event, given
from hypothesis import strategies as st

from app.extensions import db
from app.models import DEFAULT_CATEGORIES, SKIP_REASONS, Idea
from app.models.facilitation import FacilitatedSession
from app.sessions.pins import hash_pin
from app.sessions.sync import KINDS
from tests.conftest import csrf_token
from tests.fuzz.conftest import (
    FUZZ_WARNINGS,
    TRICKY_TEXT,
    assert_json_answer,
    assert_local_redirect,
    assert_no_server_error,
    assert_refusal_left_database,
    changed_tables,
    counts,
    fuzz_text,
    json_values,
    mostly,
    mutated,
    number_text,
    path_segment,
    raw_bodies,
    snapshot,
    typed,
    unmutated,
)

pytestmark = FUZZ_WARNINGS
PIN = "2580"
PARTICIPANT, STRANGER, PAIR = "<participant>", "<participant of another session>", "<pair>"
VALID = object()
csrf_values = st.integers(0, 9).flatmap(
    lambda n: st.just(VALID) if n < 8 else st.none() if n == 8 else fuzz_text)


@pytest.fixture
def facilitator(make_user, login):
    user = make_user(role="facilitator", email="facilita@example.org")
    login(user)
    return user


def new_session(space, facilitator, code: str) -> FacilitatedSession:
    now = datetime.now(timezone.utc)
    session = FacilitatedSession(
        space_id=space.id, facilitator_id=facilitator.id, name="Saturday workshop", place="Centro",
        starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=2),
        timezone="America/Mexico_City", mode="both", collect_ideas=True, idle_seconds=120,
        join_code=code, pin_hash=hash_pin(PIN, iterations=1000))
    db.session.add(session)
    db.session.commit()
    return session


@pytest.fixture
def workshop(workshop_space, facilitator):
    return new_session(workshop_space, facilitator, "K7PQ2M")


def post(client, path: str, data: dict, csrf, **kwargs):
    data = dict(data)
    if csrf is VALID:
        data["csrf_token"] = csrf_token(client)
    elif csrf is not None:
        data["csrf_token"] = csrf
    return client.post(path, data=data, **kwargs)


def post_json(client, path: str, body, csrf=VALID):
    headers = {"X-CSRFToken": csrf_token(client)} if csrf is VALID else {}
    if body[0] == "json":
        return client.post(path, json=body[1], headers=headers)
    return client.post(path, data=body[1], content_type="application/json", headers=headers)


# ---------------------------------------------------------------------------------------
# Pages: the session form, joining by code, setting up a kiosk

EXTREME_TIMES = ["0001-01-01T00:00", "9999-12-31T23:59", "2026-03-08T02:30", "2026-13-01T10:00",
                 "2026-01-01T24:00", "2026-01-01 10:00", "2026-01-01T10:00:60", ""]


def local_time(hours_from_now: float, zone: str = "UTC") -> str:
    """The wall-clock time at the place, to the minute, as the form's field holds it."""
    moment = datetime.now(timezone.utc) + timedelta(hours=hours_from_now)
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def session_window(zone: str):
    """Start and end in `zone` (which has no clock changes): from 1 h ago to 3 h ahead, ending
    3.5 to 10.5 h from now, so 30 min to 11.5 h long and not over, as a session must be."""
    return st.fixed_dictionaries({"timezone": st.just(zone),
                                  "starts_at": st.floats(-1, 3).map(lambda h: local_time(h, zone)),
                                  "ends_at": st.floats(3.5, 10.5).map(lambda h: local_time(h, zone))})


@given(data=st.data(), csrf=csrf_values)
def test_new_session_form(client, workshop_space, facilitator, valid_examples, data, csrf):
    fields = st.fixed_dictionaries({
        "space": st.just(str(workshop_space.id)), "name": st.just("Taller del sábado"),
        "place": st.just("Centro"),
        "mode": st.sampled_from(["pairwise", "quadratic", "both"]), "collect_ideas": st.sampled_from(["y", ""]),
        "idle_seconds": st.integers(30, 900).map(str), "pin": st.just(PIN), "pin_confirm": st.just(PIN),
    })
    window = st.sampled_from(["UTC", "America/Mexico_City", "Pacific/Kiritimati", "Etc/GMT+12"]).flatmap(
        session_window)
    form = data.draw(mutated(max_changes=4, valid=st.builds(lambda a, b: {**a, **b}, fields, window), fuzz={
        "space": number_text, "name": fuzz_text, "place": fuzz_text, "mode": fuzz_text,
        "starts_at": st.one_of(st.sampled_from(EXTREME_TIMES), fuzz_text),
        "ends_at": st.one_of(st.sampled_from(EXTREME_TIMES), fuzz_text),
        "timezone": st.one_of(st.sampled_from(["", "Etc/GMT+14", "../../etc/passwd", "localtime"]), fuzz_text),
        "idle_seconds": number_text, "pin": fuzz_text, "pin_confirm": fuzz_text, "collect_ideas": fuzz_text,
    }), label="form")
    before = snapshot()
    response = post(client, "/sessions/new", form, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert_local_redirect(response)
    assert response.status_code in (302, 400, 422)
    if unmutated(form) and csrf is VALID:
        valid_examples.check(response, 302)
    assert_refusal_left_database(response, before)
    if response.status_code == 302:
        after = snapshot()
        assert counts(after)["facilitated_sessions"] == counts(before)["facilitated_sessions"] + 1
        created = db.session.scalar(sa.select(FacilitatedSession).order_by(FacilitatedSession.id.desc()))
        assert created.name in typed(form["name"]) and created.mode == form["mode"]
        assert created.facilitator_id == facilitator.id and created.space_id == workshop_space.id


@given(code=st.one_of(st.just("K7PQ2M"), st.just("k7p-q2m"), fuzz_text), csrf=csrf_values)
def test_join_by_code(client, workshop, valid_examples, code, csrf):
    before = snapshot()
    response = post(client, "/sessions/join", {"code": code}, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400, 422)
    assert not changed_tables(before, snapshot())
    if code in ("K7PQ2M", "k7p-q2m") and csrf is VALID:  # the code as shown, or as typed
        valid_examples.check(response, 302)
    if response.status_code == 302:
        assert response.headers["Location"].endswith("/sessions/join/K7PQ2M")


@given(code=st.one_of(st.just("K7PQ2M"), fuzz_text), pin=st.one_of(st.just(PIN), st.just("0000"), fuzz_text),
       csrf=csrf_values)
def test_kiosk_setup(app, workshop, valid_examples, code, pin, csrf):
    tablet = app.test_client()  # not logged in: a tablet set up with the code and the PIN
    valid = code == "K7PQ2M" and pin == PIN and csrf is VALID
    if valid:  # earlier examples' wrong PINs may have locked the session out (tested apart)
        db.session.execute(sa.update(FacilitatedSession).where(FacilitatedSession.id == workshop.id)
                           .values(pin_failures=0, pin_failed_at=None))
        db.session.commit()
    before = snapshot()
    response = post(tablet, "/sessions/kiosk", {"code": code, "pin": pin}, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400, 422)
    if valid:
        valid_examples.check(response, 302)
        assert response.headers["Location"].endswith(f"/sessions/{workshop.id}/kiosk")
    after = snapshot()
    assert changed_tables(before, after) in ([], ["facilitated_sessions"])
    columns = FacilitatedSession.__table__.columns.keys()
    moved = {columns[i] for old, new in zip(before["facilitated_sessions"], after["facilitated_sessions"])
             for i, (x, y) in enumerate(zip(old, new)) if x != y}
    assert moved <= {"pin_failures", "pin_failed_at"}  # only the PIN failure counter may move


@given(code=st.one_of(st.just("K7PQ2M"), fuzz_text))
def test_session_pages_by_code(client, workshop, code):
    before = snapshot()
    for path in (f"/sessions/join/{path_segment(code)}", f"/api/sessions/{path_segment(code)}/config"):
        response = client.get(path)
        assert_no_server_error(response)
        if path.startswith("/api/") and response.status_code != 308:
            assert_json_answer(response)
    assert not changed_tables(before, snapshot())


# ---------------------------------------------------------------------------------------
# The tablet API: participants, pairs, offline sync

bodies = st.one_of(json_values.map(lambda v: ("json", v)), raw_bodies.map(lambda b: ("raw", b)))


participant_requests = mutated(
    valid={"via": st.just("kiosk"), "count": st.integers(1, 40)},
    fuzz={"via": json_values, "count": st.one_of(st.integers(-5, 50), json_values)},
).map(lambda v: ("json", v))


@given(body=mostly(participant_requests, bodies), code=mostly(st.just("K7PQ2M"), fuzz_text))
def test_new_participant(client, workshop, valid_examples, body, code):
    before = snapshot()
    response = post_json(client, f"/api/sessions/{path_segment(code)}/participants", body)
    if response.status_code == 308:
        return
    answer = assert_json_answer(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 201, 400, 403, 404, 405, 422)
    if unmutated(body[1]) and code == "K7PQ2M":  # the facilitator's browser runs the kiosk
        valid_examples.check(response, 201)
    assert_refusal_left_database(response, before)
    if response.status_code == 200:  # this browser's phone participant, given back
        assert answer["via"] == "phone"
        assert counts(snapshot())["session_participants"] == counts(before)["session_participants"]
    if response.status_code == 201:
        assert counts(snapshot())["session_participants"] == counts(before)["session_participants"] + 1
        # The facilitator's own browser may act as a kiosk of their session.
        assert answer["via"] == ("kiosk" if body[1].get("via") == "kiosk" else "phone")
        assert len(answer["pairs"]) <= 40


def with_placeholders(value, real: dict):
    """Swap the strategy's placeholders for real tokens, inside lists and objects too."""
    if isinstance(value, str):
        return real.get(value, value)
    if isinstance(value, list):
        return [with_placeholders(v, real) for v in value]
    if isinstance(value, dict):
        return {real.get(k, k): with_placeholders(v, real) for k, v in value.items()}
    return value


pair_requests = mutated(
    valid={"participant": st.just(PARTICIPANT), "count": st.integers(1, 40),
           "held": st.lists(st.just(PAIR), max_size=2)},
    fuzz={"participant": st.one_of(st.just(STRANGER), json_values), "count": json_values,
          "held": st.one_of(st.lists(fuzz_text), json_values)},
).map(lambda v: ("json", v))


@given(body=mostly(pair_requests, bodies))
def test_more_pairs(client, app, workshop_space, facilitator, workshop, valid_examples, body):
    other = db.session.scalar(sa.select(FacilitatedSession).where(FacilitatedSession.join_code == "R9TV3W")) \
        or new_session(workshop_space, facilitator, "R9TV3W")
    mine = post_json(client, "/api/sessions/K7PQ2M/participants", ("json", {})).get_json()
    theirs = post_json(client, "/api/sessions/R9TV3W/participants", ("json", {})).get_json()
    real = {PARTICIPANT: mine["participant"], STRANGER: theirs["participant"], PAIR: mine["pairs"][0]["pair_id"]}
    valid = unmutated(body[1])
    body = (body[0], with_placeholders(body[1], real)) if body[0] == "json" else body
    before = snapshot()
    response = post_json(client, "/api/sessions/K7PQ2M/pairs", body)
    answer = assert_json_answer(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 400, 422)
    assert not changed_tables(before, snapshot()), f"{other.join_code}: asking for pairs must not write"
    if valid:
        valid_examples.check(response, 200)
        # 6 ideas make 15 pairs; a new participant has answered none, and holds at most one.
        held = set(body[1]["held"])
        assert len(answer["pairs"]) == min(body[1]["count"], 15 - len(held))
    if response.status_code == 200:
        held = set(body[1].get("held", []))
        assert all(p["pair_id"] not in held for p in answer["pairs"])


sync_items = mutated(max_changes=5, valid={
    "key": st.from_regex(r"[A-Za-z0-9_-]{8,20}", fullmatch=True), "kind": st.sampled_from(KINDS),
    "participant": st.just(PARTICIPANT), "pair_id": st.just(PAIR),
    "choice": st.sampled_from(["left", "right", "tie"]), "seq": st.integers(1, 50),
    "allocations": st.just({"<idea>": 3}), "title": st.just("Una fuente para beber"),
    "category": st.sampled_from(DEFAULT_CATEGORIES),
}, fuzz={
    "key": json_values, "kind": json_values, "participant": st.one_of(st.just(STRANGER), json_values),
    "pair_id": json_values, "choice": st.one_of(st.just("skip"), json_values),
    "reason": st.one_of(st.sampled_from(SKIP_REASONS), json_values),
    "seq": st.one_of(st.integers(-3, 2_000_000), json_values),
    "allocations": st.one_of(
        st.dictionaries(st.one_of(st.just("<idea>"), number_text, st.sampled_from(TRICKY_TEXT + ["²", "٣"])),
                        st.one_of(st.integers(-11, 11), json_values), max_size=4), json_values),
    "title": json_values, "body": json_values, "category": json_values,
    "lat": st.one_of(st.floats(), number_text, json_values), "lng": st.one_of(st.floats(), number_text, json_values),
})


@given(items=st.lists(sync_items, min_size=1, max_size=3),
       wrap=mostly(st.just("items"), st.sampled_from(["raw", "other"])), raw=bodies)
def test_sync(client, workshop_space, facilitator, workshop, items, wrap, raw):
    other = db.session.scalar(sa.select(FacilitatedSession).where(FacilitatedSession.join_code == "R9TV3W")) \
        or new_session(workshop_space, facilitator, "R9TV3W")
    mine = post_json(client, "/api/sessions/K7PQ2M/participants", ("json", {})).get_json()
    theirs = post_json(client, f"/api/sessions/{other.join_code}/participants", ("json", {})).get_json()
    idea = str(db.session.scalar(sa.select(sa.func.min(Idea.id))))
    real = {PARTICIPANT: mine["participant"], STRANGER: theirs["participant"],
            PAIR: mine["pairs"][0]["pair_id"], "<idea>": idea}
    items = with_placeholders(items, real)
    body = {"items": ("json", {"items": items}), "raw": raw, "other": ("json", items)}[wrap]
    before = snapshot()
    response = post_json(client, "/api/sessions/K7PQ2M/sync", body)
    answer = assert_json_answer(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 400)
    assert_refusal_left_database(response, before)
    if response.status_code != 200:
        return
    statuses = [r["status"] for r in answer["results"]]
    assert len(statuses) == len(items)
    assert set(statuses) <= {"saved", "duplicate", "refused"}, answer  # never "retry" for a bad item
    for status in statuses:
        event(f"item {status}")
    if set(statuses) == {"refused"}:
        assert not changed_tables(before, snapshot())


# ---------------------------------------------------------------------------------------
# Regressions: the smallest failing examples the fuzzer found, kept as plain tests.


def test_refused_participant_leaves_no_voter(client, workshop):
    """On SQLite the voter made in a SAVEPOINT was committed although the request was refused."""
    before = snapshot()
    response = post_json(client, "/api/sessions/K7PQ2M/participants", ("json", {"count": "ten"}))
    assert response.status_code == 422
    assert not changed_tables(before, snapshot())


def test_offline_ballot_with_a_unicode_digit_key_is_refused(client, workshop):
    """"²".isdigit() is true but int("²") fails: a ValueError escaped the sync as a 500."""
    participant = post_json(client, "/api/sessions/K7PQ2M/participants", ("json", {})).get_json()
    item = {"key": "ballot-0001", "kind": "ballot", "participant": participant["participant"],
            "seq": 1, "allocations": {"²": 1}}
    response = post_json(client, "/api/sessions/K7PQ2M/sync", ("json", {"items": [item]}))
    assert response.status_code == 200
    assert response.get_json()["results"][0]["status"] == "refused"
