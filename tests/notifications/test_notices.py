"""Notices: who is told what happened to an idea, once, in their language, when they asked."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import jobs
from app.extensions import db
from app.ideas import commands
from app.ideas.drafts import IdeaDraft
from app.models import AuditEntry, Follow, Notice, NoticeEvent, User, Voter
from app.notifications import delivery, digests
from app.notifications.fanout import fan_out
from tests.conftest import csrf_token, parse_mail


@pytest.fixture
def adopted_story(make_user, make_space, make_idea):
    """An idea by a Spanish-speaking author, followed by two people who want different things."""
    staff = make_user(role="staff", email="jefa@city.gob.mx")
    author = make_user(email="autora@example.org", display_name="Autora", language="es", notify="immediately")
    eager = make_user(email="eager@example.org", display_name="Eager", notify="immediately")
    weekly = make_user(email="weekly@example.org", display_name="Weekly")  # the default: weekly digest
    quiet = make_user(email="quiet@example.org", display_name="Quiet", notify="never")
    space = make_space(slug="zocalo", name="Zócalo")
    idea = commands.submit_idea(space, author.id, IdeaDraft(title="Shade for the market", category="greenery",
                                                            lat=19.4326, lng=-99.1332))
    db.session.commit()
    for user in (eager, weekly, quiet):
        db.session.add(Follow(user_id=user.id, idea_id=idea.id))
    db.session.commit()
    return staff, idea, author, eager, weekly, quiet


def decide(staff, idea, status="adopted", response="We plant 40 trees in March."):
    commands.decide(idea, status, response, staff.id)
    db.session.commit()
    jobs.wait()


def test_an_adopted_idea_tells_its_author_and_followers_once_in_their_language(adopted_story, outbox):
    staff, idea, author, eager, weekly, quiet = adopted_story
    decide(staff, idea)
    mails = {m.to: m for m in outbox()}
    assert set(mails) == {"Autora <autora@example.org>", "Eager <eager@example.org>"}
    assert mails["Autora <autora@example.org>"].subject == "Tu idea «Shade for the market» ahora está adoptada."
    assert mails["Eager <eager@example.org>"].subject == "“Shade for the market”, an idea you follow, is now adopted."
    for mail in mails.values():
        assert "We plant 40 trees in March." in mail.text and "We plant 40 trees in March." in mail.html
        assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail.headers["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/unsubscribe/")
    statuses = dict(db.session.execute(sa.select(Notice.user_id, Notice.status)).all())
    assert statuses == {author.id: "sent", eager.id: "sent", weekly.id: "pending"}  # quiet: no notice at all
    # Running the jobs again (a retried or duplicated message) sends nothing twice.
    event_id = db.session.scalar(sa.select(NoticeEvent.id))
    fan_out(event_id)
    delivery.deliver_notices(list(db.session.scalars(sa.select(Notice.id))))
    assert len(outbox()) == 2


def test_fan_out_counts_the_notices_it_made_once(adopted_story, outbox):
    staff, idea, *_ = adopted_story
    event = NoticeEvent(kind="status_changed", space_id=idea.space_id, idea_id=idea.id, actor_id=staff.id,
                        payload={"status": "adopted", "title": idea.title, "response": "Yes"})
    db.session.add(event)
    db.session.commit()
    assert fan_out(event.id) == 3  # author, eager and weekly; quiet asked for nothing
    assert fan_out(event.id) == 0
    outbox()


def test_the_staff_member_who_decides_is_not_told(adopted_story, outbox):
    staff, idea, *_ = adopted_story
    db.session.add(Follow(user_id=staff.id, idea_id=idea.id))
    db.session.commit()
    decide(staff, idea)
    assert all("jefa" not in m.to for m in outbox())


def test_a_rolled_back_decision_tells_nobody(adopted_story, outbox):
    staff, idea, *_ = adopted_story
    commands.decide(idea, "adopted", "Yes", staff.id)
    db.session.rollback()
    jobs.wait()
    assert outbox() == [] and db.session.scalar(sa.select(sa.func.count(NoticeEvent.id))) == 0


def test_a_merge_tells_the_duplicates_followers_and_they_follow_the_kept_idea(adopted_story, make_idea, outbox):
    staff, idea, author, eager, weekly, quiet = adopted_story
    kept = make_idea(idea.space, title="Trees around the market")
    commands.merge(kept, idea, staff.id)
    db.session.commit()
    [mail] = [m for m in outbox() if "eager" in m.to]
    assert "was merged into “Trees around the market”" in mail.subject
    followers = set(db.session.scalars(sa.select(Follow.user_id).where(Follow.idea_id == kept.id)))
    assert {author.id, eager.id, weekly.id} <= followers


# ---------------------------------------------------------------------------------------
# Digests

MEXICO = "America/Mexico_City"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BABEL_DEFAULT_TIMEZONE": MEXICO, "PLAZA_DIGEST_HOUR": 8, "PLAZA_DIGEST_WEEKDAY": 0}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in Mexico City, December 2026 (UTC-6), as UTC."""
    return datetime(2026, 12, day, hour + 6, minute, tzinfo=timezone.utc)


