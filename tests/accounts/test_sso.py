"""Logging in through the city's identity provider (OpenID Connect), against a real provider
run locally (oidc-provider-mock): the account is made on the first login, found again by the
provider's subject later, and counts as a verified resident where the city says so."""
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa
from oidc_provider_mock import run_server_in_thread

from app.extensions import db
from app.models import ExternalIdentity, User

# The provider (a test tool built on Authlib) calls Authlib APIs that Authlib now deprecates;
# Plaza's own client code raises no warning.
pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")


@pytest.fixture(scope="module")
def provider_url() -> Iterator[str]:
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def app_config(app_config, provider_url, request):
    verifies = getattr(request, "param", True)
    return {**app_config, "OIDC_ISSUER": provider_url, "OIDC_CLIENT_ID": "plaza", "OIDC_CLIENT_SECRET": "s3cret",
            "OIDC_VERIFIES": verifies, "OIDC_NAME": "CDMX ID"}


def person(provider_url: str, sub: str, **claims) -> str:
    response = requests.put(f"{provider_url}/users/{sub}", json=claims, timeout=10)
    assert response.status_code == 204, response.text
    return sub


def log_in_at_provider(client, sub: str, next_path: str = "") -> object:
    """Through the provider's own form, then back to Plaza with its code."""
    to_provider = client.get("/auth/sso" + (f"?next={next_path}" if next_path else ""))
    assert to_provider.status_code == 302
    authorized = requests.post(to_provider.headers["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert authorized.status_code == 302, authorized.text
    back = urlsplit(authorized.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_the_first_login_makes_a_verified_account(client, make_space, provider_url):
    make_space(slug="centro", qv_rule="verified", ideas=("A", "B"))
    sub = person(provider_url, "ana-7", email="ana@example.org", email_verified=True, name="Ana Ruiz")
    assert "Log in with CDMX ID" in client.get("/auth/login").get_data(as_text=True)
    response = log_in_at_provider(client, sub, next_path="/spaces/centro/qv")
    assert response.status_code == 302 and response.headers["Location"] == "/spaces/centro/qv"
    you = client.get("/api/spaces/centro/eligibility").get_json()["you"]
    assert you["verified"] and you["may_qv"]
    user = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
    assert user.display_name == "Ana Ruiz" and user.is_confirmed and user.terms_accepted_at is not None
    assert client.get("/spaces/centro/qv").status_code == 200


def test_a_later_login_finds_the_same_account_by_subject(client, provider_url, app):
    sub = person(provider_url, "luis-9", email="luis@example.org", email_verified=True)
    log_in_at_provider(client, sub)
    person(provider_url, sub, email="luis.nuevo@example.org", email_verified=True)
    again = app.test_client()
    assert log_in_at_provider(again, sub).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(ExternalIdentity.id))) == 1


def test_an_unconfirmed_address_cannot_take_over_an_account(client, make_user, provider_url):
    make_user(email="rosa@example.org")
    sub = person(provider_url, "someone", email="rosa@example.org", email_verified=False)
    response = log_in_at_provider(client, sub)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert "Log in with its password" in client.get("/auth/login").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ExternalIdentity.id))) == 0


@pytest.mark.parametrize("app_config", [False], indirect=True)
def test_a_provider_the_city_does_not_mark_verifies_nobody(client, make_space, provider_url):
    make_space(slug="centro", qv_rule="verified", ideas=("A", "B"))
    log_in_at_provider(client, person(provider_url, "eva-1", email="eva@example.org", email_verified=True))
    you = client.get("/api/spaces/centro/eligibility").get_json()["you"]
    assert you["confirmed"] and not you["verified"]


def test_a_refused_login_at_the_provider_says_so(client, provider_url):
    to_provider = client.get("/auth/sso")
    denied = requests.post(to_provider.headers["Location"], data={"action": "deny"}, allow_redirects=False, timeout=10)
    back = urlsplit(denied.headers["Location"])
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert "did not log you in" in client.get("/auth/login").get_data(as_text=True)
