"""Every staff URL against every role: staff and admins in, others refused."""
import pytest

from tests.conftest import csrf_token

GET_URLS = [
    "/staff/", "/staff/spaces/new", "/staff/spaces/zocalo/edit", "/staff/spaces/zocalo/rankings",
    "/staff/spaces/zocalo/ideas/{idea}/decide", "/staff/spaces/zocalo/moderation", "/staff/audit",
    "/staff/spaces/zocalo/export/ideas.csv", "/staff/spaces/zocalo/export/ideas.geojson",
    "/staff/spaces/zocalo/export/pairwise-votes.csv", "/staff/spaces/zocalo/export/qv-ballots.csv",
]
POST_URLS = [
    "/staff/spaces/new", "/staff/spaces/zocalo/edit", "/staff/spaces/zocalo/ideas/{idea}/decide",
    "/staff/spaces/zocalo/ideas/{idea}/merge", "/spaces/zocalo/ideas/{idea}/moderate/hide",
]


@pytest.mark.parametrize("url", GET_URLS + [f"POST {u}" for u in POST_URLS])
@pytest.mark.parametrize("role, expected", [
    (None, 302), ("resident", 403), ("facilitator", 403), ("staff", 200), ("admin", 200),
])
def test_role_against_url(client, make_user, login, ideas, url, role, expected):
    if role:
        login(make_user(role=role))
    method, _, path = url.rpartition(" ")
    path = path.format(idea=ideas[0].id)
    if method == "POST":
        response = client.post(path, data={"csrf_token": csrf_token(client)})
        if expected == 200:
            assert response.status_code in (200, 302, 422), response.status_code  # reached the view
            return
    else:
        response = client.get(path)
    assert response.status_code == expected
    if expected == 302:
        assert "/auth/login?next=" in response.headers["Location"]


def test_staff_link_only_for_staff(client, make_user, login, space):
    assert 'href="/staff/"' not in client.get("/").get_data(as_text=True)
    login(make_user(role="staff"))
    assert 'href="/staff/"' in client.get("/").get_data(as_text=True)