def test_digest_boundaries_follow_the_local_hour_and_weekday():
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(MEXICO)
    assert digests.last_boundary(at(2, 9), "daily", 8, 0, zone) == at(2, 8)
    assert digests.last_boundary(at(2, 7, 59), "daily", 8, 0, zone) == at(1, 8)
    # 7 December 2026 is a Monday.
    assert digests.last_boundary(at(9, 9), "weekly", 8, 0, zone) == at(7, 8)
    assert digests.last_boundary(at(7, 7), "weekly", 8, 0, zone) == at(7, 8) - timedelta(days=7)


def test_a_digest_holds_exactly_the_events_of_its_period(adopted_story, make_idea, outbox):
    staff, idea, author, eager, weekly, quiet = adopted_story
    weekly.notify = "daily"
    db.session.commit()
    others = [make_idea(idea.space, title=f"Idea {n}") for n in range(3)]
    for other in others:
        db.session.add(Follow(user_id=weekly.id, idea_id=other.id))
    db.session.commit()
    times = [at(1, 9), at(2, 7), at(2, 9)]  # two before the boundary of 2 December 8:00, one after
    for other, moment in zip(others, times):
        decide(staff, other, "under_review", "")
        db.session.execute(sa.update(Notice).where(Notice.user_id == weekly.id, Notice.created_at > moment - timedelta(days=30))
                           .where(Notice.sent_at.is_(None), Notice.id == db.session.scalar(
                               sa.select(sa.func.max(Notice.id)).where(Notice.user_id == weekly.id)))
                           .values(created_at=moment))
        db.session.commit()
    before = len(outbox())
    assert digests.send_due_digests(at(2, 8, 15)) == 1
    [digest] = outbox()[before:]
    assert digest.to == "Weekly <weekly@example.org>" and digest.subject == "What happened to the ideas you follow"
    assert "Idea 0" in digest.text and "Idea 1" in digest.text and "Idea 2" not in digest.text
    assert digests.send_due_digests(at(2, 8, 30)) == 0  # a later run in the same period: nothing
    assert digests.send_due_digests(at(3, 8, 5)) == 1
    assert "Idea 2" in outbox()[-1].text and "Idea 0" not in outbox()[-1].text


def test_a_quiet_period_sends_no_digest(adopted_story, outbox):
    assert digests.send_due_digests(at(2, 9)) == 0
    assert outbox() == []


# ---------------------------------------------------------------------------------------
# Unsubscribing

