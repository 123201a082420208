"""Creating and editing spaces, with every refusal explained in place."""
import json
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEntry, Space

GOOD = {
    "name": "Alameda Central", "slug": "alameda-central", "description": "Historic park.",
    "center_lat": "19.4358", "center_lng": "-99.1445", "zoom": "17",
    "boundary": json.dumps({"type": "Polygon", "coordinates": [[[-99.147, 19.437], [-99.142, 19.437],
                                                                [-99.142, 19.435], [-99.147, 19.435],
                                                                [-99.147, 19.437]]]}),
    "categories": "greenery\nlighting\nother", "phase": "ideas", "moderation": "y",
    "pairwise_rule": "anyone", "qv_rule": "confirmed", "verify_code": "y", "ideas_during_voting": "y", "qv_budget": "100", "show_results": "y",
    "focus_k": "10",
}


def test_create_space(client, post_form, staff):
    response = post_form("/staff/spaces/new", GOOD)
    assert response.status_code == 302
    space = db.session.scalar(Space.by_slug("alameda-central"))
    assert space.categories == ["greenery", "lighting", "other"]
    assert space.boundary["type"] == "Polygon" and space.moderation and not space.qv_negative
    entry = db.session.scalar(sa.select(AuditEntry))
    assert entry.action == "space.create" and entry.after["slug"] == "alameda-central"
    assert client.get("/spaces/alameda-central").status_code == 200


