"""Voting in Spanish: the pairwise screen, the QV ballot, the results and their refusals.

Each test also asks without Accept-Language, so the English source is proven unchanged.
"""
import json
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote, Voter
from tests.conftest import csrf_token

ES = {"Accept-Language": "es"}
MESSAGES = re.compile(r'<script type="application/json" id="plaza-messages">(.*?)</script>', re.S)


def script_catalog(html: str) -> dict:
    """The messages the page hands its scripts."""
    return json.loads(MESSAGES.search(html).group(1))


@pytest.fixture
def ballot_space(make_space, make_idea):
    """A QV space with a budget large enough to need a thousands separator."""
    space = make_space(slug="alameda", name="Alameda Central", qv_budget=10_000)
    for title in ("Shade trees on the west side", "Benches around the fountain"):
        make_idea(space, title=title)
    return space


def test_pairwise_screen_in_spanish(client, voting_space):
    html = client.get("/spaces/zocalo/vote", headers=ES).get_data(as_text=True)
    assert '<html lang="es"' in html
    assert "¿Cuál de las dos mejoraría más el espacio «Zócalo»?" in html
    assert "Igual de buenas" in html and "No puedo decidir" in html and "No me gusta ninguna" in html
    assert "Which would make" not in html and "I like neither" not in html
    catalog = script_catalog(html)
    assert catalog["%(num)s vote — keep going"] == ["%(num)s voto — ¡sigue así!", "%(num)s votos — ¡sigue así!"]
    assert catalog["%(error)s Your choice was not counted; please choose again."].startswith("%(error)s Tu elección")


def test_pairwise_screen_in_english_without_the_header(client, voting_space):
    html = client.get("/spaces/zocalo/vote").get_data(as_text=True)
    assert '<html lang="en"' in html and "Which would make Zócalo better?" in html
    assert "Equally good" in html and "I like neither" in html and "Igual de buenas" not in html
    assert script_catalog(html) == {}


def test_language_switch_keeps_the_voting_screen_in_spanish(client, voting_space):
    token = csrf_token(client)
    client.post("/language", data={"lang": "es", "next": "/spaces/zocalo/vote", "csrf_token": token})
    assert "Toca la idea que te parezca mejor." in client.get("/spaces/zocalo/vote").get_data(as_text=True)


@pytest.mark.parametrize("headers, message", [
    (ES, "Este identificador de par no es válido."),
    ({}, "This pair id is not valid."),
])
def test_forged_pair_is_refused_in_the_readers_language(client, voting_space, headers, message):
    client.get("/api/spaces/zocalo/pair")  # the voter exists, so the token itself is what fails
    response = client.post("/api/spaces/zocalo/pairwise-votes",
                           json={"pair_id": "forged.token.here", "choice": "left"},
                           headers={"X-CSRFToken": csrf_token(client), **headers})
    assert response.status_code == 400 and response.get_json() == {"error": message}


def test_compared_every_pair_says_thank_you_in_spanish(api, make_space, make_idea):
    small = make_space(slug="dos", name="Dos ideas")
    make_idea(small, title="A")
    make_idea(small, title="B")
    api.vote(slug="dos")
    response = api.get("/api/spaces/dos/pair", headers=ES)
    assert response.status_code == 404
    assert response.get_json()["error"] == "Ya comparaste todos los pares de ideas de este espacio. ¡Gracias!"


def test_qv_ballot_in_spanish_with_spanish_numbers(client, ballot_space, resident):
    html = client.get("/spaces/alameda/qv", headers=ES).get_data(as_text=True)
    assert "<h1>Tu boleta</h1>" in html
    assert "Tienes <strong>10.000 créditos</strong> para repartir entre las ideas sobre el espacio «Alameda Central»." in html
    assert 'Te quedan <strong id="qv-left">10.000</strong> de 10.000 créditos' in html
    assert "Como máximo 100 votos por idea; 0 o más." in html
    assert 'aria-label="Agregar un voto a favor de «Benches around the fountain»"' in html
    assert "Guardar mi boleta" in html and "Save my ballot" not in html
    assert script_catalog(html)["Saved: %(used)s of %(budget)s credits spent, %(left)s left."].startswith("Guardada")