def test_one_click_unsubscribe_works_without_a_page_or_token(client, adopted_story, outbox):
    staff, idea, author, eager, *_ = adopted_story
    decide(staff, idea)
    mail = next(m for m in outbox() if "eager" in m.to)
    url = mail.headers["List-Unsubscribe"].strip("<>").replace("http://127.0.0.1:5000", "")
    page = client.get(url)
    assert page.status_code == 200 and "Stop these e-mails" in page.get_data(as_text=True)
    assert db.session.get(User, eager.id).notify == "immediately"  # opening the link changes nothing
    response = client.post(url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(User, eager.id).notify == "never"
    assert "Choose which e-mails you get" in mail.text  # the footer's link to the settings


def test_a_forged_unsubscribe_link_is_refused(client):
    assert client.post("/unsubscribe/forged.token").status_code == 404


# ---------------------------------------------------------------------------------------
# SMTP and broker failures

def test_an_smtp_outage_then_recovery_loses_nothing_and_doubles_nothing(app_config, mail_via_smtp, smtp, make_user,
                                                                        make_space, make_idea):
    from app import create_app

    app = create_app(mail_via_smtp)
    with app.app_context():
        db.create_all()
        try:
            staff = make_user_in(app, role="staff", email="jefa@city.gob.mx")
            author = make_user_in(app, email="autora@example.org", notify="immediately")
            from app.models import Space
            space = Space(slug="zocalo", name="Zócalo", center_lat=19.43, center_lng=-99.13, phase="voting",
                          moderation=False)
            db.session.add(space)
            db.session.commit()
            idea = commands.submit_idea(space, author.id, IdeaDraft(title="Shade please", category="greenery",
                                                                    lat=19.43, lng=-99.13))
            db.session.commit()
            smtp.refusing = True
            commands.decide(idea, "adopted", "Yes, in March.", staff.id)
            db.session.commit()
            jobs.wait(app)
            notice = db.session.scalar(sa.select(Notice))
            assert (notice.status, notice.attempts) == ("pending", 1) and "451" in notice.last_error
            assert smtp.messages() == []
            smtp.refusing = False
            later = datetime.now(timezone.utc) + timedelta(minutes=5)
            delivery.sweep(at=later)
            jobs.wait(app)
            delivery.sweep(at=later)  # a second sweep finds nothing left to send
            jobs.wait(app)
            assert [m.to for m in smtp.messages()] == ["Ana García <autora@example.org>"]
            db.session.expire_all()
            assert db.session.get(Notice, notice.id).status == "sent"
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def make_user_in(app, **fields) -> User:
    from tests.conftest import PASSWORD

    fields.setdefault("display_name", "Ana García")
    user = User(role=fields.pop("role", "resident"), email_confirmed_at=datetime.now(timezone.utc), **fields)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def test_a_notice_that_keeps_failing_is_recorded_as_failed_for_staff(app, client, adopted_story, make_user, login):
    staff, idea, author, eager, *_ = adopted_story
    decide(staff, idea)
    db.session.execute(sa.update(Notice).values(status="failed", attempts=delivery.MAX_ATTEMPTS,
                                                last_error="SMTPRecipientsRefused: 550"))
    db.session.commit()
    login(staff)
    page = client.get("/staff/spaces/zocalo/deliveries").get_data(as_text=True)
    assert "SMTPRecipientsRefused: 550" in page and "eager@example.org" in page
    client.post("/staff/spaces/zocalo/deliveries", data={"csrf_token": csrf_token(client, "/staff/spaces/zocalo/deliveries")})
    assert set(db.session.scalars(sa.select(Notice.status))) == {"pending"}


def test_a_broker_down_at_enqueue_loses_nothing(app, client, adopted_story, login, outbox):
    staff, idea, *_ = adopted_story
    app.config["CELERY_BROKER_URL"] = "redis://127.0.0.1:1/0"  # nobody listens there
    login(staff)
    started = datetime.now(timezone.utc)
    response = client.post(f"/staff/spaces/zocalo/ideas/{idea.id}/decide", data={
        "status": "adopted", "response": "Yes.", "csrf_token": csrf_token(client, f"/staff/spaces/zocalo/ideas/{idea.id}/decide")})
    assert response.status_code == 302  # the decision stands
    assert datetime.now(timezone.utc) - started < timedelta(seconds=10)
    assert db.session.scalar(sa.select(NoticeEvent.fanned_out_at)) is None and outbox() == []
    app.config["CELERY_BROKER_URL"] = None  # the broker is back (here: jobs run in the process)
    later = datetime.now(timezone.utc) + timedelta(minutes=2)
    delivery.sweep(at=later)
    jobs.wait()
    delivery.sweep(at=later)
    assert len(outbox()) == 2


# ---------------------------------------------------------------------------------------
# Announcements

def test_staff_announce_an_outcome_with_a_preview_and_a_count(client, adopted_story, login, outbox):
    staff, idea, author, eager, weekly, quiet = adopted_story
    voter = Voter(user_id=eager.id)
    db.session.add(voter)
    db.session.commit()
    login(staff)
    url = "/staff/spaces/zocalo/announce"
    preview = client.post(url, data={"subject": "The city's decision", "body": "We build the top three.",
                                     "csrf_token": csrf_token(client, url)})
    html = preview.get_data(as_text=True)
    assert "Preview" in html and "Send to 1 person" in html  # the author, who proposed here
    assert db.session.scalar(sa.select(sa.func.count(NoticeEvent.id))) == 0
    sent = client.post(url, data={"subject": "The city's decision", "body": "We build the top three.",
                                  "confirmed": "yes", "csrf_token": csrf_token(client, url)})
    assert sent.status_code == 302
    [mail] = [m for m in outbox() if m.subject == "The city's decision"]
    assert mail.to == "Autora <autora@example.org>" and "We build the top three." in mail.text
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "space.announce"))
    assert entry.after == {"subject": "The city's decision", "recipients": 1}


