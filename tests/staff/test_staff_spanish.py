"""The staff workspace in Spanish: pages, form errors, flashes, dates and numbers.

English stays the default: the same pages without Accept-Language keep their English text.
"""
import json
import re
from datetime import datetime, timezone

import pytest

from app.extensions import db
from app.models import AuditEntry
from app.staff.charts import interval_chart
from tests.staff.test_spaces_admin import GOOD

ES = {"Accept-Language": "es"}


def page(client, path, **kwargs) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_dashboard_in_spanish_and_english(client, staff, space_with_duplicate):
    html = page(client, "/staff/", headers=ES)
    assert '<html lang="es">' in html
    assert "Área de trabajo del equipo de la ciudad" in html and "Abrir un espacio nuevo" in html
    assert ">Votación</span>" in html and "Bitácora de cambios" in html
    assert "Staff workspace" not in html
    english = page(client, "/staff/")
    assert "Staff workspace" in english and "Open a new space" in english and ">Voting</span>" in english


def test_rankings_without_enough_data_in_spanish(client, staff, ideas):
    html = page(client, "/staff/spaces/zocalo/rankings", headers=ES)
    assert "Clasificaciones del espacio «Zócalo»" in html and "¿Coinciden los dos métodos?" in html
    assert "Aún no hay datos suficientes: 0 ideas tienen" in html
    assert "Puntajes de la comparación por pares con intervalos del 95%" in html  # the SVG's label
    assert "Puntaje (95%)" in html and ">Decidir</a>" in html


@pytest.fixture
def voted(ideas, add_vote, add_ballot):
    """Enough pairwise votes and ballots on the four ideas for both agreement figures."""
    for n in range(4):
        for i, left in enumerate(ideas):
            for right in ideas[i + 1:]:
                add_vote(f"p{n}", left, right, "left" if (n + i) % 3 else "right")
    for n, votes in enumerate(([3, 1, -1, 2], [1, 2, 0, 3], [2, -2, 1, 1])):
        add_ballot(f"q{n}", {idea: v for idea, v in zip(ideas, votes) if v})
    return ideas


def test_rankings_figures_use_the_spanish_decimal_comma(client, staff, voted):
    html = page(client, "/staff/spaces/zocalo/rankings", headers=ES)
    spearman = re.search(r'<strong id="spearman">([^<]+)</strong>', html).group(1)
    kendall = re.search(r'<strong id="kendall">([^<]+)</strong>', html).group(1)
    assert re.fullmatch(r"-?\d,\d\d", spearman) and re.fullmatch(r"-?\d,\d\d", kendall)
    assert "En las 4 ideas con datos suficientes en ambos: Spearman" in html
    assert re.search(r"\(-?\d+,\d a -?\d+,\d\)", html)  # a QV interval: "(0,4 a 2,6)"
    english = page(client, "/staff/spaces/zocalo/rankings")
    assert re.search(r'<strong id="spearman">-?\d\.\d\d</strong>', english)
    assert "Over the 4 ideas with enough data in both" in english
    assert re.search(r"\(-?\d+\.\d to -?\d+\.\d\)", english)


def test_chart_figures_are_written_by_the_given_formatter():
    rows = [{"title": "Bancas", "score": 0.4, "ci_low": 0.1, "ci_high": 0.9}]
    assert '<span class="tick">0.5</span>' in interval_chart(rows, 0, 1, "t")
    chart = interval_chart(rows, 0, 1, "Votos", number=lambda v: f"{v:g}".replace(".", ","))
    assert '<span class="tick">0,5</span>' in chart and 'aria-label="Votos"' in chart
    assert '<span class="interval-value">0,4 (0,1–0,9)</span>' in chart