def test_staff_set_who_may_vote(client, post_form, staff):
    fields = {**GOOD, "pairwise_rule": "confirmed", "qv_rule": "verified"}
    del fields["verify_code"]
    fields["verify_roll"] = "y"
    assert post_form("/staff/spaces/new", fields).status_code == 302
    space = db.session.scalar(Space.by_slug("alameda-central"))
    assert (space.pairwise_rule, space.qv_rule, space.verification_methods) == ("confirmed", "verified", ["roll"])
    assert not space.verified_without_account  # an unticked box
    html = client.get("/staff/spaces/alameda-central/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*id="verify_roll"|<input[^>]*id="verify_roll"[^>]*checked', html)
    assert not re.search(r'<input[^>]*checked[^>]*id="verify_code"|<input[^>]*id="verify_code"[^>]*checked', html)
    assert '<option selected value="verified">' in html or 'value="verified" selected' in html


@pytest.mark.parametrize("change, message", [
    ({"qv_rule": "anyone"}, "Not a valid choice"),
    ({"pairwise_rule": "residents"}, "Not a valid choice"),
    ({"slug": "Alameda Central"}, "Use lower-case letters"),
    ({"slug": "zocalo"}, "Another space already uses this address."),
    ({"name": ""}, "This field is required."),
    ({"center_lat": ""}, "Pick the map centre."),
    ({"center_lat": "95"}, "between -90 and 90"),
    ({"zoom": "25"}, "Number must be between 1 and 20."),
    ({"qv_budget": "0"}, "Number must be between 1 and 10000."),
    ({"focus_k": "0"}, "Number must be between 1 and 100."),
    ({"focus_k": "101"}, "Number must be between 1 and 100."),
    ({"focus_k": ""}, "This field is required."),
    ({"boundary": "{not json"}, "The boundary is not valid GeoJSON."),
    ({"boundary": json.dumps({"type": "Point", "coordinates": [0, 0]})}, "must be a GeoJSON Polygon"),
    ({"categories": "  \n "}, "List at least one category."),
    ({"categories": "\n".join(f"c{i}" for i in range(21))}, "at most 20 categories"),
    ({"phase": "archived"}, "Not a valid choice"),
    ({"official_result": "borda"}, "Not a valid choice"),
    ({"sentence_es": "la " + "a" * 118}, "Field cannot be longer than 120 characters."),
])
def test_bad_space_input(post_form, staff, space_with_duplicate, change, message):
    response = post_form("/staff/spaces/new", {**GOOD, **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert 'value="Alameda Central"' in html or change.get("name") == ""
    assert db.session.scalar(sa.select(sa.func.count(Space.id))) == 1


def test_edit_space_changes_phase_and_is_audited(post_form, staff, space_with_duplicate):
    data = {**GOOD, "slug": "zocalo", "name": "Zócalo", "phase": "closed",
            "categories": "\n".join(space_with_duplicate.categories)}
    response = post_form("/staff/spaces/zocalo/edit", data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Space, space_with_duplicate.id).phase == "closed"
    entry = db.session.scalar(sa.select(AuditEntry))
    assert entry.before["phase"] == "voting" and entry.after["phase"] == "closed"


def test_categories_in_use_cannot_be_removed(post_form, staff, space_with_duplicate, ideas):
    data = {**GOOD, "slug": "zocalo", "name": "Zócalo", "phase": "voting", "categories": "lighting"}
    response = post_form("/staff/spaces/zocalo/edit", data)
    assert response.status_code == 422
    assert "Ideas still use these categories: greenery (4 ideas)." in response.get_data(as_text=True)


def test_phase_choices_follow_the_rules(client, staff, space_with_duplicate):
    html = client.get("/staff/spaces/zocalo/edit").get_data(as_text=True)
    assert 'value="ideas"' in html and 'value="closed"' in html


def test_staff_choose_which_ranking_is_the_official_result(post_form, staff, space_with_duplicate):
    assert space_with_duplicate.official_result == "both"  # as every space showed them before
    data = {**GOOD, "slug": "zocalo", "name": "Zócalo", "phase": "voting", "official_result": "quadratic",
            "categories": "\n".join(space_with_duplicate.categories)}
    assert post_form("/staff/spaces/zocalo/edit", data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Space, space_with_duplicate.id).official_result == "quadratic"
    entry = db.session.scalar(sa.select(AuditEntry))
    assert entry.before["official_result"] == "both" and entry.after["official_result"] == "quadratic"


def test_a_new_space_is_moderated_unless_staff_turn_it_off(client, post_form, staff):
    form = client.get("/staff/spaces/new").get_data(as_text=True)
    assert '<input checked id="moderation" name="moderation" type="checkbox"' in form
    post_form("/staff/spaces/new", GOOD)
    unticked = {k: v for k, v in GOOD.items() if k != "moderation"} | {"slug": "alameda-sur"}
    post_form("/staff/spaces/new", unticked)
    assert db.session.scalar(Space.by_slug("alameda-central")).moderation
    assert not db.session.scalar(Space.by_slug("alameda-sur")).moderation


def test_staff_say_how_the_name_reads_in_a_sentence(client, post_form, staff, space_with_duplicate):
    spanish = {"Accept-Language": "es-MX"}
    question = client.get("/spaces/zocalo/vote", headers=spanish).get_data(as_text=True)
    assert "¿Cuál de las dos mejoraría más el espacio «Zócalo»?" in question  # until staff write one
    data = {**GOOD, "slug": "zocalo", "name": "Zócalo", "phase": "voting", "sentence_es": " el Zócalo ",
            "sentence_en": "the Zócalo", "categories": "\n".join(space_with_duplicate.categories)}
    assert post_form("/staff/spaces/zocalo/edit", data).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(Space.by_slug("zocalo")).name_in_sentence == {"es": "el Zócalo", "en": "the Zócalo"}
    assert "¿Cuál de las dos mejoraría más el Zócalo?" in client.get(
        "/spaces/zocalo/vote", headers=spanish).get_data(as_text=True)
    assert "Which would make the Zócalo better?" in client.get("/spaces/zocalo/vote").get_data(as_text=True)
    form = client.get("/staff/spaces/zocalo/edit").get_data(as_text=True)
    assert 'value="el Zócalo"' in form and 'value="the Zócalo"' in form
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.after["name_in_sentence"] == {"es": "el Zócalo", "en": "the Zócalo"}
    assert post_form("/staff/spaces/zocalo/edit", {**data, "sentence_es": "", "sentence_en": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(Space.by_slug("zocalo")).name_in_sentence == {}


def test_staff_list_the_landmarks_in_the_space_settings(client, post_form, staff, space_with_duplicate):
    data = {**GOOD, "slug": "zocalo", "name": "Zócalo",
            "categories": "\n".join(space_with_duplicate.categories),
            "landmarks": "Fuente central, 19.436, -99.1445\nKiosco, 19.4362, -99.146", "ideas_anywhere": "y"}
    assert post_form("/staff/spaces/zocalo/edit", data).status_code == 302
    db.session.expire_all()
    space = db.session.scalar(Space.by_slug("zocalo"))
    assert [m["name"] for m in space.landmarks] == ["Fuente central", "Kiosco"] and space.ideas_anywhere
    form = client.get("/staff/spaces/zocalo/edit").get_data(as_text=True)
    assert "Kiosco, 19.436200, -99.146000" in form
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert [m["name"] for m in entry.after["landmarks"]] == ["Fuente central", "Kiosco"]
    assert entry.before["landmarks"] == []


def test_a_landmark_outside_the_outline_is_refused_in_place_and_the_text_kept(post_form, staff,
                                                                              space_with_duplicate):
    data = {**GOOD, "slug": "zocalo", "name": "Zócalo",
            "categories": "\n".join(space_with_duplicate.categories),
            "landmarks": "Fuente central, 19.436, -99.1445\nCatedral lejana, 19.5, -99.1445"}
    response = post_form("/staff/spaces/zocalo/edit", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 2: the place lies outside the space&#39;s outline." in html
    assert "Catedral lejana, 19.5, -99.1445" in html
    db.session.expire_all()
    assert db.session.scalar(Space.by_slug("zocalo")).landmarks == []
