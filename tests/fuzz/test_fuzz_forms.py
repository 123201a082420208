"""Every form fed arbitrary text, numbers and unicode: never a 500, never a change on refusal.

Each example posts one form with the session's CSRF token (or a missing or forged one) and
compares the whole database before and after: a refusal (4xx, or a redirect that only
flashes an error) leaves it as it was; an acceptance stores exactly what was sent.
"""
from __future__ import annotations

import io
import json
import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from hypothesis import event, given
from hypothesis import strategies as st
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.ideas.transitions import DECISIONS
from app.models import (
    DEFAULT_CATEGORIES,
    AuditEntry,
    Flag,
    Idea,
    QVAllocation,
    QVBallot,
    Space,
    User,
    Voter,
)
from app.models.user import normalize_email
from tests.conftest import PASSWORD, SQUARE, csrf_token
from tests.fuzz.conftest import (
    FUZZ_WARNINGS,
    TRICKY_TEXT,
    Form,
    assert_local_redirect,
    assert_no_server_error,
    assert_refusal_left_database,
    changed_tables,
    counts,
    fuzz_text,
    has_nul,
    json_values,
    mostly,
    mutated,
    number_text,
    plain_text,
    short_text,
    snapshot,
    typed,
    unmutated,
    words,
)

pytestmark = FUZZ_WARNINGS
VALID = object()  # stands for "the session's real CSRF token"
#: Mostly the real token, so most examples reach the view; sometimes none or a forged one.
csrf_values = st.integers(0, 9).flatmap(
    lambda n: st.just(VALID) if n < 8 else st.none() if n == 8 else fuzz_text)
next_values = st.one_of(fuzz_text, st.sampled_from(
    ["/spaces/zocalo", "//evil.example/", "/\\evil.example", "https://evil.example/", "/%2F%2Fevil",
     "/\t/evil.example", " //evil.example", "\\\\evil.example", "/ok?next=//evil", "javascript:alert(1)"]))
# Points inside the test square, as text with the precision a map click gives.
inside_lat = st.floats(19.4317, 19.4335).map(lambda v: f"{v:.6f}")
inside_lng = st.floats(-99.1341, -99.1322).map(lambda v: f"{v:.6f}")
good_titles = words(5, 120)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (0, 128, 0)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = png_bytes()
photos = st.one_of(st.none(), st.just(PNG), st.binary(max_size=300), st.just(PNG[:40]),
                   st.just(PNG + b"\x00" * (5 * 1024 * 1024)))


def post(client, path: str, data: dict, csrf, **kwargs):
    """POST like a browser: `csrf` is VALID for the session's token, None for none, or junk."""
    data = dict(data)
    if csrf is VALID:
        data["csrf_token"] = csrf_token(client)
    elif csrf is not None:
        data["csrf_token"] = csrf
    return client.post(path, data=data, **kwargs)


def fresh(model, ident):
    """The row as committed now, not as the test's session remembers it."""
    db.session.expire_all()
    return db.session.get(model, ident)


def offered(client, path: str, field: str) -> list[str]:
    """The values a page's <select> offers for `field`: a person picks one of these."""
    html = client.get(path).get_data(as_text=True)
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no {field} choice on {path}"
    return re.findall(r'<option[^>]*value="([^"]*)"', select.group(1))


@pytest.fixture
def resident(make_user, login):
    user = make_user(email="rosa@example.org", display_name="Rosa")
    login(user)
    return user


# ---------------------------------------------------------------------------------------
# Accounts

good_emails = st.from_regex(r"[a-z]{1,10}\.[a-z0-9]{1,6}@example\.org", fullmatch=True)
emails = st.one_of(st.emails().map(str), fuzz_text, short_text.map(lambda s: f"{s}@example.org"))
registrations = mutated(
    valid={"email": good_emails, "display_name": st.one_of(st.just("Ana García"), words(1, 80)),
           "password": st.just(PASSWORD), "next": st.just("/spaces/zocalo"), "accept_terms": st.just("y")},
    fuzz={"email": emails, "display_name": fuzz_text, "password": fuzz_text, "next": next_values,
          "accept_terms": st.sampled_from(["", "false"])})


