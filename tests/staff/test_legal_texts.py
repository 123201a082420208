"""The terms of use and privacy notice: public pages, staff editing, acceptance at sign-up."""
import pytest
import sqlalchemy as sa

from app.auth import self_service
from app.core.errors import Invalid
from app.extensions import db
from app.legal.texts import MAX_LENGTH, save_text
from app.models import AuditEntry, LegalText, User
from tests.conftest import csrf_token, run_threads

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


def publish(client, kind, language, body, **kwargs):
    return client.post(f"/staff/legal/{kind}/{language}",
                       data={"body": body, "csrf_token": csrf_token(client, "/staff/legal")}, **kwargs)


def test_every_page_links_to_both_texts_and_they_open_with_plazas_default(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/terms"' in home and 'href="/privacy"' in home
    terms = client.get("/terms").get_data(as_text=True)
    assert "<h1>Terms of use</h1>" in terms and "One person, one voice." in terms
    assert "the city has not published its own yet" in terms
    privacy = client.get("/privacy", headers=SPANISH).get_data(as_text=True)
    assert "Aviso de privacidad" in privacy and "the city has not published" not in privacy


def test_staff_publish_a_text_readers_see_and_the_audit_log_keeps(client, staff):
    page = client.get("/staff/legal/terms/es").get_data(as_text=True)
    assert "Una persona, una voz." in page  # the form starts from the default, in its language
    response = publish(client, "terms", "es", "Reglas del Zócalo.\n\nUna cuenta por persona.")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/legal"
    spanish = client.get("/terms", headers=SPANISH).get_data(as_text=True)
    assert "Reglas del Zócalo." in spanish and "Una persona, una voz." not in spanish
    # An English reader gets the city's own words rather than Plaza's default, marked as Spanish.
    english = client.get("/terms").get_data(as_text=True)
    assert '<div class="pre-line" lang="es">Reglas del Zócalo.' in english
    assert publish(client, "terms", "es", "Reglas nuevas.").status_code == 302
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "legal.update")
                                 .order_by(AuditEntry.id)).all()
    assert [(e.before, e.after) for e in entries] == [
        ({"body": None}, {"body": "Reglas del Zócalo.\n\nUna cuenta por persona."}),
        ({"body": "Reglas del Zócalo.\n\nUna cuenta por persona."}, {"body": "Reglas nuevas."})]
    assert all(e.space_id is None and e.actor_id == staff.id for e in entries)
    audit = client.get("/staff/audit").get_data(as_text=True)
    assert "terms of use (es)" in audit


@pytest.mark.parametrize("body, message", [
    ("   \n  ", "This field is required."),
    ("x" * (MAX_LENGTH + 1), f"Keep the text under {MAX_LENGTH} characters."),
])
def test_a_bad_text_is_refused_in_place_and_the_published_one_stays(client, staff, body, message):
    assert publish(client, "privacy", "en", "Our notice.").status_code == 302
    response = publish(client, "privacy", "en", body)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert db.session.scalars(sa.select(LegalText.body)).all() == ["Our notice."]


def test_save_text_refuses_what_the_form_would_not_send(app, make_user):
    staff = make_user(role="staff")
    with pytest.raises(Invalid) as refused:
        save_text("terms", "en", " \r\n ", staff.id)
    assert set(refused.value.fields) == {"body"}
    assert db.session.scalar(sa.select(sa.func.count(LegalText.id))) == 0


@pytest.mark.parametrize("path", ["/staff/legal/cookies/en", "/staff/legal/terms/fr"])
def test_unknown_texts_are_not_found(client, staff, path):
    assert client.get(path).status_code == 404
    assert client.post(path, data={"body": "x", "csrf_token": csrf_token(client)}).status_code == 404


def test_residents_cannot_edit_the_texts(client, resident):
    assert client.get("/staff/legal").status_code == 403
    assert publish(client, "terms", "en", "Mine now.").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(LegalText.id))) == 0


def test_sign_up_needs_acceptance_and_keeps_its_time(app):
    with pytest.raises(Invalid) as refused:
        self_service.sign_up("ana@example.org", "a good long one", "Ana", "es", None, accepted_terms=False)
    assert set(refused.value.fields) == {"accept_terms"}
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    self_service.sign_up("ana@example.org", "a good long one", "Ana", "es", None, accepted_terms=True)
    db.session.commit()
    assert db.session.scalar(User.by_email("ana@example.org")).terms_accepted_at is not None


def test_the_headers_sign_up_link_brings_the_person_back(client, make_space):
    space = make_space(slug="alameda")
    html = client.get(f"/spaces/{space.slug}").get_data(as_text=True)
    assert 'href="/auth/register?next=/spaces/alameda"' in html
    assert 'href="/auth/login?next=/spaces/alameda"' in html


def test_two_staff_publishing_the_first_version_at_once_both_land_in_the_log(app, postgresql, make_user):
    authors = [make_user(role="staff").id for _ in range(2)]

    def publish_as(k: int) -> str:
        save_text("privacy", "en", f"Version {k}.", authors[k])
        db.session.commit()
        return "saved"

    assert run_threads(app, publish_as, 2) == ["saved", "saved"]
    [text] = db.session.scalars(sa.select(LegalText)).all()
    first, second = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert first.before["body"] is None
    assert second.before["body"] == first.after["body"] and second.after["body"] == text.body
    assert {first.after["body"], second.after["body"]} == {"Version 0.", "Version 1."}
