"""Register, log in, log out: the happy paths and every refusal."""
import pytest
import sqlalchemy as sa

from app.web.redirects import safe_next
from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD

GOOD = {"email": "lucia@example.org", "display_name": "Lucía", "password": "a good long one",
        "confirm": "a good long one", "accept_terms": "y"}


def test_register_creates_an_unconfirmed_resident_and_mails_the_link(client, post_form, outbox):
    response = post_form("/auth/register", GOOD)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/check-your-inbox"
    assert "We sent a message to lucia@example.org." in client.get("/auth/check-your-inbox").get_data(as_text=True)
    user = db.session.scalar(User.by_email("lucia@example.org"))
    assert user.role == "resident" and user.check_password("a good long one") and not user.is_confirmed
    assert user.terms_accepted_at is not None
    assert "Lucía" not in client.get("/").get_data(as_text=True)  # not logged in yet
    [mail] = outbox()
    assert mail.to == "Lucía <lucia@example.org>" and mail.subject == "Confirm your e-mail address for Plaza"
    confirmed = client.get(mail.link("/auth/confirm/"))
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).is_confirmed
    assert "Lucía" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("change, message", [
    ({"password": "short", "confirm": "short"}, "Use at least 10 characters."),
    ({"confirm": "something else"}, "The passwords differ."),
    ({"email": "not-an-address"}, "Enter an e-mail address like name@example.org."),
    ({"email": ""}, "This field is required."),
    ({"display_name": ""}, "This field is required."),
    ({"accept_terms": ""}, "Accept the terms of use and the privacy notice to create an account."),
])
def test_register_bad_input_is_explained_and_keeps_typed_values(post_form, change, message):
    data = {**GOOD, **change}
    response = post_form("/auth/register", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    if data["email"]:
        assert f'value="{data["email"]}"' in html
    if data["display_name"]:
        assert f'value="{data["display_name"]}"' in html
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_register_with_a_taken_address_answers_the_same_and_tells_the_owner(client, post_form, make_user, outbox):
    """The page must not tell who has an account: the owner hears of the attempt instead."""
    make_user(email="lucia@example.org", display_name="Lucía Owner")
    response = post_form("/auth/register", {**GOOD, "email": "Lucia@Example.org"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/check-your-inbox"
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    [mail] = outbox()
    assert mail.to == "Lucía Owner <lucia@example.org>"
    assert mail.subject == "Someone tried to sign up to Plaza with your address"
    assert "already has one" in mail.text


@pytest.mark.parametrize("path", ["/auth/register", "/auth/login"])
def test_forms_without_csrf_token_are_refused(client, path):
    response = client.post(path, data=GOOD)
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_login_and_logout(client, post_form, make_user):
    user = make_user(display_name="Staff Member", role="staff")
    response = post_form("/auth/login", {"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Staff Member" in client.get("/").get_data(as_text=True)
    response = post_form("/auth/logout", {})
    assert response.status_code == 302
    assert "Staff Member" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("email, password", [
    ("ana@example.org", "wrong password!"),
    ("nobody@example.org", PASSWORD),
])
def test_login_refused_with_one_message_and_email_kept(post_form, make_user, email, password):
    make_user(email="ana@example.org")
    response = post_form("/auth/login", {"email": email, "password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The e-mail or password is not right." in html
    assert f'value="{email}"' in html


def test_logout_needs_post_with_token(client, login, make_user):
    login(make_user(display_name="Still Here"))
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert "Still Here" in client.get("/").get_data(as_text=True)


def test_login_follows_local_next(client, post_form, make_user):
    user = make_user()
    client.get("/auth/login?next=/spaces/zocalo")
    response = post_form("/auth/login", {"email": user.email, "password": PASSWORD,
                                         "next": "/spaces/zocalo"})
    assert response.headers["Location"] == "/spaces/zocalo"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example", "", None, "spaces",
])
def test_next_never_leaves_the_site(client, post_form, make_user, target):
    user = make_user()
    data = {"email": user.email, "password": PASSWORD}
    if target is not None:
        data["next"] = target
    response = post_form("/auth/login", data)
    assert response.headers["Location"] == "/"
    assert safe_next(target) is None


def test_next_with_control_characters_is_refused():
    assert safe_next("/\x00x") is None and safe_next("/\nx") is None


@pytest.mark.parametrize("target", ["/", "/spaces/x?y=1", "/spaces/x#ideas"])
def test_safe_next_keeps_local_paths(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("query, target", [("", "/"), ("?next=/spaces/x", "/spaces/x"),
                                           ("?next=//evil.example/", "/")])
def test_login_page_for_logged_in_user_redirects(client, login, make_user, query, target):
    login(make_user())
    response = client.get(f"/auth/login{query}")
    assert response.status_code == 302 and response.headers["Location"] == target


def test_login_link_carries_the_current_page(client, make_space):
    make_space(slug="plaza-mayor")
    html = client.get("/spaces/plaza-mayor").get_data(as_text=True)
    assert "/auth/login?next=/spaces/plaza-mayor" in html


@pytest.mark.parametrize("page, other", [("/auth/login", "/auth/register"), ("/auth/register", "/auth/login")])
def test_sign_up_and_log_in_links_keep_a_local_next(client, page, other):
    kept = client.get(f"{page}?next=/spaces/zocalo/ideas/new").get_data(as_text=True)
    assert f'href="{other}?next=/spaces/zocalo/ideas/new"' in kept
    dropped = client.get(f"{page}?next=//evil.example/").get_data(as_text=True)
    assert f'href="{other}"' in dropped and "evil.example" not in dropped.split("<form")[0] + dropped.split("</form>")[-1]