@given(form=registrations, confirm=st.one_of(st.none(), fuzz_text), csrf=csrf_values)
def test_register(app, valid_examples, form, confirm, csrf):
    """`confirm` None repeats the password, as a person would."""
    client = app.test_client()  # a new browser each time
    taken = isinstance(form.get("email"), str) and db.session.scalar(User.by_email(form["email"])) is not None
    valid = unmutated(form) and confirm is None and csrf is VALID
    form = {**form, "confirm": form.get("password", "") if confirm is None else confirm}
    before = snapshot()
    response = post(client, "/auth/register", form, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert_local_redirect(response)
    assert response.status_code in (302, 400, 422)
    if valid:
        valid_examples.check(response, 302)
    assert_refusal_left_database(response, before)
    if response.status_code == 302:
        assert response.headers["Location"] == "/auth/check-your-inbox"  # the same answer either way
        after = snapshot()
        if taken:  # an earlier example's address: its owner is told, nothing is stored
            assert changed_tables(before, after) == []
            return
        assert set(changed_tables(before, after)) == {"users"}  # not logged in: no login session
        assert counts(after)["users"] == counts(before)["users"] + 1
        db.session.expire_all()
        user = db.session.scalar(User.by_email(form["email"]))
        assert user is not None and user.role == "resident" and user.check_password(form["password"])
        assert user.email == normalize_email(form["email"]) and not user.is_confirmed
        assert user.display_name in typed(form["display_name"])


@given(known=st.booleans(), email=emails, right_password=st.booleans(), password=fuzz_text,
       remember=st.sampled_from(["", "y", "on", "\x00", "no"]), next_=next_values, csrf=csrf_values)
def test_login(app, make_user, known, email, right_password, password, remember, next_, csrf):
    user = db.session.scalar(User.by_email("vecina@example.org")) or make_user(email="vecina@example.org")
    client = app.test_client()
    before = snapshot()
    response = post(client, "/auth/login", {
        "email": "VECINA@example.org " if known else email,
        "password": PASSWORD if right_password else password,
        "remember": remember, "next": next_}, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert_local_redirect(response)
    assert response.status_code in (302, 400, 422)
    written = set(changed_tables(before, snapshot()))
    assert written == ({"login_sessions"} if response.status_code == 302 else set()), \
        "logging in writes its login session and nothing else"
    if known and right_password and csrf is VALID and not has_nul([next_, remember]):
        assert response.status_code == 302
    if response.status_code == 302:
        page = client.get("/")
        assert user.display_name in page.get_data(as_text=True)


# ---------------------------------------------------------------------------------------
# Ideas


ideas = mutated(
    valid={"title": good_titles, "body": st.one_of(st.just(""), plain_text),
           "category": st.sampled_from(DEFAULT_CATEGORIES), "lat": inside_lat, "lng": inside_lng},
    fuzz={"title": fuzz_text, "body": fuzz_text, "category": fuzz_text, "lat": number_text,
          "lng": number_text})


@given(form=ideas, photo=photos, filename=st.one_of(st.just("plaza.png"), fuzz_text), csrf=csrf_values)
def test_submit_idea(client, voting_space, resident, valid_examples, form, photo, filename, csrf):
    valid = unmutated(form) and csrf is VALID and (photo is None or (photo == PNG and filename == "plaza.png"))
    data = dict(form)
    if photo is not None:
        data["photo"] = FileStorage(io.BytesIO(photo), filename=filename)
    if csrf is not None:
        data["csrf_token"] = csrf_token(client) if csrf is VALID else csrf
    # Encoded here: the test client would spool a large body to a file it never closes.
    boundary, body_bytes = encode_multipart(data)
    before = snapshot()
    response = client.post("/spaces/zocalo/ideas/new", data=body_bytes,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400, 413, 422)
    if valid:
        valid_examples.check(response, 302)
    assert_refusal_left_database(response, before)
    if response.status_code == 302:
        after = snapshot()
        assert counts(after)["ideas"] == counts(before)["ideas"] + 1
        idea = db.session.scalar(sa.select(Idea).order_by(Idea.id.desc()).limit(1))
        assert response.headers["Location"].endswith(f"/spaces/zocalo/ideas/{idea.id}")
        assert idea.title in typed(form["title"]) and idea.body in typed(form.get("body", ""))
        assert idea.category == form["category"] and idea.author_id == resident.id
        assert (idea.lat, idea.lng) == (float(form["lat"]), float(form["lng"]))
        assert counts(after)["idea_photos"] - counts(before)["idea_photos"] in (0, 1)


@given(data=st.data(), reason=fuzz_text, csrf=csrf_values)
def test_flag(client, voting_space, resident, data, reason, csrf):
    ids = db.session.scalars(sa.select(Idea.id).where(Idea.space_id == voting_space.id)).all()
    idea_id = data.draw(st.one_of(st.sampled_from(ids), st.integers(min_value=0, max_value=10**30)),
                        label="idea_id")
    before = snapshot()
    response = post(client, f"/spaces/zocalo/ideas/{idea_id}/flag", {"reason": reason}, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400, 404, 422)
    assert_refusal_left_database(response, before)
    if response.status_code == 302:
        after = snapshot()
        assert counts(after)["flags"] - counts(before)["flags"] in (0, 1)
        flag = db.session.scalar(sa.select(Flag).where(Flag.idea_id == idea_id, Flag.user_id == resident.id))
        assert flag is not None
        if counts(after)["flags"] > counts(before)["flags"]:
            assert flag.reason in typed(reason)


# ---------------------------------------------------------------------------------------
# Staff: spaces, decisions, merges

square_json = json.dumps(SQUARE)
polygon_like = st.lists(st.lists(st.one_of(st.floats(), st.integers(-(10**400), 10**400), json_values),
                                 min_size=0, max_size=3), min_size=0, max_size=6).map(
    lambda ring: json.dumps({"type": "Polygon", "coordinates": [ring + ring[:1]]}))
boundaries = st.one_of(st.just(square_json), st.just(""), fuzz_text, json_values.map(json.dumps),
                       polygon_like, st.integers(1, 5000).map(lambda n: "[" * n + "]" * n))
checkbox = st.sampled_from(["y", ""])
good_space = {
    "name": st.one_of(st.just("Plaza Mayor"), good_titles), "description": plain_text,
    "slug": st.from_regex(r"[a-z]{2,10}-[0-9]{1,4}", fullmatch=True),
    "center_lat": st.floats(-90, 90).map(str), "center_lng": st.floats(-180, 180).map(str),
    "zoom": st.integers(1, 20).map(str), "boundary": st.sampled_from([square_json, ""]),
    "categories": st.just("greenery\nplay"), "phase": st.sampled_from(["ideas", "voting", "closed"]),
    "moderation": checkbox, "pairwise_rule": st.sampled_from(["anyone", "confirmed", "verified"]),
    "qv_rule": st.sampled_from(["confirmed", "verified"]), "verify_roll": checkbox, "verify_code": checkbox, "ideas_during_voting": checkbox,
    "qv_budget": st.integers(1, 10_000).map(str), "qv_negative": checkbox, "show_results": checkbox,
    "focus_k": st.integers(1, 100).map(str),
}
space_fields = mutated(valid=good_space, max_changes=4, fuzz={
    "name": fuzz_text, "slug": fuzz_text, "description": fuzz_text,
    "center_lat": number_text, "center_lng": number_text, "zoom": number_text,
    "boundary": boundaries, "phase": fuzz_text, "qv_budget": number_text,
    "focus_k": number_text,
    "categories": st.one_of(fuzz_text, st.lists(fuzz_text, max_size=25).map("\n".join)),
    "moderation": fuzz_text, "pairwise_rule": fuzz_text, "qv_rule": fuzz_text, "verify_code": fuzz_text, "ideas_during_voting": fuzz_text,
    "qv_negative": fuzz_text, "show_results": fuzz_text,
})


def check_saved_space(space: Space, fields: dict) -> None:
    """What an accepted space form stored is what was sent (text stripped, numbers parsed)."""
    for name in ("name", "slug", "description"):
        if name in fields:
            assert getattr(space, name) in typed(fields[name])
    for name, parse in (("center_lat", float), ("center_lng", float), ("zoom", int), ("qv_budget", int),
                        ("focus_k", int)):
        if name in fields:
            assert getattr(space, name) == parse(fields[name])
    assert 1 <= space.zoom <= 20 and 1 <= space.qv_budget <= 10_000 and space.categories
    assert 1 <= space.focus_k <= 100
    assert -90 <= space.center_lat <= 90 and -180 <= space.center_lng <= 180


@given(fields=space_fields, csrf=csrf_values)
def test_new_space(client, staff, valid_examples, fields, csrf):
    valid = unmutated(fields) and csrf is VALID \
        and db.session.scalar(Space.by_slug(fields["slug"])) is None  # an earlier example's address
    before = snapshot()
    response = post(client, "/staff/spaces/new", fields, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400, 422)
    if valid:
        valid_examples.check(response, 302)
    assert_refusal_left_database(response, before)
    if response.status_code == 302:
        after = snapshot()
        assert counts(after)["spaces"] == counts(before)["spaces"] + 1
        assert counts(after)["audit_entries"] == counts(before)["audit_entries"] + 1
        db.session.expire_all()
        check_saved_space(db.session.scalar(Space.by_slug(fields["slug"].replace("\x00", "").strip())), fields)


@given(fields=space_fields, csrf=csrf_values)
def test_edit_space(client, voting_space, staff, valid_examples, fields, csrf):
    slug = fresh(Space, voting_space.id).slug  # an accepted example may have renamed it
    # An earlier example may have closed the space, which cannot go back to collecting ideas.
    valid = unmutated(fields) and csrf is VALID and fields["phase"] in offered(
        client, f"/staff/spaces/{slug}/edit", "phase")
    before = snapshot()
    response = post(client, f"/staff/spaces/{slug}/edit", fields, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400, 422)
    if valid:
        valid_examples.check(response, 302)
    assert_refusal_left_database(response, before)
    if response.status_code == 302:
        after = snapshot()
        assert counts(after) == {**counts(before), "audit_entries": counts(before)["audit_entries"] + 1}
        check_saved_space(fresh(Space, voting_space.id), fields)


@given(idea_index=st.integers(0, 3),
       status=st.one_of(st.sampled_from(DECISIONS), st.sampled_from(DECISIONS), fuzz_text),
       response_text=st.one_of(st.just("Porque sí."), st.just(""), fuzz_text), csrf=csrf_values)
def test_decide(client, voting_space, staff, valid_examples, idea_index, status, response_text, csrf):
    """A decision the page offers, with an answer, is taken; anything else changes nothing."""
    idea_id = db.session.scalars(sa.select(Idea.id).order_by(Idea.id)).all()[idea_index]
    old = fresh(Idea, idea_id)
    old_status, old_response = old.status, old.staff_response
    path = f"/staff/spaces/zocalo/ideas/{idea_id}/decide"
    valid = csrf is VALID and response_text == "Porque sí." and status in offered(client, path, "status")
    before = snapshot()
    response = post(client, path, {"status": status, "response": response_text}, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400, 422)
    if valid:
        valid_examples.check(response, 302)
    assert_refusal_left_database(response, before)
    if response.status_code == 302:
        idea = fresh(Idea, idea_id)
        assert idea.status == status and status in DECISIONS and old_status != status
        assert idea.staff_response in typed(response_text) | {old_response}
        assert counts(snapshot())["audit_entries"] == counts(before)["audit_entries"] + 1


@given(target=st.sampled_from(["kept", "self", "merged", "foreign", "missing"]), into=number_text,
       use_target=st.booleans(), csrf=csrf_values)
def test_merge(client, voting_space, staff, make_space, make_idea, target, into, use_target, csrf):
    kept, dup = make_idea(voting_space, title="Trees"), make_idea(voting_space, title="More trees")
    other = db.session.scalar(Space.by_slug("other")) or make_space(slug="other")
    merged_before = db.session.scalar(sa.select(sa.func.min(Idea.id)).where(Idea.merged_into_id.is_not(None)))
    ids = {"kept": kept.id, "self": dup.id, "foreign": make_idea(other).id, "missing": 10**6,
           "merged": merged_before or kept.id}
    sent = str(ids[target]) if use_target else into
    before = snapshot()
    response = post(client, f"/staff/spaces/zocalo/ideas/{dup.id}/merge/{quote(sent, safe='')}", {}, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400, 404, 405)  # 405: a path that is no merge URL
    merged = fresh(Idea, dup.id)
    if merged.merged_into_id is None:  # refused, with a 400 or a redirect and a message
        assert not changed_tables(before, snapshot())
    else:
        assert merged.merged_into_id == int(sent) and merged.status == "hidden"
        assert fresh(Idea, int(sent)).merged_into_id is None


# ---------------------------------------------------------------------------------------
# Quadratic voting without scripts


def expected_allocations(fields: dict[str, str]) -> dict[int, int]:
    """What an accepted ballot form stores: the non-zero whole numbers, by idea id."""
    return {int(name[len("votes-"):]): int(value.strip()) for name, value in fields.items()
            if name != "votes-" and value.strip() and int(value.strip()) != 0}


@given(data=st.data(), csrf=csrf_values)
def test_qv_ballot_form(client, voting_space, resident, valid_examples, data, csrf):
    ids = [str(i) for i in db.session.scalars(sa.select(Idea.id).where(Idea.space_id == voting_space.id))]
    keys = st.one_of(st.sampled_from(ids), st.sampled_from(ids), number_text, st.sampled_from(TRICKY_TEXT))
    votes = st.one_of(st.integers(-11, 11).map(str), st.integers(-3, 6).map(lambda n: f" {n} "), number_text)
    # A quarter of the ballots are valid: 0 to 5 votes on each of the 4 ideas fit 100 credits.
    ballots = st.dictionaries(st.sampled_from(ids).map(lambda k: f"votes-{k}"),
                              st.integers(0, 5).map(str) | st.integers(0, 5).map(lambda n: f" {n} "),
                              max_size=4).map(Form)
    fuzzed = st.dictionaries(keys.map(lambda k: f"votes-{k}"), votes, max_size=6)
    fields = data.draw(mostly(ballots, fuzzed, share=0.25), label="fields")
    extra = data.draw(st.dictionaries(fuzz_text.filter(lambda k: not k.startswith("votes-")), fuzz_text,
                                      max_size=2), label="extra")
    before = snapshot()
    response = post(client, "/spaces/zocalo/qv", {**extra, **fields}, csrf)
    assert_no_server_error(response)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 302, 400, 422)
    if unmutated(fields) and not extra and csrf is VALID:
        valid_examples.check(response, 302)
    if response.status_code != 302:  # refused, or not a submission at all
        assert not changed_tables(before, snapshot())
        return
    voter = db.session.scalar(sa.select(Voter.id).where(Voter.user_id == resident.id))
    ballot = db.session.scalar(sa.select(QVBallot).where(QVBallot.voter_id == voter))
    stored = dict(db.session.execute(sa.select(QVAllocation.idea_id, QVAllocation.votes)
                                     .where(QVAllocation.ballot_id == ballot.id)).all())
    assert stored == expected_allocations(fields)
    assert fresh(QVBallot, ballot.id).credits_used == sum(v * v for v in stored.values()) <= 100


# ---------------------------------------------------------------------------------------
# Regressions: the smallest failing examples the fuzzer found, kept as plain tests.


def test_huge_idea_number_in_the_url_is_a_404(client, voting_space, resident):
    """2**63 does not fit SQLite's INTEGER: OverflowError, a 500, before the fix."""
    before = snapshot()
    response = post(client, f"/spaces/zocalo/ideas/{2**63}/flag", {"reason": "spam"}, VALID)
    assert response.status_code == 404
    assert not changed_tables(before, snapshot())


def test_merge_into_a_huge_idea_number_is_refused(client, voting_space, staff):
    dup = db.session.scalars(sa.select(Idea).order_by(Idea.id)).first()
    before = snapshot()
    response = post(client, f"/staff/spaces/zocalo/ideas/{dup.id}/merge/{2**63}", {}, VALID)
    assert response.status_code in (404, 405)  # the URL converter stops it (app/requests.py)
    assert not changed_tables(before, snapshot())
    assert fresh(Idea, dup.id).merged_into_id is None


VALID_SPACE = {"name": "Plaza Mayor", "slug": "plaza-mayor", "center_lat": "19.43", "center_lng": "-99.13",
               "zoom": "17", "categories": "greenery", "phase": "ideas", "qv_budget": "100",
               "focus_k": "10"}


@pytest.mark.parametrize("boundary", [
    "[" * 2000 + "]" * 2000,  # json.loads raises RecursionError, not ValueError
    json.dumps({"type": "Polygon", "coordinates": [[[10**400, 0], [1, 0], [1, 1], [10**400, 0]]]}),
], ids=["deeply-nested", "huge-integer"])
def test_unusable_boundary_is_refused_with_a_message(client, staff, boundary):
    before = snapshot()
    response = post(client, "/staff/spaces/new", {**VALID_SPACE, "boundary": boundary}, VALID)
    assert response.status_code == 422
    assert "boundary" in response.get_data(as_text=True).lower()
    assert not changed_tables(before, snapshot())


def test_nul_character_in_a_form_is_refused(client, staff):
    """Regression: PostgreSQL refuses NUL in text, which was a 500 after the form had passed.
    Both databases refuse it at the door, so SQLite does not store what PostgreSQL cannot."""
    before = snapshot()
    response = post(client, "/staff/spaces/new", {**VALID_SPACE, "name": "Plaza\x00Mayor"}, VALID)
    assert response.status_code == 400
    assert "Text cannot contain NUL characters." in response.get_data(as_text=True)
    assert not changed_tables(before, snapshot())


def test_audit_entries_only_from_accepted_staff_forms(client, staff, voting_space):
    """Sanity check of the harness: a refused staff form writes no audit entry."""
    before = snapshot()
    response = post(client, "/staff/spaces/new", {"name": "", "slug": "Bad Slug"}, VALID)
    assert response.status_code == 422
    assert not changed_tables(before, snapshot())
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


@pytest.mark.parametrize("lng", [None, "", "  "], ids=["missing", "empty", "blank"])
def test_idea_with_a_latitude_but_no_longitude_is_refused(client, voting_space, resident, lng):
    """Regression: the form let it through and the lat/lng CHECK constraint failed (500)."""
    form = {"title": "Bancas con sombra", "category": "greenery", "lat": "19.4326"}
    if lng is not None:
        form["lng"] = lng
    before = snapshot()
    response = post(client, "/spaces/zocalo/ideas/new", form, VALID)
    assert response.status_code == 422
    assert not changed_tables(before, snapshot())


@pytest.mark.parametrize("field", ["center_lat", "center_lng"])
def test_blank_map_centre_is_refused(client, staff, field):
    """Regression: "  " passed InputRequired, became None, and hit NOT NULL (500)."""
    before = snapshot()
    response = post(client, "/staff/spaces/new", {**VALID_SPACE, field: "  "}, VALID)
    assert response.status_code == 422
    assert not changed_tables(before, snapshot())