def test_qv_ballot_in_english_with_english_numbers(client, ballot_space, resident):
    html = client.get("/spaces/alameda/qv").get_data(as_text=True)
    assert "You have <strong>10,000 voice credits</strong> for the ideas of Alameda Central." in html
    assert '<strong id="qv-left">10,000</strong> of 10,000 credits left' in html
    assert "Tu boleta" not in html


@pytest.mark.parametrize("headers, message", [
    (ES, "Estos votos cuestan 10100 créditos, pero tu presupuesto es de 10000; "
         "quita votos que valgan 100 créditos."),
    ({}, "These votes cost 10100 credits but your budget is 10000; take back votes worth 100 credits."),
])
def test_over_budget_ballot_is_refused_in_the_readers_language(client, ballot_space, resident,
                                                               headers, message):
    a, b = db.session.scalars(sa.select(Idea.id).where(Idea.space_id == ballot_space.id)).all()
    response = client.put("/api/spaces/alameda/qv-ballot",
                          json={"allocations": {str(a): 100, str(b): 10}},
                          headers={"X-CSRFToken": csrf_token(client), **headers})
    assert response.status_code == 422 and response.get_json() == {"error": message}


def test_ballot_form_error_and_confirmation_in_spanish(client, ballot_space, resident):
    a, _ = db.session.scalars(sa.select(Idea.id).where(Idea.space_id == ballot_space.id)).all()
    token = csrf_token(client)
    refused = client.post("/spaces/alameda/qv", headers=ES,
                          data={f"votes-{a}": "1.5", "csrf_token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Los votos deben ser números enteros, como 3 o 0." in html
    assert "No se cambió nada; abajo están tus votos tal como los escribiste." in html
    saved = client.post("/spaces/alameda/qv", headers=ES, follow_redirects=True,
                        data={f"votes-{a}": "100", "csrf_token": token})
    assert ("Tu boleta está guardada: usaste 10.000 de 10.000 créditos, te quedan 0."
            in saved.get_data(as_text=True))


def add_votes(space, voters: int) -> None:
    """Every voter compares every pair of the space's ideas once; the lower id wins 2 in 3."""
    ids = sorted(db.session.scalars(sa.select(Idea.id).where(Idea.space_id == space.id)))
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    db.session.execute(sa.insert(Voter), [{"anon_key": f"voter-{n}"} for n in range(voters)])
    voter_ids = db.session.scalars(sa.select(Voter.id).where(Voter.anon_key.like("voter-%"))).all()
    db.session.execute(sa.insert(PairwiseVote), [
        {"space_id": space.id, "voter_id": v, "left_idea_id": a, "right_idea_id": b,
         "choice": "right" if (v + a + b) % 3 == 0 else "left", "pair_key": f"{v}-{a}-{b}"}
        for v in voter_ids for a, b in pairs])
    db.session.commit()


def test_results_in_spanish_with_spanish_numbers(client, voting_space):
    add_votes(voting_space, 206)  # 4 ideas: 6 pairs each, 1,236 votes
    html = client.get("/spaces/zocalo/results", headers=ES).get_data(as_text=True)
    assert "Lo que la gente quiere para el espacio «Zócalo»" in html
    assert "Con base en 1.236 comparaciones de 206 personas." in html
    assert "El <strong>puntaje</strong> es la probabilidad estimada, de 0 a 100," in html
    assert "(un intervalo del 95%)" in html and "la barra es un intervalo del 95%" in html
    assert re.search(r'Puntaje <strong class="score">\d+</strong> \(\d+–\d+\)', html)
    assert "Todavía no se ha adoptado ninguna idea." in html and "0 personas repartieron sus créditos" in html
    assert "From 1,236" not in html and "estimated chance" not in html


def test_results_in_english_without_the_header(client, voting_space):
    add_votes(voting_space, 206)
    html = client.get("/spaces/zocalo/results").get_data(as_text=True)
    assert "What people want for Zócalo" in html
    assert "From 1,236 comparisons by 206 people." in html
    assert "The <strong>score</strong> is the estimated chance, out of 100," in html
    assert re.search(r'Score <strong class="score">\d+</strong> \(\d+–\d+\)\s+· won \d+, lost \d+\s+· shown 618×', html)
    assert "0 people spent their credits" in html


def test_private_results_say_so_in_spanish(client, voting_space):
    voting_space.show_results = False
    db.session.commit()
    response = client.get("/spaces/zocalo/results", headers=ES)
    assert response.status_code == 404
    assert "Los resultados de este espacio todavía no son públicos." in response.get_data(as_text=True)