def test_the_digest_command_sends_what_is_due(runner, adopted_story, outbox, monkeypatch):
    staff, idea, author, eager, weekly, quiet = adopted_story
    decide(staff, idea)
    monkeypatch.setattr(digests, "datetime", type("Later", (datetime,), {
        "now": classmethod(lambda cls, tz=None: datetime.now(tz) + timedelta(days=8))}))
    result = runner.invoke(args=["notices", "digests"])
    assert result.exit_code == 0 and "Sent 1 digest(s)." in result.output
    assert any(m.to == "Weekly <weekly@example.org>" for m in outbox())


def test_each_recipient_reads_the_answer_in_their_language(adopted_story, outbox):
    staff, idea, *_ = adopted_story
    commands.decide(idea, "adopted", "We plant 40 trees in March.", staff.id, language="en",
                    translation="Plantamos 40 árboles en marzo.")
    db.session.commit()
    jobs.wait()
    mails = {m.to: m for m in outbox()}
    assert "Plantamos 40 árboles en marzo." in mails["Autora <autora@example.org>"].text  # she reads Spanish
    assert "We plant 40 trees in March." not in mails["Autora <autora@example.org>"].text
    assert "We plant 40 trees in March." in mails["Eager <eager@example.org>"].text


def test_the_outbox_never_shows_a_half_written_message(app, adopted_story, outbox, monkeypatch):
    """A worker in another process writes while the folder is read: a message appears whole or not at all."""
    from flask_mail import Message

    folder = Path(app.config["PLAZA_OUTBOX"])
    seen_while_writing = []
    as_bytes = Message.as_bytes

    def watched(message):
        seen_while_writing.extend(parse_mail(p.read_bytes()).to for p in folder.glob("*.eml"))
        return as_bytes(message)

    monkeypatch.setattr(Message, "as_bytes", watched)
    staff, idea, *_ = adopted_story
    decide(staff, idea)
    assert len(outbox()) == 2, "the author's and Eager's messages"
    assert "None" not in seen_while_writing
