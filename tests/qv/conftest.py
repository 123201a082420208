"""Fixtures for quadratic voting: a space in its voting phase with ideas, and an API helper."""
import pytest

from tests.conftest import csrf_token


@pytest.fixture
def qv_space(make_space):
    """Alameda Central (/spaces/alameda) in its voting phase with 100 credits per voter, no
    votes against, and no ideas until `ideas` adds them."""
    return make_space(slug="alameda", name="Alameda Central", qv_budget=100)


@pytest.fixture
def ideas(qv_space, make_idea):
    """Three votable ideas of `qv_space`, in the order they were proposed."""
    return [make_idea(qv_space, title=title, category=category) for title, category in (
        ("Shade trees on the west side", "greenery"),
        ("Benches around the fountain", "seating & shade"),
        ("Warm lights on the paths", "lighting"),
    )]


@pytest.fixture
def put_ballot(client):
    """PUT a ballot as the page's script does, CSRF token in the header."""
    def put(slug, payload, **kwargs):
        headers = {"X-CSRFToken": csrf_token(client)}
        return client.put(f"/api/spaces/{slug}/qv-ballot", json=payload, headers=headers, **kwargs)
    return put


@pytest.fixture
def resident(make_user, login):
    user = make_user(email="vota@example.org")
    login(user)
    return user
