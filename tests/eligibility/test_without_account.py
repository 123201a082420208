"""A resident verified by a letter code or the roll votes with no account, and comes back
from another browser with the same code to change their ballot."""
import sqlalchemy as sa

from app.extensions import db
from app.models import QVBallot, Verification
from tests.conftest import csrf_token
from tests.eligibility.conftest import ANA


def test_verify_vote_and_come_back_with_the_same_code(centro, letter_codes, client, client_of, verify, send,
                                                      ballot_of):
    assert send("PUT", "/api/spaces/centro/qv-ballot", ballot_of(4, 1)).status_code == 401
    assert verify({"method": "code", "code": letter_codes[1]}).get_json()["resumed"] is False
    saved = send("PUT", "/api/spaces/centro/qv-ballot", ballot_of(4, 1))
    assert saved.status_code == 200 and saved.get_json()["credits_used"] == 17
    assert client.get("/api/spaces/centro/pair").status_code == 200  # the same voter compares ideas

    elsewhere = client_of(None)
    assert verify({"method": "code", "code": letter_codes[1]}, on=elsewhere).get_json()["resumed"] is True
    assert elsewhere.get("/api/spaces/centro/qv-ballot").get_json()["credits_used"] == 17
    changed = send("PUT", "/api/spaces/centro/qv-ballot", ballot_of(0, 7), on=elsewhere)
    assert changed.status_code == 200 and changed.get_json()["credits_used"] == 49
    assert db.session.scalar(sa.select(sa.func.count(QVBallot.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Verification.id))) == 1


def test_a_code_used_by_an_account_cannot_be_taken_without_it(centro, letter_codes, make_user, client_of, verify):
    assert verify({"method": "code", "code": letter_codes[0]}, on=client_of(make_user())).status_code == 200
    response = verify({"method": "code", "code": letter_codes[0]}, on=client_of(None))
    assert response.status_code == 422 and "already used" in response.get_json()["error"]


def test_an_account_cannot_take_over_a_code_used_without_one(centro, letter_codes, make_user, client_of, verify):
    assert verify({"method": "code", "code": letter_codes[0]}, on=client_of(None)).status_code == 200
    response = verify({"method": "code", "code": letter_codes[0]}, on=client_of(make_user()))
    assert response.status_code == 422 and "already used" in response.get_json()["error"]


def test_the_verification_page_keeps_what_was_typed_and_verifies(centro, letter_codes, client):
    page = client.get("/spaces/centro/verify?code=ACEF-HJKM")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="ACEF-HJKM"' in html and 'for="field-0">documento' in html
    token = csrf_token(client, "/spaces/centro/verify")
    wrong = client.post("/spaces/centro/verify", data={"csrf_token": token, "method": "roll",
                                                       "field-0": "AB123456", "field-1": "1980-01-01"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "do not match the roll" in html and 'value="1980-01-01"' in html
    right = client.post("/spaces/centro/verify?next=/spaces/centro/qv",
                        data={"csrf_token": token, "method": "roll", "field-0": ANA["documento"],
                              "field-1": ANA["nacimiento"]})
    assert right.status_code == 302 and right.headers["Location"] == "/spaces/centro/qv"
    assert client.get("/spaces/centro/qv").status_code == 200


def test_the_verification_page_of_a_space_without_roll_or_codes(make_space, client):
    make_space(slug="plain", qv_rule="verified")
    html = client.get("/spaces/plain/verify").get_data(as_text=True)
    assert "does not take verification online yet" in html and "<form" not in html.split("</header>")[-1]
