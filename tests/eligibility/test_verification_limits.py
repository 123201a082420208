"""Guessing someone's birth date is pointless: failed verifications are limited per IP, per
voter and per person targeted (by their document number), and successes never count."""
import pytest

from app.config import DEFAULT_LIMITS
from tests.eligibility.conftest import ANA

LIMITS = {**DEFAULT_LIMITS, "verify_ip": "8 per hour", "verify_voter": "5 per hour", "verify_target": "3 per day"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "PLAZA_LIMITS": LIMITS}


def guess(verify, client_of, day: int, ip: str, on=None):
    fields = {**ANA, "nacimiento": f"1980-01-{day:02d}"}
    browser = on or client_of(None)
    browser.environ_base["REMOTE_ADDR"] = ip
    return verify({"method": "roll", "fields": fields}, on=browser).status_code


def test_guesses_at_one_person_are_limited_from_anywhere(centro, verify, client_of):
    tries = [guess(verify, client_of, day, ip=f"203.0.113.{day}") for day in range(1, 5)]
    assert tries == [422, 422, 422, 429]
    other_person = {"documento": "CD654321", "nacimiento": "1975-11-30"}
    assert verify({"method": "roll", "fields": other_person}, on=client_of(None)).status_code == 200


def test_the_owner_is_not_counted_when_they_succeed(centro, verify, client_of):
    assert guess(verify, client_of, 1, ip="198.51.100.1") == 422
    assert verify({"method": "roll", "fields": ANA}, on=client_of(None)).status_code == 200
    assert verify({"method": "roll", "fields": ANA}, on=client_of(None)).status_code == 200  # back again


def test_one_voter_gets_few_tries_at_codes(centro, letter_codes, verify, client_of):
    browser = client_of(None)
    tries = [verify({"method": "code", "code": f"AAAA-AAAA-AAA{n}"}, on=browser).status_code for n in (3, 4, 7, 9, 3, 4)]
    assert tries == [422] * 5 + [429]
    assert verify({"method": "code", "code": letter_codes[0]}, on=client_of(None)).status_code == 200


def test_one_address_gets_few_tries_across_voters(centro, verify, client_of):
    people = [{"documento": f"ZZ{n:06d}", "nacimiento": "2000-01-01"} for n in range(9)]
    tries = []
    for fields in people:
        browser = client_of(None)
        browser.environ_base["REMOTE_ADDR"] = "192.0.2.7"
        tries.append(verify({"method": "roll", "fields": fields}, on=browser).status_code)
    assert tries == [422] * 8 + [429]