def test_moderation_in_spanish(client, post_form, staff, space_with_duplicate, ideas, make_idea):
    make_idea(space_with_duplicate, title="Baños públicos", status="pending")
    html = page(client, "/staff/spaces/zocalo/moderation", headers=ES)
    assert "Moderación del espacio «Zócalo»" in html and "Pendientes de publicar (1)" in html
    assert ">Publicar</button>" in html and ">Ocultar</button>" in html
    assert "Duplicado de… (buscar en los títulos)" in html and "No hay reportes." in html
    response = post_form(f"/staff/spaces/zocalo/ideas/{ideas[1].id}/merge/{ideas[1].id}", {}, headers=ES)
    assert "Una idea no se puede fusionar consigo misma." in page(client, response.headers["Location"],
                                                                  headers=ES)
    english = page(client, "/staff/spaces/zocalo/moderation")
    assert "Waiting to be published (1)" in english and ">Publish</button>" in english


def test_audit_log_in_spanish_with_a_spanish_date(client, staff, space_with_duplicate, ideas):
    db.session.add(AuditEntry(
        actor_id=staff.id, actor_email=staff.email, action="idea.hide", target_type="idea",
        target_id=ideas[0].id, space_id=space_with_duplicate.id, before={"status": "published"},
        after={"status": "hidden"}, created_at=datetime(2025, 3, 7, 15, 4, 5, tzinfo=timezone.utc)))
    db.session.commit()
    html = page(client, "/staff/audit", headers=ES)
    assert "7 mar 2025, 15:04:05" in html and "Cuándo (UTC)" in html
    assert "<td>idea ocultada</td>" in html and f"idea #{ideas[0].id}" in html
    assert "<strong>estado</strong>" in html and '<option value="idea.hide">idea ocultada</option>' in html
    english = page(client, "/staff/audit")
    assert "Mar 7, 2025, 3:04:05" in english and "When (UTC)" in english
    assert "idea.hide</td>" in english and "<strong>status</strong>" in english


def test_space_form_errors_in_spanish(post_form, client, staff, space_with_duplicate, ideas):
    response = post_form("/staff/spaces/new", {**GOOD, "slug": "Alameda Central"}, headers=ES)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Usa minúsculas sin acentos, dígitos y guiones sencillos, p. ej. plaza-mayor." in html
    assert "Abrir un espacio nuevo" in html and "Guardar espacio" in html and "Dibujar contorno" in html
    response = post_form("/staff/spaces/zocalo/edit", {**GOOD, "slug": "zocalo", "categories": "lighting"},
                         headers=ES)
    assert "Todavía hay ideas con estas categorías: greenery (4 ideas)." in response.get_data(as_text=True)
    english = post_form("/staff/spaces/new", {**GOOD, "slug": "Alameda Central"}).get_data(as_text=True)
    assert "Use lower-case letters, digits and single hyphens" in english


def scripts_catalog(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="plaza-messages">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_space_editor_script_gets_its_spanish_strings(client, staff):
    catalog = scripts_catalog(page(client, "/staff/spaces/new", headers=ES))
    assert catalog["Tap the corners of the space, then press Finish."] == \
        "Toca las esquinas del espacio y luego presiona Terminar."
    assert catalog["%(num)s corner so far."] == ["%(num)s esquina hasta ahora.", "%(num)s esquinas hasta ahora."]
    assert "Tap the corners of the space, then press Finish." not in scripts_catalog(page(client, "/staff/spaces/new"))


def test_decide_page_in_spanish(client, post_form, staff, ideas):
    path = f"/staff/spaces/zocalo/ideas/{ideas[0].id}/decide"
    html = page(client, path, headers=ES)
    assert "Decidir sobre «Shade trees»" in html and "Respuesta pública" in html
    assert "Guardar decisión" in html and "página pública" in html
    response = post_form(path, {"status": "adopted", "response": ""}, headers=ES)
    assert response.status_code == 422
    assert "Explica públicamente por qué se adoptó la idea." in response.get_data(as_text=True)
    response = post_form(path, {"status": "adopted", "response": "Cuarenta fresnos en marzo."}, headers=ES)
    assert "«Shade trees» ahora está" in page(client, response.headers["Location"], headers=ES)


def test_missing_export_explained_in_spanish(client, staff, space_with_duplicate):
    response = client.get("/staff/spaces/zocalo/export/nothing.csv", headers=ES)
    assert response.status_code == 404 and "No existe esa exportación." in response.get_data(as_text=True)
    english = client.get("/staff/spaces/zocalo/export/nothing.csv").get_data(as_text=True)
    assert "There is no such export." in english

