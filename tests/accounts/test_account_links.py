"""Account e-mails and their links: confirm, reset, change the address, delete the account."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from app.auth import tokens
from app.extensions import db
from app.models import LoginSession, PairwiseVote, User, Voter
from tests.conftest import PASSWORD, csrf_token

NEW_PASSWORD = "a brand new long one"


def log_in(client, email: str, password: str = PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password,
                                            "csrf_token": csrf_token(client, "/auth/login")})


def logged_in(client) -> bool:
    return ">Log out<" in client.get("/").get_data(as_text=True)


@pytest.fixture
def ana(make_user):
    return make_user(email="ana@example.org", display_name="Ana", language="es")


# ---------------------------------------------------------------------------------------
# Confirmation

def test_an_unconfirmed_account_can_compare_but_not_propose_report_or_cast_a_ballot(
        client, make_user, make_space, make_idea, login):
    space = make_space(slug="zocalo")
    idea = make_idea(space)
    make_idea(space, title="Benches by the fountain")
    login(make_user(confirmed=False))
    assert client.get("/api/spaces/zocalo/pair").status_code == 200  # pairwise, where anyone may
    page = client.get("/spaces/zocalo/ideas/new")
    assert page.status_code == 403 and "Confirm your e-mail address first" in page.get_data(as_text=True)
    assert "Send the confirmation link again" in page.get_data(as_text=True)
    headers = {"X-CSRFToken": csrf_token(client)}
    api = client.post("/api/spaces/zocalo/ideas", json={"title": "A bench"}, headers=headers)
    assert api.status_code == 403 and "Confirm your e-mail address first" in api.get_json()["error"]
    flag = client.post(f"/spaces/zocalo/ideas/{idea.id}/flag", data={"reason": "spam", "csrf_token": csrf_token(client)})
    assert flag.status_code == 403
    ballot = client.put("/api/spaces/zocalo/qv-ballot", json={"allocations": {str(idea.id): 1}}, headers=headers)
    assert ballot.status_code == 403 and "error" in ballot.get_json()
    assert client.get("/spaces/zocalo/qv").status_code == 403


def test_a_confirmation_link_asked_again_confirms(client, make_user, login, outbox):
    user = make_user(confirmed=False)
    login(user)
    assert client.post("/auth/confirm/again", data={"csrf_token": csrf_token(client)}).status_code == 302
    [mail] = outbox()
    client.get(mail.link("/auth/confirm/"))
    db.session.expire_all()
    assert db.session.get(User, user.id).is_confirmed


@pytest.mark.parametrize("tamper", ["expired", "forged", "other address"])
def test_bad_confirmation_links_get_a_clear_page_with_a_way_to_a_new_one(client, make_user, monkeypatch, tamper):
    user = make_user(confirmed=False)
    token = tokens.confirmation_token(user.id, user.email)
    if tamper == "expired":
        monkeypatch.setattr(tokens, "CONFIRM_MAX_AGE", -1)
    elif tamper == "forged":
        token = URLSafeTimedSerializer("not the key", salt="plaza-confirm").dumps([user.id, user.email, ""])
    else:
        token = tokens.confirmation_token(user.id, "someone.else@example.org")
    response = client.get(f"/auth/confirm/{token}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This link no longer works" in html and "Send me a link" in html
    assert ("It has expired." in html) is (tamper == "expired")
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_confirmed


# ---------------------------------------------------------------------------------------
# Forgotten password

@pytest.mark.parametrize("email", ["ana@example.org", "nobody@example.org"])
def test_forgot_answers_the_same_whether_or_not_the_address_has_an_account(client, ana, outbox, email):
    response = client.post("/auth/forgot", data={"email": email, "csrf_token": csrf_token(client, "/auth/forgot")},
                           follow_redirects=True)
    assert f"If {email} has a Plaza account, a link to choose a new password is on its way." in \
        response.get_data(as_text=True)
    assert len(outbox()) == (1 if email == "ana@example.org" else 0)


def test_a_reset_link_works_once_in_the_recipients_language_and_ends_every_other_login(app, client, ana, outbox):
    elsewhere = app.test_client()
    assert log_in(elsewhere, ana.email).status_code == 302
    client.post("/auth/forgot", data={"email": ana.email, "csrf_token": csrf_token(client, "/auth/forgot")})
    [mail] = outbox()
    assert mail.subject == "Restablece tu contraseña de Plaza" and mail.headers["Content-Language"] == "es"
    link = mail.link("/auth/reset/")
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                       "csrf_token": csrf_token(client, link)})
    assert response.status_code == 302
    assert logged_in(client) and not logged_in(elsewhere)  # logged in here, and nowhere else
    again = client.get(link)
    assert again.status_code == 400 and "It was used already" in again.get_data(as_text=True)
    assert log_in(app.test_client(), ana.email, NEW_PASSWORD).status_code == 302


def test_a_reset_link_is_void_after_an_hour(client, ana, monkeypatch):
    token = tokens.reset_token(ana.id, ana.password_hash)
    monkeypatch.setattr(tokens, "RESET_MAX_AGE", -1)
    response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 400 and "It has expired." in response.get_data(as_text=True)


def test_a_reset_refuses_a_guessable_password_and_keeps_the_link(client, ana):
    link = f"/auth/reset/{tokens.reset_token(ana.id, ana.password_hash)}"
    response = client.post(link, data={"password": "password12", "confirm": "password12",
                                       "csrf_token": csrf_token(client, link)})
    assert response.status_code == 422 and "easy to guess" in response.get_data(as_text=True)
    assert client.get(link).status_code == 200


# ---------------------------------------------------------------------------------------
# My account

def test_changing_the_address_needs_the_link_sent_to_the_new_one_and_tells_the_old(client, ana, login, outbox):
    login(ana)
    response = client.post("/me/email", data={"email": "Ana.New@example.org", "password": PASSWORD,
                                              "csrf_token": csrf_token(client, "/me/settings")})
    assert response.status_code == 302
    mails = outbox()
    assert sorted(m.to for m in mails) == ["Ana <ana.new@example.org>", "Ana <ana@example.org>"]
    db.session.expire_all()
    assert db.session.get(User, ana.id).email == "ana@example.org"  # nothing changed yet
    link = next(m for m in mails if "ana.new" in m.to).link("/me/email/")
    assert client.get(link).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, ana.id).email == "ana.new@example.org"


def test_changing_the_address_needs_the_current_password(client, ana, login, outbox):
    login(ana)
    response = client.post("/me/email", data={"email": "x@example.org", "password": "not it at all",
                                              "csrf_token": csrf_token(client, "/me/settings")})
    assert response.status_code == 422 and "That is not your current password." in response.get_data(as_text=True)
    assert outbox() == []


def test_changing_the_password_keeps_this_login_and_ends_the_others(app, client, ana, login):
    elsewhere = app.test_client()
    log_in(elsewhere, ana.email)
    login(ana)
    response = client.post("/me/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD, "csrf_token": csrf_token(client, "/me/settings")})
    assert response.status_code == 302
    assert logged_in(client) and not logged_in(elsewhere)


def test_deleting_the_account_keeps_its_votes_anonymous(client, ana, login, make_space, make_idea):
    space = make_space()
    a, b = make_idea(space, author_id=ana.id), make_idea(space, title="Benches")
    voter = Voter(user_id=ana.id)
    db.session.add(voter)
    db.session.flush()
    db.session.add(PairwiseVote(space_id=space.id, voter_id=voter.id, left_idea_id=a.id, right_idea_id=b.id,
                                choice="left", pair_key="k"))
    db.session.commit()
    login(ana)
    page = client.get("/me/delete").get_data(as_text=True)
    assert "Your votes, ballots and ideas stay, without your name" in page
    response = client.post("/me/delete", data={"password": PASSWORD, "csrf_token": csrf_token(client, "/me/delete")})
    assert response.status_code == 302
    db.session.expire_all()
    gone = db.session.get(User, ana.id)
    assert gone.email == f"deleted-{ana.id}@deleted.invalid" and gone.display_name == "Deleted account"
    assert db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))) == 1
    assert a.author_id == ana.id
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id))) == 0
    assert log_in(client, "ana@example.org").status_code == 422


def test_my_plaza_lists_my_ideas_with_the_citys_answer(client, ana, login, make_space, make_idea):
    space = make_space(name="Zócalo")
    make_idea(space, author_id=ana.id, title="Shade for the market", status="adopted",
              staff_response="We plant 40 trees in March.")
    login(ana)
    html = client.get("/me").get_data(as_text=True)
    assert "Shade for the market" in html and "We plant 40 trees in March." in html
