"""Every staff URL against every role: staff and admins in, others refused."""
from urllib.parse import urlsplit

import pytest

from tests.conftest import csrf_token

GET_URLS = [
    "/staff/", "/staff/spaces/new", "/staff/spaces/zocalo/edit", "/staff/spaces/zocalo/rankings",
    "/staff/spaces/zocalo/ideas/{idea}/decide", "/staff/spaces/zocalo/moderation", "/staff/audit",
    "/staff/spaces/zocalo/export/ideas.csv", "/staff/spaces/zocalo/export/ideas.geojson",
    "/staff/spaces/zocalo/export/pairwise-votes.csv", "/staff/spaces/zocalo/export/qv-ballots.csv",
    "/staff/spaces/zocalo/exports", "/staff/spaces/zocalo/announce", "/staff/spaces/zocalo/deliveries",
    "/staff/accounts", "/staff/spaces/zocalo/ideas/{idea}/merge?q=a",
    "/staff/spaces/zocalo/ideas/{idea}/merge/{other}", "/staff/legal", "/staff/legal/terms/es",
    "/staff/spaces/zocalo/roll", "/staff/spaces/zocalo/roll/{upload}",
]
#: What each staff action answers a form holding only the CSRF token: the form again with its
#: errors, or the view's own redirect. Any other answer (a bounce to the login page is a 302
#: too) means the request never reached the view.
POST_ANSWERS = {
    "/staff/spaces/new": (422, None),
    "/staff/spaces/zocalo/edit": (422, None),
    "/staff/spaces/zocalo/ideas/{idea}/decide": (422, None),
    "/staff/legal/privacy/en": (422, None),
    "/staff/spaces/zocalo/roll": (422, None),
    "/staff/spaces/zocalo/roll/{upload}": (302, "/staff/spaces/zocalo/roll"),
    "/staff/spaces/zocalo/ideas/{idea}/merge/{other}": (302, "/staff/audit"),
    "/spaces/zocalo/ideas/{idea}/moderate/hide": (302, "/spaces/zocalo/ideas/{idea}"),
}


@pytest.mark.parametrize("url", GET_URLS + [f"POST {u}" for u in POST_ANSWERS])
@pytest.mark.parametrize("role, expected", [
    (None, 302), ("resident", 403), ("facilitator", 403), ("staff", 200), ("admin", 200),
])
def test_role_against_url(client, make_user, login, ideas, staff_urls, url, role, expected):
    if role:
        login(make_user(role=role))
    method, _, template = url.rpartition(" ")
    path = staff_urls(template)
    if method == "POST":
        response = client.post(path, data={"csrf_token": csrf_token(client)})
        if expected == 200:  # the view answered, as it answers this form
            status, location = POST_ANSWERS[template]
            assert response.status_code == status, response.get_data(as_text=True)[:500]
            if location:
                assert urlsplit(response.headers["Location"]).path == location.format(idea=ideas[1].id)
            return
    else:
        response = client.get(path)
    assert response.status_code == expected
    if expected == 302:
        assert "/auth/login?next=" in response.headers["Location"]


def test_every_staff_page_is_in_the_matrix(app):
    """A new staff page must join GET_URLS, or nobody checks that residents are kept out."""
    covered = {u.split("?")[0].replace("zocalo", "<slug>").replace("{idea}", "<int:idea_id>")
               .replace("{other}", "<int:kept_id>").replace("{upload}", "<int:upload_id>") for u in GET_URLS}
    pages = {rule.rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("staff.") and "GET" in rule.methods and "<kind>" not in rule.rule}
    assert pages - covered == set()


def test_staff_link_only_for_staff(client, make_user, login, space_with_duplicate):
    assert 'href="/staff/"' not in client.get("/").get_data(as_text=True)
    login(make_user(role="staff"))
    assert 'href="/staff/"' in client.get("/").get_data(as_text=True)
