"""Moderation rules, flags and staff actions."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.ideas.moderation import (
    FLAG_THRESHOLD,
    ModerationError,
    can_view,
    initial_status,
    moderate,
    needs_review,
)
from app.models import Flag, Idea, Space
from tests.conftest import PASSWORD
from tests.conftest import csrf_token as token


def test_initial_status_follows_the_space():
    assert initial_status(True) == "pending"
    assert initial_status(False) == "published"


@pytest.mark.parametrize("flaggers, review", [(0, False), (2, False), (3, True), (5, True)])
def test_three_counted_reports_send_an_idea_to_review(flaggers, review):
    assert FLAG_THRESHOLD == 3
    assert needs_review(flaggers) is review


@pytest.mark.parametrize("status, action, after", [
    ("pending", "publish", "published"), ("hidden", "publish", "published"),
    ("pending", "hide", "hidden"), ("published", "hide", "hidden"),
])
def test_moderation_actions(status, action, after):
    assert moderate(status, action) == after


@pytest.mark.parametrize("status, action", [
    ("published", "publish"), ("adopted", "hide"), ("hidden", "hide"), ("pending", "delete"),
])
def test_moderation_refusals(status, action):
    with pytest.raises(ModerationError):
        moderate(status, action)


@pytest.mark.parametrize("status, author, staff, visible", [
    ("published", False, False, True), ("adopted", False, False, True),
    ("pending", False, False, False), ("pending", True, False, True),
    ("hidden", False, True, True), ("hidden", False, False, False),
])
def test_who_sees_what(status, author, staff, visible):
    assert can_view(status, is_author=author, is_staff=staff) is visible


@pytest.fixture
def idea(make_space, make_idea):
    return make_idea(make_space(slug="zocalo"), title="Bench by the flagpole")


def report(app, user, idea, reason: str) -> None:
    client = app.test_client()
    login_client(client, user)
    response = client.post(f"/spaces/zocalo/ideas/{idea.id}/flag",
                           data={"reason": reason, "csrf_token": token(client)})
    assert response.status_code == 302


def account(make_user, days_old: float):
    user = make_user()
    user.created_at = datetime.now(timezone.utc) - timedelta(days=days_old)
    db.session.commit()
    return user


def moderation_queue(app, make_user) -> str:
    client = app.test_client()
    login_client(client, make_user(role="staff"))
    return client.get("/staff/spaces/zocalo/moderation").get_data(as_text=True)


def test_reports_never_hide_an_idea_by_themselves(app, make_user, idea):
    for n in range(FLAG_THRESHOLD + 2):
        report(app, account(make_user, days_old=30), idea, f"offensive {n}")
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == "published"
    anonymous = app.test_client()
    assert anonymous.get(f"/spaces/zocalo/ideas/{idea.id}").status_code == 200


def test_three_reports_from_established_accounts_put_the_idea_first_for_review(app, make_user, make_idea, idea):
    other = make_idea(idea.space, title="Fountain by the church")
    report(app, account(make_user, days_old=30), other, "spam")
    for n in range(FLAG_THRESHOLD):
        report(app, account(make_user, days_old=2), idea, f"offensive {n}")
    html = moderation_queue(app, make_user)
    flagged = html.split('id="flagged-heading"', 1)[1]
    assert flagged.index("Bench by the flagpole") < flagged.index("Fountain by the church")
    review = flagged.split("Bench by the flagpole", 1)[1].split("</article>", 1)[0]
    assert "Needs review" in review and "3 reports from accounts older than a day" in review


def test_reports_from_throwaway_accounts_do_not_count(app, make_user, idea):
    for n in range(FLAG_THRESHOLD):
        report(app, account(make_user, days_old=0.01), idea, f"offensive {n}")
    html = moderation_queue(app, make_user)
    flagged = html.split('id="flagged-heading"', 1)[1]
    assert "Bench by the flagpole" in flagged and "Needs review" not in flagged
    assert "0 reports from accounts older than a day" in flagged


def test_same_person_flagging_twice_counts_once(client, make_user, idea, login, post_form):
    login(make_user())
    for _ in range(3):
        response = post_form(f"/spaces/zocalo/ideas/{idea.id}/flag", {"reason": "spam"})
    assert "already reported" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Flag.id))) == 1
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == "published"


@pytest.mark.parametrize("reason, message", [
    ("", "Say briefly why staff should look at this idea."),
    ("x" * 501, "Keep it under 500 characters."),
])
def test_flag_needs_a_reason(make_user, idea, login, post_form, reason, message):
    login(make_user())
    response = post_form(f"/spaces/zocalo/ideas/{idea.id}/flag", {"reason": reason})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Flag.id))) == 0


def test_anonymous_cannot_flag(client, idea):
    response = client.post(f"/spaces/zocalo/ideas/{idea.id}/flag",
                           data={"reason": "x", "csrf_token": token(client)})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_staff_publish_and_hide(client, make_user, login, post_form, make_space, make_idea):
    space = make_space(slug="zocalo", moderation=True)
    pending = make_idea(space, title="Waiting idea", status="pending")
    login(make_user(role="staff"))
    listing = client.get("/spaces/zocalo").get_data(as_text=True)
    assert "1 waiting for moderation" in listing
    assert "Waiting idea" in client.get("/spaces/zocalo?status=pending").get_data(as_text=True)
    post_form(f"/spaces/zocalo/ideas/{pending.id}/moderate/publish", {})
    db.session.expire_all()
    assert db.session.get(Idea, pending.id).status == "published"
    response = post_form(f"/spaces/zocalo/ideas/{pending.id}/moderate/publish", {})
    assert "cannot be published now" in client.get(response.headers["Location"]).get_data(as_text=True)
    post_form(f"/spaces/zocalo/ideas/{pending.id}/moderate/hide", {})
    db.session.expire_all()
    assert db.session.get(Idea, pending.id).status == "hidden"


@pytest.mark.parametrize("role", ["resident", "facilitator"])
def test_only_staff_moderate(client, make_user, login, post_form, idea, role):
    login(make_user(role=role))
    response = post_form(f"/spaces/zocalo/ideas/{idea.id}/moderate/hide", {})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == "published"


def test_residents_cannot_list_pending_ideas(app, client, make_user, make_space, make_idea):
    space = make_space(slug="zocalo")
    make_idea(space, title="Secret pending idea", status="pending")
    make_idea(space, title="Public bench idea")
    resident = app.test_client()
    login_client(resident, make_user())
    for viewer in (client, resident):  # anonymous, and logged in as a resident
        response = viewer.get("/spaces/zocalo?status=pending")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "Public bench idea" in html  # the public list instead
        assert "Secret pending idea" not in html
        assert "waiting for moderation" not in html
    staff = app.test_client()
    login_client(staff, make_user(role="staff"))
    html = staff.get("/spaces/zocalo?status=pending").get_data(as_text=True)
    assert "Secret pending idea" in html and "1 waiting for moderation" in html  # what they were spared


def login_client(client, user):
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                                "csrf_token": token(client)})
    assert response.status_code == 302


def flag_by(make_user, idea: Idea, n: int) -> None:
    for k in range(n):
        db.session.add(Flag(idea_id=idea.id, user_id=make_user(email=f"flagger{k}@example.org").id,
                            reason=f"Reason {k}"))
    db.session.commit()


@pytest.mark.parametrize("status", ["hidden", "published"])
def test_staff_keep_a_reported_idea_and_dismiss_its_reports(client, make_user, login, post_form, idea,
                                                              status):
    from app.models.audit import AuditEntry

    flag_by(make_user, idea, 3)
    idea.status = status  # hidden by three reports, or still public with some
    db.session.commit()
    staff = make_user(role="staff", email="staff@example.org")
    login(staff)
    response = post_form(f"/spaces/zocalo/ideas/{idea.id}/dismiss-reports", {})
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/spaces/zocalo/moderation")
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == "published"
    assert db.session.scalar(sa.select(sa.func.count(Flag.id))) == 0
    entry = db.session.scalar(sa.select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.target_id) == ("idea.dismiss_flags", staff.id, idea.id)
    assert entry.before["flags"] == ["Reason 0", "Reason 1", "Reason 2"] and entry.after["flags"] == []
    assert entry.before.get("status", "published") == status
    queue = client.get("/staff/spaces/zocalo/moderation").get_data(as_text=True)
    assert "stays, and its reports are dismissed" in queue and f'data-idea-id="{idea.id}"' not in queue
    log = client.get("/staff/audit").get_data(as_text=True)
    assert "idea.dismiss_flags" in log and "Reason 1" in log


def test_an_idea_without_reports_has_none_to_dismiss(client, make_user, login, post_form, idea):
    from app.models.audit import AuditEntry

    login(make_user(role="staff"))
    response = post_form(f"/spaces/zocalo/ideas/{idea.id}/dismiss-reports", {}, follow_redirects=True)
    assert "has no reports to dismiss" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


@pytest.mark.parametrize("role", ["resident", "facilitator"])
def test_only_staff_dismiss_reports(client, make_user, login, post_form, idea, role):
    flag_by(make_user, idea, 1)
    login(make_user(role=role))
    assert post_form(f"/spaces/zocalo/ideas/{idea.id}/dismiss-reports", {}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Flag.id))) == 1


def test_dismissing_reports_needs_the_csrf_token(client, make_user, login, idea):
    flag_by(make_user, idea, 1)
    login(make_user(role="staff"))
    assert client.post(f"/spaces/zocalo/ideas/{idea.id}/dismiss-reports").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Flag.id))) == 1


def test_a_space_made_without_saying_is_moderated(app):
    space = Space(slug="alameda", name="Alameda", center_lat=19.43, center_lng=-99.14)
    db.session.add(space)
    db.session.flush()
    assert space.moderation is True


def test_a_junk_idea_in_a_new_space_waits_for_staff(client, make_user, login, post_form):
    from tests.staff.test_spaces_admin import GOOD as NEW_SPACE
    login(make_user(role="staff"))
    post_form("/staff/spaces/new", NEW_SPACE | {"phase": "voting"})  # the form's ticked default
    client.post("/auth/logout", data={"csrf_token": token(client)})
    login(make_user())
    junk = {"title": "A" * 120, "body": "lorem ipsum " * 100, "category": "other",
            "lat": "19.436", "lng": "-99.1445"}
    assert post_form("/spaces/alameda-central/ideas/new", junk).status_code == 302
    idea = db.session.scalar(sa.select(Idea))
    assert idea.status == "pending"
    client.post("/auth/logout", data={"csrf_token": token(client)})
    assert "A" * 120 not in client.get("/spaces/alameda-central").get_data(as_text=True)
