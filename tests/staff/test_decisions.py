"""Staff decisions: allowed transitions, refusals, public answers, audit entries."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.ideas.transitions import TRANSITIONS, TransitionError, decision_targets, transition
from app.models import AuditEntry, Idea
from app.models.idea import IDEA_STATUSES
from app.models.audit import AuditLogIsAppendOnly


def test_every_status_has_its_transitions_listed():
    assert set(TRANSITIONS) == set(IDEA_STATUSES)
    assert all(targets <= set(IDEA_STATUSES) for targets in TRANSITIONS.values())


@pytest.mark.parametrize("source, target", [
    ("published", "adopted"), ("published", "under_review"), ("under_review", "declined"),
    ("adopted", "implemented"), ("declined", "under_review"), ("implemented", "adopted"),
])
def test_allowed(source, target):
    assert transition(source, target) == target


@pytest.mark.parametrize("source, target", [
    ("pending", "adopted"), ("hidden", "adopted"), ("published", "implemented"),
    ("implemented", "declined"), ("published", "pending"), ("published", "archived"),
])
def test_refused(source, target):
    with pytest.raises(TransitionError):
        transition(source, target)


def test_decision_targets_follow_the_order():
    assert decision_targets("published") == ["under_review", "adopted", "declined"]
    assert decision_targets("pending") == []


def test_adopt_with_public_answer(client, post_form, staff, ideas):
    idea = ideas[0]
    response = post_form(f"/staff/spaces/zocalo/ideas/{idea.id}/decide",
                         {"status": "adopted", "response": "We will plant 40 ash trees in March."})
    assert response.status_code == 302
    db.session.expire_all()
    idea = db.session.get(Idea, idea.id)
    assert idea.status == "adopted" and idea.staff_response == "We will plant 40 ash trees in March."
    entry = db.session.scalar(sa.select(AuditEntry))
    assert (entry.action, entry.actor_email, entry.target_id) == ("idea.decide", "jefa@city.gob.mx", idea.id)
    assert entry.before == {"status": "published", "staff_response": None, "staff_response_language": None}
    assert entry.after == {"status": "adopted", "staff_response": "We will plant 40 ash trees in March.",
                           "staff_response_language": "en"}
    page = client.get(f"/spaces/zocalo/ideas/{idea.id}").get_data(as_text=True)
    assert "The city's answer" in page and "40 ash trees" in page


@pytest.mark.parametrize("data, message", [
    ({"status": "adopted", "response": ""}, "Explain publicly why the idea is adopted."),
    ({"status": "implemented", "response": "Done"}, "Not a valid choice"),
    ({"status": "pending", "response": "x"}, "Not a valid choice"),
])
def test_refused_decisions_change_nothing(post_form, staff, ideas, data, message):
    idea = ideas[0]
    response = post_form(f"/staff/spaces/zocalo/ideas/{idea.id}/decide", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == "published"
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_decision_on_idea_of_other_space_is_404(client, post_form, staff, make_space, make_idea,
                                                space_with_duplicate):
    other = make_idea(make_space(slug="other"))
    path = f"/staff/spaces/zocalo/ideas/{other.id}/decide"
    assert client.get(path).status_code == 404
    response = post_form(path, {"status": "adopted", "response": "Through the wrong space."})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Idea, other.id).status == "published"
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_moderation_actions_are_audited(post_form, staff, ideas):
    post_form(f"/spaces/zocalo/ideas/{ideas[1].id}/moderate/hide", {})
    post_form(f"/spaces/zocalo/ideas/{ideas[1].id}/moderate/publish", {})
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["idea.hide", "idea.publish"]


def test_audit_entries_cannot_be_changed(post_form, staff, ideas):
    post_form(f"/spaces/zocalo/ideas/{ideas[1].id}/moderate/hide", {})
    entry = db.session.scalar(sa.select(AuditEntry))
    entry.action = "idea.nothing"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.delete(db.session.scalar(sa.select(AuditEntry)))
        db.session.flush()
    db.session.rollback()


def test_audit_page_filters(client, post_form, staff, ideas, make_space, make_idea):
    other = make_space(slug="alameda", name="Alameda")
    other_idea = make_idea(other, title="Alameda idea")
    post_form(f"/spaces/zocalo/ideas/{ideas[1].id}/moderate/hide", {})
    post_form(f"/spaces/alameda/ideas/{other_idea.id}/moderate/hide", {})
    all_rows = client.get("/staff/audit").get_data(as_text=True)
    assert all_rows.count("idea.hide</td>") == 2
    filtered = client.get("/staff/audit?space=alameda").get_data(as_text=True)
    assert filtered.count("idea.hide</td>") == 1 and f"idea #{other_idea.id}" in filtered
    assert client.get("/staff/audit?actor=nobody").get_data(as_text=True).count("idea.hide</td>") == 0


def test_the_answer_in_the_readers_language(client, post_form, staff, ideas):
    idea = ideas[0]
    post_form(f"/staff/spaces/zocalo/ideas/{idea.id}/decide",
              {"status": "adopted", "response": "We will plant 40 ash trees in March.",
               "translation": "Plantaremos 40 fresnos en marzo."})
    english = client.get(f"/spaces/zocalo/ideas/{idea.id}").get_data(as_text=True)
    spanish = client.get(f"/spaces/zocalo/ideas/{idea.id}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "40 ash trees" in english and "fresnos" not in english
    assert "Plantaremos 40 fresnos en marzo." in spanish and "ash trees" not in spanish
    results = client.get("/spaces/zocalo/results", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Plantaremos 40 fresnos" in results


def test_without_a_translation_everyone_reads_the_original(client, post_form, staff, ideas):
    post_form(f"/staff/spaces/zocalo/ideas/{ideas[0].id}/decide",
              {"status": "adopted", "response": "We will plant 40 ash trees in March."})
    spanish = client.get(f"/spaces/zocalo/ideas/{ideas[0].id}", headers={"Accept-Language": "es"})
    assert "40 ash trees" in spanish.get_data(as_text=True)
