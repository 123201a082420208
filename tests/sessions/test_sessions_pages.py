"""The facilitator's pages, kiosk set-up with the PIN, joining by code, report and CSV."""
import csv
import html
import io
import json
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.facilitation import FacilitatedSession
from app.sessions.display import state as display_state
from app.sessions.pins import FREE_ATTEMPTS, verify_pin
from tests.conftest import csrf_token
from tests.sessions.conftest import PIN

SETTINGS = re.compile(r'data-settings="([^"]+)"')


def app_settings(page: str) -> dict:
    """The settings a kiosk or phone page hands its script."""
    return json.loads(html.unescape(SETTINGS.search(page).group(1)))


def form_data(target, **fields):
    start = datetime.now(timezone.utc).astimezone(timezone(timedelta(hours=-6))).replace(tzinfo=None)
    data = {"space": str(target.id), "name": "Taller del sábado", "place": "Centro Cultural",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "timezone": "America/Mexico_City", "mode": "both", "collect_ideas": "y",
            "idle_seconds": "120", "pin": "2580", "pin_confirm": "2580"}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def as_facilitator(facilitator, login):
    login(facilitator)
    return facilitator


@pytest.mark.parametrize("path", ["/sessions/", "/sessions/new"])
def test_facilitator_pages_need_the_role(client, make_user, login, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"] == f"/auth/login?next={path}"
    login(make_user(role="resident"))
    assert client.get(path).status_code == 403


def test_create_a_session(client, post_form, as_facilitator, moderated_space, make_space):
    make_space(slug="closed", name="Closed park", phase="closed")
    page = client.get("/sessions/new").get_data(as_text=True)
    assert "Alameda Central" in page and "Closed park" not in page
    response = post_form("/sessions/new", form_data(moderated_space))
    assert response.status_code == 302
    session = db.session.scalar(sa.select(FacilitatedSession))
    assert response.location == f"/sessions/{session.id}"
    assert len(session.join_code) == 6 and verify_pin("2580", session.pin_hash)
    assert "2580" not in session.pin_hash
    assert session.facilitator_id == as_facilitator.id and session.mode == "both"
    stored = session.starts_at.replace(tzinfo=timezone.utc) if session.starts_at.tzinfo is None else session.starts_at
    assert abs((stored - datetime.now(timezone.utc)).total_seconds()) < 120  # 6 h west of UTC, as typed
    show = client.get(response.location).get_data(as_text=True)
    assert f"{session.join_code[:3]}-{session.join_code[3:]}" in show
    assert "<svg" in show and f"/sessions/join/{session.join_code}" in show


@pytest.mark.parametrize("fields, message", [
    ({"name": "  "}, "Give the session a name"),
    ({"name": "x" * 121}, "under 120"),
    ({"ends_at": "2020-01-01T10:00", "starts_at": "2020-01-01T09:00"}, "already over"),
    ({"ends_at": None}, "When does it end?"),
    ({"starts_at": "tomorrow"}, "Not a valid datetime"),
    ({"timezone": "Mars/Olympus"}, "is not a time zone"),
    ({"pin": "1234", "pin_confirm": "1234"}, "run like 1234"),
    ({"pin": "12", "pin_confirm": "12"}, "4 to 8 digits"),
    ({"pin": None, "pin_confirm": None}, "4 to 8 digits"),
    ({"pin_confirm": "2581"}, "The two PINs differ"),
    ({"space": "999"}, "Choose a space from the list"),
    ({"space": "abc"}, "Choose a space from the list"),
    ({"mode": "dice"}, "Not a valid choice"),
    ({"idle_seconds": "5"}, "Between 30 and 900 seconds"),
])
def test_bad_session_forms_come_back_with_a_message(client, post_form, as_facilitator, moderated_space,
                                                    fields, message):
    response = post_form("/sessions/new", form_data(moderated_space, **fields))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(FacilitatedSession.id))) == 0


