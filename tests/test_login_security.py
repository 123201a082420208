"""Logins that tell nothing, lock-outs strangers cannot cause, and passwords nobody guesses."""
from __future__ import annotations

import re
import time

import pytest
import werkzeug.security

from app.auth import accounts
from app.auth.passwords import FEEDBACK, WeakPassword, check_password_strength
from app.config import DEFAULT_LIMITS
from tests.conftest import PASSWORD, csrf_token

# ---------------------------------------------------------------------------------------
# Account enumeration by timing


@pytest.fixture
def hash_checks(monkeypatch) -> list[str]:
    """The password hashes checked during the test, whatever checked them."""
    checked: list[str] = []
    real = werkzeug.security.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        checked.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr("app.auth.accounts.check_password_hash", counting)
    monkeypatch.setattr("app.models.user.check_password_hash", counting)
    return checked


@pytest.mark.parametrize("email", ["ana@example.org", "nobody@example.org"])
def test_a_login_checks_one_password_hash_whether_or_not_the_account_exists(
        post_form, make_user, hash_checks, email):
    make_user(email="ana@example.org")
    response = post_form("/auth/login", {"email": email, "password": "not the password"})
    assert response.status_code == 422
    assert len(hash_checks) == 1


def test_the_dummy_hash_costs_what_a_real_one_does(make_user):
    real = make_user().password_hash
    assert accounts._dummy_hash().split("$")[0] == real.split("$")[0]  # same method and cost


def test_unknown_and_known_addresses_take_about_as_long(post_form, make_user):
    """A coarse check of what the counting test proves exactly: no 13× gap any more."""
    make_user(email="ana@example.org")

    def slowest_of(email: str) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            post_form("/auth/login", {"email": email, "password": "not the password"})
            times.append(time.perf_counter() - start)
        return min(times)

    known, unknown = slowest_of("ana@example.org"), slowest_of("nobody@example.org")
    assert unknown > known / 3


# ---------------------------------------------------------------------------------------
# Lock-outs

LIMITS = {**DEFAULT_LIMITS, "login_ip": "8 per minute", "login_email": "3 per 15 minutes"}


@pytest.fixture
def app_config(app_config, request):
    """Abuse limits on, for the tests parametrized with `limited`."""
    if getattr(request, "param", None) == "limited":
        return {**app_config, "RATELIMIT_ENABLED": True, "PLAZA_LIMITS": LIMITS}
    return app_config


limited = pytest.mark.parametrize("app_config", ["limited"], indirect=True)


def attempt(client, email: str, password: str, ip: str = "198.51.100.1") -> int:
    token = csrf_token(client, "/auth/login")
    return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": ip}).status_code


@limited
def test_successful_logins_never_count_towards_the_limit(app, make_user):
    make_user(email="ana@example.org")
    assert [attempt(app.test_client(), "ana@example.org", PASSWORD) for _ in range(6)] == [302] * 6


@limited
def test_strangers_failures_do_not_lock_the_owner_out(app, make_user):
    make_user(email="ana@example.org")
    stranger = app.test_client()
    tries = [attempt(stranger, "ana@example.org", "wrong guess", ip="203.0.113.9") for _ in range(4)]
    assert tries == [422, 422, 422, 429]
    assert attempt(app.test_client(), "ana@example.org", PASSWORD, ip="198.51.100.20") == 302


@limited
def test_failures_are_limited_per_ip_across_addresses(app, make_user):
    client = app.test_client()
    tries = [attempt(client, f"person{n}@example.org", "wrong guess") for n in range(9)]
    assert tries == [422] * 8 + [429]


@limited
def test_the_lockout_message_gives_the_real_wait(app, make_user):
    make_user(email="ana@example.org")
    client = app.test_client()
    for _ in range(3):
        attempt(client, "ana@example.org", "wrong guess")
    token = csrf_token(client, "/auth/login")
    blocked = client.post("/auth/login", data={"email": "ana@example.org", "password": PASSWORD,
                                               "csrf_token": token},
                          environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert blocked.status_code == 429
    minutes = re.search(r"please wait (\d+) minutes", blocked.get_data(as_text=True))
    assert minutes and 14 <= int(minutes.group(1)) <= 15
    assert 13 * 60 < int(blocked.headers["Retry-After"]) <= 15 * 60


# ---------------------------------------------------------------------------------------
# Password strength

@pytest.mark.parametrize("password, why", [
    ("aaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
    ("1234567890", "This is a top-100 common password."),
    ("password12", "This is a very common password."),
    ("zxcvbnm,./", "Straight rows of keys are easy to guess."),
    ("garcialucia", "Common names and surnames are easy to guess."),
])
def test_guessable_passwords_are_refused_with_the_reason(password, why):
    with pytest.raises(WeakPassword, match=re.escape(why)):
        check_password_strength(password)


def test_a_password_built_on_the_persons_own_address_is_refused():
    check_password_strength("lucia.garcia@example.org")
    with pytest.raises(WeakPassword):
        check_password_strength("lucia.garcia@example.org", known=("Lucia.Garcia@example.org", "Lucía García"))


@pytest.mark.parametrize("password", [PASSWORD, "a good long one", "Zócalo verde 2026"])
def test_strong_passwords_pass(password):
    check_password_strength(password, known=("ana@example.org", "Ana García"))


def test_every_zxcvbn_sentence_can_be_translated():
    import ast
    import zxcvbn.feedback

    with open(zxcvbn.feedback.__file__, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    sentences = {ast.literal_eval(node.args[0]) for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_"}
    assert sentences and sentences <= set(FEEDBACK)


def test_registration_shows_the_reason_under_the_password_in_spanish(client):
    token = csrf_token(client, "/auth/register")
    response = client.post("/auth/register", data={
        "email": "lucia@example.org", "display_name": "Lucía", "password": "password12",
        "confirm": "password12", "csrf_token": token}, headers={"Accept-Language": "es"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Esta contraseña es fácil de adivinar." in html and "lucia@example.org" in html


def test_create_user_refuses_a_guessable_password(runner):
    result = runner.invoke(args=["create-user", "--email", "x@example.org", "--password", "1234567890",
                                 "--role", "staff"])
    assert result.exit_code != 0 and "easy to guess" in result.output
