"""Sessions in Spanish: the facilitator's pages, the kiosk, the projector, the API's refusals
and the time window, in the language of the browser or of the switch; English unchanged."""
import html
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from app.sessions.offline import precache_urls
from tests.conftest import csrf_token
from tests.sessions.conftest import PIN

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
MESSAGES = re.compile(r'<script type="application/json" id="plaza-messages">(.*?)</script>', re.S)
# Saturday 13 June 2026, 10:00 to 12:00 at the place (UTC-6).
JUNE_13 = dict(starts_at=datetime(2026, 6, 13, 16, 0, tzinfo=timezone.utc),
               ends_at=datetime(2026, 6, 13, 18, 0, tzinfo=timezone.utc))


@pytest.fixture
def as_facilitator(facilitator, login):
    login(facilitator)
    return facilitator


@pytest.fixture
def spanish(client):
    """Choose Spanish with the switch, as a person would: every later request is in Spanish."""
    response = client.post("/language", data={"lang": "es", "csrf_token": csrf_token(client)})
    assert response.status_code == 302


def script_catalog(page: str) -> dict:
    return json.loads(html.unescape(MESSAGES.search(page).group(1)))


def post_json(client, path, payload, headers=None):
    return client.post(path, json=payload, headers={"X-CSRFToken": csrf_token(client), **(headers or {})})


def test_facilitator_pages_in_spanish(client, as_facilitator, make_session):
    session = make_session()
    index = client.get("/sessions/", headers=SPANISH).get_data(as_text=True)
    assert '<html lang="es">' in index and "Sesiones facilitadas" in index
    assert "Facilitated sessions" not in index
    assert "Comparación por pares, luego votación cuadrática" in index and "abierta" in index
    show = client.get(f"/sessions/{session.id}", headers=SPANISH).get_data(as_text=True)
    assert "Únete con tu teléfono" in show and "Terminar la sesión ahora" in show
    assert "Join with your phone" not in show
    report = client.get(f"/sessions/{session.id}/report", headers=SPANISH).get_data(as_text=True)
    assert "Informe: Saturday workshop" in report and "Descargar votos (CSV)" in report
    assert "Nadie ha participado todavía." in report
    form = client.get("/sessions/new", headers=SPANISH).get_data(as_text=True)
    assert "Nombre de la sesión" in form and "Zona horaria del lugar" in form
    assert "Guardar sesión" in form


def test_english_pages_are_unchanged_without_the_header(client, as_facilitator, make_session):
    session = make_session()
    index = client.get("/sessions/").get_data(as_text=True)
    assert '<html lang="en">' in index and "Facilitated sessions" in index
    assert "Pairwise, then quadratic voting" in index and ">open<" in index
    show = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Join with your phone" in show and "Únete" not in show
    kiosk = client.get(f"/sessions/{session.id}/kiosk").get_data(as_text=True)
    assert '<html lang="en"' in kiosk and "Which ideas should Alameda Central try first?" in kiosk
    assert script_catalog(kiosk) == {}  # English scripts use their own source text


