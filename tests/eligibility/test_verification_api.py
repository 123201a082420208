"""POST /api/spaces/<slug>/verification and GET .../eligibility."""
import pytest
import sqlalchemy as sa

from app.eligibility.verification import CLAIM_REFUSED
from app.extensions import db
from app.models import AuditEntry, User, Verification, Voter
from tests.eligibility.conftest import ANA, LUIS


def test_a_resident_verifies_with_the_rolls_values(centro, resident, verify, send):
    assert send("GET", "/api/spaces/centro/eligibility").get_json()["you"]["may_qv"] is False
    response = verify({"method": "roll", "fields": {"documento": "ab 123456", "nacimiento": "1980-05-02"}})
    assert response.status_code == 200
    assert response.get_json() == {"verified": True, "district": "Centro", "resumed": False}
    status = send("GET", "/api/spaces/centro/eligibility").get_json()
    assert status["you"] == {"verified": True, "district": "Centro", "confirmed": True, "may_verify": False,
                             "may_pairwise": True, "may_qv": True}
    assert status["rules"]["qv"]["rule"] == "verified" and status["methods"] == ["roll"]
    assert status["roll_fields"] == ["documento", "nacimiento"]
    assert verify({"method": "roll", "fields": ANA}).status_code == 200  # again: still theirs


def test_wrong_values_say_nothing_of_which_field(centro, resident, verify):
    wrong_date = verify({"method": "roll", "fields": {**ANA, "nacimiento": "1980-05-03"}})
    wrong_document = verify({"method": "roll", "fields": {**ANA, "documento": "AB123457"}})
    assert wrong_date.status_code == wrong_document.status_code == 422
    assert wrong_date.get_json() == wrong_document.get_json()
    assert "do not match the roll" in wrong_date.get_json()["error"]


@pytest.mark.parametrize("body, status, message", [
    ({"method": "roll", "fields": {"documento": "AB123456"}}, 422, "Fill in: nacimiento"),
    ({"method": "roll", "fields": "AB123456"}, 422, "Send the roll's values as fields"),
    ({"method": "code", "code": "not-a-code"}, 422, "This code is not valid here"),
    ({"method": "code", "code": 12}, 422, "This code is not valid here"),
    ({"method": "sms"}, 422, "does not accept that way"),
    ({}, 422, "does not accept that way"),
    (["roll"], 400, "Send a JSON object"),
])
def test_bad_requests_get_a_clear_refusal(centro, resident, verify, body, status, message):
    response = verify(body)
    assert response.status_code == status and message in response.get_json()["error"]
    assert db.session.scalar(sa.select(sa.func.count(Verification.id))) == 0


def test_a_method_the_space_does_not_accept(centro, resident, verify):
    centro.verification_methods = ["code"]
    db.session.commit()
    response = verify({"method": "roll", "fields": ANA})
    assert response.status_code == 422 and "does not accept" in response.get_json()["error"]


def test_a_second_account_cannot_claim_the_same_entry(centro, make_user, login, verify, client_of):
    first, second = make_user(), make_user()
    login(first)
    assert verify({"method": "roll", "fields": ANA}).status_code == 200
    other = client_of(second)
    assert other.get("/api/spaces/centro/eligibility").get_json()["you"]["confirmed"]
    response = verify({"method": "roll", "fields": ANA}, on=other)
    assert response.status_code == 422 and "already used by someone else" in response.get_json()["error"]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == CLAIM_REFUSED))
    assert entry.actor_email == second.email and entry.after["method"] == "roll"
    assert "AB123456" not in str(entry.after)
    # the refused account is not verified, and may claim its own entry
    assert verify({"method": "roll", "fields": LUIS}, on=other).get_json()["district"] == "Guerrero"


def test_one_voter_claims_one_entry(centro, resident, verify):
    assert verify({"method": "roll", "fields": ANA}).status_code == 200
    response = verify({"method": "roll", "fields": LUIS})
    assert response.status_code == 422 and "already verified" in response.get_json()["error"]


def test_a_deleted_account_keeps_what_it_claimed(centro, make_user, verify, client_of):
    gone = make_user()
    assert verify({"method": "roll", "fields": ANA}, on=client_of(gone)).status_code == 200
    db.session.execute(sa.delete(Voter).where(Voter.user_id == gone.id))
    db.session.execute(sa.delete(User).where(User.id == gone.id))
    db.session.commit()
    assert db.session.scalar(sa.select(Verification.voter_id)) is None
    response = verify({"method": "roll", "fields": ANA}, on=client_of(make_user()))
    assert response.status_code == 422 and "already used" in response.get_json()["error"]


def test_letter_codes_verify_once(centro, letter_codes, make_user, verify, client_of):
    typed = letter_codes[0].lower().replace("-", " ")
    assert verify({"method": "code", "code": typed}, on=client_of(make_user())).get_json() == {
        "verified": True, "district": None, "resumed": False}
    response = verify({"method": "code", "code": letter_codes[0]}, on=client_of(make_user()))
    assert response.status_code == 422 and "already used" in response.get_json()["error"]


def test_a_code_of_another_space_is_not_valid_here(centro, letter_codes, make_space, resident, verify):
    make_space(slug="alameda", qv_rule="verified")
    response = verify({"method": "code", "code": letter_codes[0]}, slug="alameda")
    assert response.status_code == 422 and "not valid here" in response.get_json()["error"]


def test_a_space_for_accounts_only_asks_to_log_in(centro, letter_codes, verify):
    centro.verified_without_account = False
    db.session.commit()
    response = verify({"method": "code", "code": letter_codes[0]})
    assert response.status_code == 422 and "Log in first" in response.get_json()["error"]
