"""Staff see which accounts have confirmed their address (issue 13: "Staff see confirmed or not")."""
from datetime import datetime, timezone

import pytest

from app.extensions import db


@pytest.fixture
def people(make_user):
    confirmed = make_user(email="ana@example.org", display_name="Ana")
    pending = make_user(email="beto@example.org", display_name="Beto")
    pending.email_confirmed_at = None
    gone = make_user(email="gone@example.org", display_name="Gone")
    gone.deleted_at = datetime.now(timezone.utc)
    db.session.commit()
    return confirmed, pending


def rows(html: str) -> str:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_staff_see_who_confirmed(client, make_user, login, people):
    login(make_user(role="staff", email="jefa@city.gob.mx"))
    html = client.get("/staff/accounts").get_data(as_text=True)
    body = rows(html)
    assert "ana@example.org" in body and "beto@example.org" in body and "gone@example.org" not in body
    beto = body.split("beto@example.org", 1)[1].split("</tr>", 1)[0]
    assert "Not confirmed" in beto
    ana = body.split("ana@example.org", 1)[1].split("</tr>", 1)[0]
    assert "Confirmed" in ana and "Not confirmed" not in ana
    assert "2 of 3 accounts have confirmed" in html


@pytest.mark.parametrize("query, shown, hidden", [
    ("?confirmed=no", ["beto@"], ["ana@", "jefa@"]),
    ("?confirmed=yes", ["ana@", "jefa@"], ["beto@"]),
    ("?q=BETO", ["beto@"], ["ana@"]),
    ("?q=%25", [], ["ana@", "beto@"]),  # a typed % is a character, not a wildcard
    ("?confirmed=maybe", ["ana@", "beto@"], []),  # an unknown filter shows everyone
    ("?page=99", [], ["ana@"]),
])
def test_search_and_filter(client, make_user, login, people, query, shown, hidden):
    login(make_user(role="staff", email="jefa@city.gob.mx"))
    response = client.get("/staff/accounts" + query)
    assert response.status_code == 200
    body = rows(response.get_data(as_text=True))
    assert all(s in body for s in shown) and not any(h in body for h in hidden)