def test_a_form_error_in_spanish(client, post_form, as_facilitator, moderated_space, spanish):
    response = post_form("/sessions/new", {"space": str(moderated_space.id), "name": " ", "timezone": "UTC",
                                           "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T12:00",
                                           "mode": "both", "idle_seconds": "5", "pin": "1111",
                                           "pin_confirm": "1111"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ponle un nombre a la sesión" in page
    assert "Entre 30 y 900 segundos." in page
    assert "Elige un PIN que no sea un dígito repetido" in page
    assert "Give the session a name" not in page


def test_a_time_the_clocks_skip_names_the_day_in_spanish(client, post_form, as_facilitator, moderated_space,
                                                         spanish):
    page = post_form("/sessions/new", {"space": str(moderated_space.id), "name": "Taller", "timezone": "Europe/Berlin",
                                       "starts_at": "2099-03-29T02:30", "ends_at": "2099-03-29T04:00",
                                       "mode": "both", "idle_seconds": "120", "pin": "2580",
                                       "pin_confirm": "2580"}).get_data(as_text=True)
    assert "La hora 02:30 no existe el 29 de marzo en Europe/Berlin" in page


def test_the_time_window_is_written_the_spanish_way(client, as_facilitator, make_session):
    session = make_session(**JUNE_13)
    spanish = client.get(f"/sessions/{session.id}", headers=SPANISH).get_data(as_text=True)
    assert "sáb 13 jun 2026, 10:00\u202fa.m. – 12:00\u202fp.m. (America/Mexico_City)" in spanish
    assert "terminada" in spanish
    english = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Sat 13 Jun 2026, 10:00\u202fAM – 12:00\u202fPM (America/Mexico_City)" in english


def test_kiosk_in_spanish_with_its_scripts_strings_and_the_switch(client, post_form, make_session, spanish):
    session = make_session()
    assert post_form("/sessions/kiosk", {"code": session.join_code, "pin": PIN}).status_code == 302
    page = client.get(f"/sessions/{session.id}/kiosk").get_data(as_text=True)
    assert '<html lang="es"' in page
    assert "¿Qué ideas deberían probarse primero en el espacio «Alameda Central»?" in page
    assert "PIN de la persona facilitadora" in page and "Salir del modo quiosco" in page
    assert page.index('id="plaza-messages"') < page.index("js/kiosk-store.js")  # i18n.js comes first
    catalog = script_catalog(page)
    assert catalog["Wrong PIN."] == "PIN incorrecto."
    assert catalog["you compared %(num)s pair"] == ["comparaste %(num)s par", "comparaste %(num)s pares"]
    # The switch on the start screen comes back to this same kiosk page.
    start = page[page.index('id="screen-start"'):page.index('id="screen-pairwise"')]
    assert 'id="k-language"' in start and 'action="/language"' in start
    assert f'name="next" value="/sessions/{session.id}/kiosk"' in start


def test_the_phone_page_has_no_second_switch_on_its_start_screen(client, make_session):
    session = make_session()
    page = client.get(f"/sessions/join/{session.join_code}", headers=SPANISH).get_data(as_text=True)
    assert "Empezar" in page and 'id="k-language"' not in page
    assert page.count('action="/language"') == 1  # the one in the site's header


def test_projector_in_spanish(client, as_facilitator, make_session):
    session = make_session()
    page = client.get(f"/sessions/{session.id}/projector", headers=SPANISH).get_data(as_text=True)
    assert '<html lang="es"' in page
    assert "Ideas favoritas en esta sala" in page and "Ideas favoritas en todo el espacio «Alameda Central»" in page
    assert "Todavía no hay votos" in page and "Se actualiza sola cada pocos segundos." in page
    assert script_catalog(page)["Waiting for the network… the figures shown may be behind."].startswith("Esperando")


def test_a_refused_sync_item_comes_back_in_spanish(client, make_session, spanish):
    session = make_session(collect_ideas=False)
    code = session.join_code
    joined = post_json(client, f"/api/sessions/{code}/participants", {"via": "phone"}).get_json()
    items = [{"key": "idea-0001", "kind": "idea", "participant": joined["participant"], "title": "Bancas",
              "category": "other"},
             {"key": "bad", "kind": "vote"},
             {"key": "dance-0001", "kind": "dance", "participant": joined["participant"]}]
    results = post_json(client, f"/api/sessions/{code}/sync", {"items": items}).get_json()["results"]
    assert [r["status"] for r in results] == ["refused"] * 3
    assert results[0]["error"] == "Esta sesión no recibe ideas."
    assert results[1]["error"].startswith("Cada elemento necesita una clave")
    assert results[2]["error"] == "kind debe ser uno de: start, vote, ballot, idea."
    shape = post_json(client, f"/api/sessions/{code}/sync", {"items": "all"})
    assert shape.status_code == 400 and shape.get_json()["error"].startswith("Envía un objeto JSON")


def test_an_ended_session_refuses_in_spanish(client, make_session):
    session = make_session(**JUNE_13)
    response = post_json(client, f"/api/sessions/{session.join_code}/participants", {}, SPANISH)
    assert response.status_code == 403 and response.get_json()["error"] == "Esta sesión terminó."
    english = post_json(client, f"/api/sessions/{session.join_code}/participants", {})
    assert english.get_json()["error"] == "This session has ended."


@pytest.mark.parametrize("code, message", [
    ("K0P2QX", "Los códigos no tienen 0, 1, I, L, O ni U; revisa los caracteres '0'."),
    ("K7P2Q", "Un código de sesión tiene 6 caracteres, como K7P-2QX."),
    ("ZZZZZZ", "Ninguna sesión tiene este código; confírmalo con la persona facilitadora."),
])
def test_a_bad_join_code_is_explained_in_spanish(client, make_session, code, message):
    make_session()
    response = client.get(f"/api/sessions/{code}/config", headers=SPANISH)
    assert response.status_code == 404 and response.get_json()["error"] == message


def test_wrong_pin_and_unknown_code_in_spanish(client, post_form, make_session, spanish):
    session = make_session()
    wrong = post_form("/sessions/kiosk", {"code": session.join_code, "pin": "9999"})
    assert wrong.status_code == 422 and "Ese no es el PIN de esta sesión." in wrong.get_data(as_text=True)
    unknown = post_form("/sessions/join", {"code": "ZZZ-ZZZ"})
    assert "Ninguna sesión tiene este código" in unknown.get_data(as_text=True)


def test_a_csrf_refusal_is_not_recognised_by_english_words(client, make_session):
    """In Spanish the 400 has no "security token": kiosk-store.js retries on the status alone."""
    session = make_session()
    refused = client.post(f"/api/sessions/{session.join_code}/sync", json={"items": []}, headers=SPANISH)
    assert refused.status_code == 400 and "security token" not in refused.get_json()["error"]
    with open("app/static/js/kiosk-store.js", encoding="utf-8") as fh:
        assert "security token" not in fh.read()


def test_the_service_worker_keeps_the_translation_script(app):
    with app.test_request_context():
        assert "/static/js/i18n.js" in precache_urls()


@pytest.mark.parametrize("headers, hour, shown, sentence", [
    (SPANISH, 13, "1:30\u202fp.m.", "La votación abre a la %(time)s."),  # Mexico reads a 12-hour clock
    (SPANISH, 14, "2:30\u202fp.m.", "La votación abre a las %(time)s."),
    ({"Accept-Language": "es-ES"}, 13, "13:30", "La votación abre a las %(time)s."),
    ({"Accept-Language": "es-ES"}, 1, "1:30", "La votación abre a la %(time)s."),
])
def test_the_kiosk_says_a_la_una_and_a_las_dos(client, post_form, make_session, headers, hour, shown, sentence):
    starts = datetime(2099, 6, 13, hour, 30, tzinfo=timezone.utc) + timedelta(hours=6)  # UTC-6 at the place
    session = make_session(starts_at=starts, ends_at=starts + timedelta(hours=2))
    assert post_form("/sessions/kiosk", {"code": session.join_code, "pin": PIN}).status_code == 302
    page = client.get(f"/sessions/{session.id}/kiosk", headers=headers).get_data(as_text=True)
    settings = json.loads(html.unescape(re.search(r'data-settings="([^"]+)"', page).group(1)))
    assert settings["startsAtText"] == shown
    singular, plural = script_catalog(page)["Voting opens at %(time)s."]
    assert (singular if settings["startsAtHour"] == 1 else plural) == sentence


def test_dates_have_no_leading_zero(client, as_facilitator, make_session):
    session = make_session(starts_at=datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc),
                           ends_at=datetime(2026, 12, 2, 17, 0, tzinfo=timezone.utc))
    spanish = client.get(f"/sessions/{session.id}", headers=SPANISH).get_data(as_text=True)
    assert "mar 1 dic 2026, 9:00\u202fa.m. – 2 dic 2026, 11:00\u202fa.m. (America/Mexico_City)" in spanish
