"""Logging out and changing a password revoke the cookies, even copies taken before."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.auth import login_sessions
from app.auth.accounts import AccountError, change_password
from app.extensions import db
from app.models import LoginSession
from tests.conftest import PASSWORD, csrf_token


def log_in(client, user, remember: bool = False, password: str = PASSWORD):
    data = {"email": user.email, "password": password, "csrf_token": csrf_token(client, "/auth/login")}
    if remember:
        data["remember"] = "y"
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302


def logged_in_as(client, user) -> bool:
    page = client.get("/").get_data(as_text=True)
    return "Logged in as" in page and user.display_name in page


def copy_cookies(app, source, names: tuple[str, ...]):
    thief = app.test_client()
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, name
        thief.set_cookie(name, cookie.value)
    return thief


def log_out(client):
    response = client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302


@pytest.fixture
def ana(make_user):
    return make_user(email="ana@example.org", display_name="Ana Torres")


def test_a_session_cookie_copied_before_logout_is_dead_after_it(app, client, ana):
    log_in(client, ana)
    thief = copy_cookies(app, client, ("session",))
    assert logged_in_as(thief, ana)
    log_out(client)
    assert not logged_in_as(thief, ana)


def test_a_remember_me_cookie_copied_before_logout_is_dead_after_it(app, client, ana):
    log_in(client, ana, remember=True)
    thief = copy_cookies(app, client, ("remember_token",))
    log_out(client)
    assert not logged_in_as(thief, ana)


def test_a_remember_me_cookie_alone_logs_in_until_logout(app, client, ana):
    log_in(client, ana, remember=True)
    assert logged_in_as(copy_cookies(app, client, ("remember_token",)), ana)


def test_logging_out_one_browser_keeps_the_others(app, client, ana):
    phone = app.test_client()
    log_in(client, ana)
    log_in(phone, ana)
    log_out(client)
    assert logged_in_as(phone, ana) and not logged_in_as(client, ana)


def cookie_session_id(client) -> str:
    with client.session_transaction() as session:
        return session["_user_id"]


def test_a_password_change_ends_every_login(app, client, ana):
    other = app.test_client()
    log_in(client, ana)
    log_in(other, ana)
    change_password(ana, "a brand new long one")  # e.g. by a reset link: no login to keep
    db.session.commit()
    assert not logged_in_as(client, ana) and not logged_in_as(other, ana)
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id))) == 0
    log_in(app.test_client(), ana, password="a brand new long one")


def test_a_password_change_keeps_the_login_that_made_it(app, client, ana):
    other = app.test_client()
    log_in(client, ana)
    log_in(other, ana)
    changing = login_sessions.load(cookie_session_id(client))
    change_password(changing, "a brand new long one")
    db.session.commit()
    assert logged_in_as(client, ana) and not logged_in_as(other, ana)


def test_a_guessable_new_password_is_refused_and_nothing_changes(client, ana):
    log_in(client, ana)
    with pytest.raises(AccountError, match="easy to guess"):
        change_password(ana, "password12")
    db.session.rollback()
    assert logged_in_as(client, ana)


@pytest.mark.parametrize("cookie_id", ["", ":", "1", "1:", "x:abc", "99999999999:abc", "1:wrong", "-1:a"])
def test_cookie_ids_that_name_no_session_log_nobody_in(ana, cookie_id):
    assert login_sessions.load(cookie_id) is None


def test_the_old_cookie_format_logs_nobody_in(app, ana):
    """Cookies from before login sessions held only the user id: they are void now."""
    assert login_sessions.load(str(ana.id)) is None