def test_window_longer_than_twelve_hours_is_refused(post_form, as_facilitator, moderated_space):
    start = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(hours=1)
    response = post_form("/sessions/new", form_data(
        moderated_space, timezone="UTC", starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(start + timedelta(hours=13)).strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 422 and "at most 12 hours" in response.get_data(as_text=True)


def test_edit_keeps_the_pin_unless_a_new_one_is_given(client, post_form, as_facilitator, make_session,
                                                      moderated_space):
    session = make_session()
    page = client.get(f"/sessions/{session.id}/edit").get_data(as_text=True)
    assert 'value="Saturday workshop"' in page
    data = form_data(moderated_space, name="Sunday workshop", pin="", pin_confirm="")
    assert post_form(f"/sessions/{session.id}/edit", data).status_code == 302
    db.session.refresh(session)
    assert session.name == "Sunday workshop" and verify_pin(PIN, session.pin_hash)
    new_pin = form_data(moderated_space, pin="7391", pin_confirm="7391")
    assert post_form(f"/sessions/{session.id}/edit", new_pin).status_code == 302
    db.session.refresh(session)
    assert verify_pin("7391", session.pin_hash)


def test_only_its_facilitator_and_staff_run_a_session(client, login, make_user, make_session):
    session = make_session()
    login(make_user(role="facilitator"))
    for path in (f"/sessions/{session.id}", f"/sessions/{session.id}/report",
                 f"/sessions/{session.id}/edit", f"/sessions/{session.id}/export/votes.csv",
                 f"/sessions/{session.id}/qr.png", f"/sessions/{session.id}/projector"):
        assert client.get(path).status_code == 403, path
    assert client.get("/sessions/").get_data(as_text=True).count("s-card") == 0
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    staff = make_user(role="staff")
    login(staff)
    assert client.get(f"/sessions/{session.id}").status_code == 200
    assert client.get("/sessions/999").status_code == 404


def test_qr_codes(client, as_facilitator, make_session):
    session = make_session()
    png = client.get(f"/sessions/{session.id}/qr.png")
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get(f"/sessions/{session.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_kiosk_needs_the_pin_or_the_facilitator(client, post_form, make_session):
    session = make_session()
    response = client.get(f"/sessions/{session.id}/kiosk")
    assert response.status_code == 302 and "/sessions/kiosk?code=" in response.location
    wrong = post_form("/sessions/kiosk", {"code": session.join_code.lower(), "pin": "9999"})
    assert wrong.status_code == 422 and "not the PIN" in wrong.get_data(as_text=True)
    right = post_form("/sessions/kiosk", {"code": session.join_code, "pin": PIN})
    assert right.status_code == 302 and right.location == f"/sessions/{session.id}/kiosk"
    kiosk = client.get(f"/sessions/{session.id}/kiosk")
    page = kiosk.get_data(as_text=True)
    assert kiosk.status_code == 200 and 'id="k-app"' in page and "site-nav" not in page
    settings = app_settings(page)
    assert settings["kiosk"] is True and set(settings["pin"]) == {"hash", "salt", "iterations"}
    assert client.get(f"/sessions/{session.id}/projector").status_code == 200  # the room's screen


def test_wrong_pins_lock_the_kiosk_set_up_for_a_while(client, post_form, make_session):
    session = make_session()
    for _ in range(FREE_ATTEMPTS):
        post_form("/sessions/kiosk", {"code": session.join_code, "pin": "9999"})
    locked = post_form("/sessions/kiosk", {"code": session.join_code, "pin": PIN})
    assert locked.status_code == 422 and "Too many wrong PINs" in locked.get_data(as_text=True)
    db.session.refresh(session)
    session.pin_failed_at = datetime.now(timezone.utc) - timedelta(minutes=1)
    db.session.commit()
    assert post_form("/sessions/kiosk", {"code": session.join_code, "pin": PIN}).status_code == 302
    db.session.refresh(session)
    assert session.pin_failures == 0


@pytest.mark.parametrize("code, message", [
    ("", "Type the code"), ("K0P2QX", "no 0, 1, I, L, O or U"), ("ZZZZZZ", "No session has this code"),
])
def test_kiosk_set_up_and_join_explain_bad_codes(post_form, make_session, code, message):
    make_session()
    for path, extra in (("/sessions/kiosk", {"pin": PIN}), ("/sessions/join", {})):
        response = post_form(path, {"code": code, **extra})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)


def test_join_by_code_leads_to_the_phone_page(client, post_form, make_session):
    session = make_session()
    code = session.join_code
    response = post_form("/sessions/join", {"code": f"{code[:3].lower()}-{code[3:]}"})
    assert response.location == f"/sessions/join/{code}"
    settings = app_settings(client.get(response.location).get_data(as_text=True))
    assert settings["kiosk"] is False and "pin" not in settings
    assert client.get(f"/sessions/join/{code.lower()}").location == f"/sessions/join/{code}"
    assert client.get("/sessions/join/ZZZZZZ").status_code == 404
    assert client.get("/sessions/join/not-a-code").status_code == 404


def test_service_worker_is_served_for_the_sessions_scope(client):
    response = client.get("/sessions/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/sessions/"
    assert response.headers["Cache-Control"] == "no-cache"
    head = response.get_data(as_text=True).splitlines()[0]
    assert "/static/js/kiosk.js" in head and "/vendor/leaflet/leaflet.js" in head


def test_report_and_csv(client, api, as_facilitator, make_session, moderated_space):
    session = make_session()
    p = api.participant(session.join_code)
    ids = [pair["left"]["id"] for pair in p["pairs"][:1]]
    items = [{"key": f"vote-{i:04d}", "kind": "vote", "participant": p["participant"],
              "pair_id": pair["pair_id"], "choice": "left"} for i, pair in enumerate(p["pairs"][:3])]
    items.append({"key": "ballot-0001", "kind": "ballot", "participant": p["participant"], "seq": 1,
                  "allocations": {str(ids[0]): 2}})
    items.append({"key": "idea-0001", "kind": "idea", "participant": p["participant"],
                  "title": "=HYPERLINK(\"http://x\")", "category": "other"})
    assert all(r["status"] == "saved" for r in api.sync(session.join_code, items).get_json()["results"])
    page = client.get(f"/sessions/{session.id}/report").get_data(as_text=True)
    assert 'id="r-votes">3<' in page and 'id="r-participants">1<' in page and 'id="r-ballots">1<' in page
    assert "HYPERLINK" in page and "· pending</span>" in page

    votes = client.get(f"/sessions/{session.id}/export/votes.csv")
    assert votes.mimetype == "text/csv" and "attachment" in votes.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(votes.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["received_at", "participant", "left_id"] and len(rows) == 4
    assert {r[1] for r in rows[1:]} == {"1"}
    ideas = list(csv.DictReader(io.StringIO(client.get(
        f"/sessions/{session.id}/export/ideas.csv").get_data(as_text=True).lstrip("\ufeff"))))
    added = [r for r in ideas if r["added_in_session"] == "yes"]
    assert added[0]["title"].startswith("'=HYPERLINK")  # never run as a formula
    assert any(r["room_qv_net_votes"] == "2" for r in ideas)
    ballots = client.get(f"/sessions/{session.id}/export/ballots.csv").get_data(as_text=True)
    assert ballots.splitlines()[1].endswith(",2,4")
    assert client.get(f"/sessions/{session.id}/export/secrets.csv").status_code == 404


def test_open_kiosk_from_the_session_page(client, post_form, as_facilitator, make_session):
    session = make_session()
    response = post_form(f"/sessions/{session.id}/kiosk", {})
    assert response.location == f"/sessions/{session.id}/kiosk"
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    assert client.get(f"/sessions/{session.id}/kiosk").status_code == 200  # still a kiosk


def test_end_the_session_now(client, api, post_form, as_facilitator, make_session):
    session = make_session()
    assert post_form(f"/sessions/{session.id}/end", {}).status_code == 302
    db.session.refresh(session)
    assert "has ended" in client.get(f"/sessions/{session.id}").get_data(as_text=True)
    refused = api.post(f"/api/sessions/{session.join_code}/participants", {})
    assert refused.status_code == 403 and refused.get_json()["error"] == "This session has ended."
    assert api.sync(session.join_code, []).status_code == 200  # tablets still send what they hold
    again = post_form(f"/sessions/{session.id}/end", {}, follow_redirects=True)
    assert "had already ended" in again.get_data(as_text=True)


def test_ending_a_session_that_has_not_started(post_form, as_facilitator, make_session):
    now = datetime.now(timezone.utc)
    session = make_session(starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2))
    post_form(f"/sessions/{session.id}/end", {})
    db.session.refresh(session)
    assert session.starts_at < session.ends_at


def test_a_new_session_starts_on_the_citys_clock(app, client, as_facilitator, moderated_space):
    app.config["BABEL_DEFAULT_TIMEZONE"] = "America/Mexico_City"
    page = client.get("/sessions/new").get_data(as_text=True)
    assert re.search(r'<option selected value="America/Mexico_City">', page)
    likely = page.split('<optgroup label="Likely time zones">')[1].split("</optgroup>")[0]
    assert likely.index("America/Mexico_City") < likely.index("America/Cancun")
    assert "Europe/Madrid" not in likely
    here = datetime.now(timezone.utc).astimezone(ZoneInfo("America/Mexico_City"))
    start = re.search(r'id="starts_at" name="starts_at" required type="datetime-local" value="([^"]+)"', page).group(1)
    assert abs(datetime.fromisoformat(start) - here.replace(tzinfo=None, second=0, microsecond=0)) <= timedelta(minutes=1)


def test_a_new_session_in_a_space_takes_the_zone_of_its_last_session(app, client, as_facilitator,
                                                                     moderated_space, make_session):
    app.config["BABEL_DEFAULT_TIMEZONE"] = "America/Mexico_City"
    make_session(timezone="Europe/Madrid")
    page = client.get(f"/sessions/new?space={moderated_space.id}").get_data(as_text=True)
    assert re.search(r'<option selected value="Europe/Madrid">', page)
    likely = page.split('<optgroup label="Likely time zones">')[1].split("</optgroup>")[0]
    assert likely.index("Europe/Madrid") < likely.index("America/Mexico_City")
    assert "Atlantic/Canary" in likely  # Spain's other zone


def test_ending_a_session_asks_first(client, post_form, as_facilitator, make_session):
    session = make_session()
    shown = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert f'action="/sessions/{session.id}/end"' in shown and 'method="get"' in shown
    confirm = client.get(f"/sessions/{session.id}/end")
    assert confirm.status_code == 200
    text = confirm.get_data(as_text=True)
    assert "Yes, end the session now" in text and "No, keep it running" in text
    db.session.refresh(session)
    assert display_state(session) == "open"  # asking ends nothing
    response = post_form(f"/sessions/{session.id}/end", {})
    assert response.status_code == 302
    db.session.refresh(session)
    assert display_state(session) == "ended"
    again = client.get(f"/sessions/{session.id}/end")
    assert again.status_code == 302  # nothing left to confirm
