"""The pages residents see first, in Spanish: home, a space, an idea, the forms, accounts,
errors (pages and JSON), the language switch, and the strings the map scripts receive.
Each Spanish check has its English twin, so the source texts are proved unchanged."""
from __future__ import annotations

import io
import json
import re
from datetime import datetime, timezone

import flask_babel
import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.ideas.display import status_label
from app.ideas.transitions import TransitionError, transition
from tests.conftest import csrf_token

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
INSIDE = {"lat": "19.4326", "lng": "-99.1332"}


def page(client, path: str, headers=None) -> str:
    response = client.get(path, headers=headers or {})
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def script_catalog(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="plaza-messages">(.*?)</script>', html, re.S)
    assert match, "no script catalog on the page"
    return json.loads(match.group(1))


def test_home_in_spanish_and_english(client, empty_space, make_idea):
    make_idea(empty_space)
    make_idea(empty_space, title="Bancas con sombra")
    spanish = page(client, "/", SPANISH)
    assert '<html lang="es">' in spanish
    assert "Ideas para los lugares que compartimos" in spanish
    assert "Votación" in spanish and "2 ideas" in spanish
    assert ">Regístrate</a>" in spanish and ">Inicia sesión</a>" in spanish and ">Únete a una sesión</a>" in spanish
    assert "Ideas for the places we share" not in spanish
    english = page(client, "/")
    assert '<html lang="en">' in english
    assert "Ideas for the places we share" in english and "Voting" in english
    assert ">Sign up</a>" in english and "2 ideas" in english


def test_home_counts_one_idea_in_the_singular(client, empty_space, make_idea):
    make_idea(empty_space)
    assert "· 1 idea</p>" in page(client, "/", SPANISH).replace("\n", "")
    assert "· 1 idea</p>" in page(client, "/").replace("\n", "")


def test_space_page_in_spanish(client, empty_space, make_idea):
    make_idea(empty_space, status="under_review")
    make_idea(empty_space, status="adopted")
    make_idea(empty_space)
    spanish = page(client, "/spaces/zocalo", SPANISH)
    assert "Todas las categorías" in spanish and "Todos los estados" in spanish
    assert "en revisión" in spanish and "adoptada" in spanish
    assert "3 visibles" in spanish
    assert "Vota: ¿cuál es mejor?" in spanish and "Propón una idea" in spanish
    assert 'aria-label="Mapa del espacio «Zócalo» con sus ideas' in spanish
    english = page(client, "/spaces/zocalo")
    assert "All categories" in english and "under review" in english and "3 shown" in english
    assert "en revisión" not in english


def test_default_categories_read_in_spanish_and_are_stored_in_english(client, empty_space, make_idea,
                                                                     resident):
    empty_space.categories = ["greenery", "seating & shade", "Murales del barrio"]
    idea = make_idea(empty_space, category="seating & shade")
    make_idea(empty_space, category="Murales del barrio", title="Murales en la calle Moneda")
    listing = page(client, "/spaces/zocalo", SPANISH)
    assert '<option value="seating &amp; shade">bancas y sombra</option>' in listing
    assert '<span class="category">bancas y sombra</span>' in listing
    assert '<span class="category">Murales del barrio</span>' in listing  # staff's own words
    assert '<span class="category">bancas y sombra</span>' in page(
        client, f"/spaces/zocalo/ideas/{idea.id}", SPANISH)
    assert '<option value="greenery">áreas verdes</option>' in page(client, "/spaces/zocalo/ideas/new", SPANISH)
    catalog = script_catalog(listing)  # the map, pair cards and kiosk name them in scripts
    assert catalog["seating & shade"] == "bancas y sombra" and "Murales del barrio" not in catalog
    data = {"title": "Más bancas con sombra", "body": "", "category": "greenery", **INSIDE,
            "csrf_token": csrf_token(client)}
    client.post("/spaces/zocalo/ideas/new", data=data, headers=SPANISH)
    geojson = json.loads(page(client, "/api/spaces/zocalo/ideas.geojson", SPANISH))
    assert sorted(f["properties"]["category"] for f in geojson["features"]) == [
        "Murales del barrio", "greenery", "seating & shade"]
    english = page(client, "/spaces/zocalo")
    assert '<span class="category">seating &amp; shade</span>' in english


def test_every_default_category_has_a_label():
    from app.ideas.display import CATEGORY_LABELS
    from app.models.space import DEFAULT_CATEGORIES

    assert list(CATEGORY_LABELS) == list(DEFAULT_CATEGORIES)


def test_space_map_script_gets_its_spanish_strings(client, empty_space):
    catalog = script_catalog(page(client, "/spaces/zocalo", SPANISH))
    assert catalog["under review"] == "en revisión"
    assert catalog["No ideas match these filters."] == "Ninguna idea coincide con estos filtros."
    assert catalog["%(num)s shown"] == ["%(num)s visible", "%(num)s visibles"]
    assert catalog["Zoom in"] == "Acercar"
    assert script_catalog(page(client, "/spaces/zocalo")) == {}


def test_idea_page_in_spanish_with_a_spanish_date(client, empty_space, make_idea, make_user):
    author = make_user(display_name="Ana García")
    idea = make_idea(empty_space, status="adopted", author_id=author.id, staff_response="Lo haremos.",
                     created_at=datetime(2026, 12, 1, 12, tzinfo=timezone.utc))
    spanish = page(client, f"/spaces/zocalo/ideas/{idea.id}", SPANISH)
    assert "adoptada" in spanish
    assert "propuesta por Ana García el" in spanish
    assert ">1 dic 2026</time>" in spanish
    assert "La respuesta de la ciudad" in spanish
    assert 'aria-label="Mapa que muestra dónde está la idea en el espacio «Zócalo»"' in spanish
    english = page(client, f"/spaces/zocalo/ideas/{idea.id}")
    assert "proposed by Ana García on" in english and ">1 Dec 2026</time>" in english
    assert "The city's answer" in english and ">adopted<" in english


def test_submit_form_errors_in_spanish(client, empty_space, resident):
    token = csrf_token(client)
    data = {"title": "abc", "body": "", "category": "greenery", "lat": "19.50", "lng": "-99.1332",
            "csrf_token": token}
    response = client.post("/spaces/zocalo/ideas/new", data=data, headers=SPANISH)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "El título necesita de 5 a 120 caracteres." in html
    assert "Ese lugar está fuera del espacio «Zócalo»; elige un punto dentro del contorno." in html
    assert "Algunas respuestas necesitan atención" in html
    assert '<label for="title">Título</label>' in html
    english = client.post("/spaces/zocalo/ideas/new", data=data).get_data(as_text=True)
    assert "The title needs 5 to 120 characters." in english
    assert "That place is outside Zócalo; pick a spot inside the outline." in english


def test_submitting_an_idea_thanks_in_spanish(client, empty_space, resident):
    data = {"title": "Bancas con sombra", "body": "", "category": "greenery", **INSIDE,
            "csrf_token": csrf_token(client)}
    response = client.post("/spaces/zocalo/ideas/new", data=data, headers=SPANISH, follow_redirects=True)
    assert "¡Gracias! Tu idea ya está en el mapa." in response.get_data(as_text=True)


def test_login_error_in_spanish(client, make_user):
    user = make_user()
    data = {"email": user.email, "password": "wrong password", "csrf_token": csrf_token(client)}
    spanish = client.post("/auth/login", data=data, headers=SPANISH)
    assert spanish.status_code == 422
    assert "El correo electrónico o la contraseña no son correctos." in spanish.get_data(as_text=True)
    english = client.post("/auth/login", data=data)
    assert "The e-mail or password is not right." in english.get_data(as_text=True)


def test_wtforms_own_messages_in_spanish(client):
    data = {"email": "", "password": "", "csrf_token": csrf_token(client)}
    assert "Este campo es obligatorio." in client.post("/auth/login", data=data, headers=SPANISH).get_data(as_text=True)
    assert "This field is required." in client.post("/auth/login", data=data).get_data(as_text=True)


def test_photo_refusal_in_spanish(client, empty_space, resident):
    values = {"title": "Bancas con sombra", "category": "greenery", **INSIDE, "csrf_token": csrf_token(client),
              "photo": FileStorage(io.BytesIO(b"not a picture"), filename="bancas.jpg")}
    boundary, body = encode_multipart(values)
    response = client.post("/spaces/zocalo/ideas/new", data=body, headers=SPANISH,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 422
    assert ("Este archivo no es una foto JPEG, PNG o WebP. Vuelve a elegir la foto o déjala fuera."
            in response.get_data(as_text=True))


def test_register_errors_in_spanish(client):
    data = {"email": "rosa@example.org", "display_name": "Rosa", "password": "short",
            "confirm": "other", "csrf_token": csrf_token(client)}
    html = client.post("/auth/register", data=data, headers=SPANISH).get_data(as_text=True)
    assert "Usa al menos 10 caracteres." in html and "Las contraseñas no coinciden." in html
    assert "Repite la contraseña" in html


def test_role_badge_in_spanish(client, make_user, login):
    login(make_user(role="staff"))
    assert '<span class="role-badge">equipo de la ciudad</span>' in page(client, "/", SPANISH)
    assert '<span class="role-badge">staff</span>' in page(client, "/")


def test_json_api_refusals_in_spanish(client, empty_space, make_user, login):
    missing = client.get("/api/spaces/nowhere/ideas/1", headers=SPANISH)
    assert missing.status_code == 404
    assert missing.get_json() == {"error": "No hay ningún espacio en esta dirección."}
    assert client.get("/api/spaces/nowhere/ideas/1").get_json() == {"error": "There is no space at this address."}
    login(make_user())
    headers = {"X-CSRFToken": csrf_token(client), **SPANISH}
    refused = client.post("/api/spaces/zocalo/ideas", json={"category": "greenery", **INSIDE}, headers=headers)
    assert refused.status_code == 422
    body = refused.get_json()
    assert body["error"] == "Algunos campos necesitan atención."
    assert body["fields"]["title"] == "Ponle un título a tu idea."
    wrong_type = client.post("/api/spaces/zocalo/ideas", json={"title": "Bancas", "lat": [1]}, headers=headers)
    assert wrong_type.status_code == 422 and wrong_type.get_json()["error"] == "'lat' debe ser un número."


def test_api_404_and_401_in_spanish(client):
    assert client.get("/api/nothing", headers=SPANISH).get_json() == {"error": "No hay nada en esta dirección."}
    response = client.post("/api/spaces/zocalo/ideas", json={}, headers={"X-CSRFToken": csrf_token(client), **SPANISH})
    assert response.status_code == 401 and response.get_json() == {"error": "Primero inicia sesión."}


def test_404_page_in_spanish(client):
    response = client.get("/no/such/page", headers=SPANISH)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "No encontrado" in html and "No hay nada en esta dirección." in html
    assert "Volver a los espacios" in html
    english = client.get("/no/such/page").get_data(as_text=True)
    assert "Not found" in english and "There is nothing at this address." in english


def test_csrf_error_in_spanish(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "x"}, headers=SPANISH)
    assert response.status_code == 400
    assert "Este formulario expiró" in response.get_data(as_text=True)


def test_status_labels_and_transition_errors_follow_the_request(app):
    with app.test_request_context("/", headers=SPANISH):
        flask_babel.refresh()
        assert status_label("under_review") == "en revisión"
        with pytest.raises(TransitionError, match="«pendiente» no puede pasar a «realizada»"):
            transition("pending", "implemented")
    with app.test_request_context("/"):
        flask_babel.refresh()
        assert status_label("under_review") == "under review"
        with pytest.raises(TransitionError, match="An idea that is pending cannot be implemented now."):
            transition("pending", "implemented")


def test_language_switch_sets_spanish_for_later_requests(client, empty_space):
    response = client.post("/language", data={"lang": "es", "next": "/spaces/zocalo", "csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/spaces/zocalo"
    later = page(client, "/spaces/zocalo")
    assert '<html lang="es">' in later and "Vota: ¿cuál es mejor?" in later
    assert client.get("/api/nothing").get_json() == {"error": "No hay nada en esta dirección."}


@pytest.mark.parametrize("lang", ["fr", "", "EN", "es-MX"])
def test_language_switch_refuses_an_unknown_language(client, lang):
    response = client.post("/language", data={"lang": lang, "csrf_token": csrf_token(client)})
    assert response.status_code == 400
    assert '<html lang="en">' in page(client, "/")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "http:/evil.example", " //evil.example"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post("/language", data={"lang": "es", "next": target, "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
