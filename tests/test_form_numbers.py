"""Numbers in forms: a number of any size gets its range message in place, never a 500."""
from __future__ import annotations

import importlib
import pkgutil
from datetime import datetime, timedelta, timezone

import pytest
from flask_wtf import FlaskForm
from wtforms import DecimalField, FloatField, IntegerField

import app as app_package
from app.ideas.forms import CoordinateField
from app.web.validators import NumberRange
from tests.conftest import csrf_token

HUGE = "9" * 400  # past a float's range: int(HUGE) works, float(HUGE) overflows


def form_classes() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def numeric_fields():
    for form in form_classes():
        for name in dir(form):
            unbound = getattr(form, name)
            field_class = getattr(unbound, "field_class", None)
            if isinstance(field_class, type) and issubclass(field_class, (IntegerField, FloatField, DecimalField)):
                yield form, name, unbound


def test_the_forms_have_numeric_fields_to_check():
    assert {name for _, name, _ in numeric_fields()} >= {"zoom", "qv_budget", "idle_seconds", "lat"}


@pytest.mark.parametrize("form, name, unbound", list(numeric_fields()),
                         ids=lambda v: getattr(v, "__name__", v if isinstance(v, str) else ""))
def test_every_number_field_checks_its_range_safely(form, name, unbound):
    """Each number field has Plaza's range check (exact for any integer) or refuses what is
    not a finite number itself, as map coordinates do."""
    if issubclass(unbound.field_class, CoordinateField):
        return
    validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else [])
    assert any(isinstance(v, NumberRange) for v in validators), f"{form.__name__}.{name} has no range"


@pytest.fixture
def staff_space(make_user, make_space, make_idea, login):
    login(make_user(role="staff"))
    space = make_space(slug="zocalo")
    return space, make_idea(space)


def space_fields(**changes) -> dict:
    fields = dict(name="Zócalo", slug="zocalo", description="", center_lat="19.4326",
                  center_lng="-99.1332", zoom="17", phase="voting", qv_budget="100", focus_k="10",
                  categories="greenery\nplay", boundary="")
    return {**fields, **changes}


@pytest.mark.parametrize("field", ["zoom", "qv_budget", "focus_k"])
@pytest.mark.parametrize("number", [HUGE, "-" + HUGE])
def test_huge_space_setting_is_a_form_error(client, staff_space, field, number):
    response = client.post("/staff/spaces/zocalo/edit",
                           data={**space_fields(**{field: number}), "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Number must be between" in html and number in html  # in place, with what was typed


def test_huge_merge_target_is_not_found(client, staff_space):
    """The URL's int converter stops ids past the database's integers (app/requests.py)."""
    _, idea = staff_space
    for target in (HUGE, str(2**63)):
        assert client.get(f"/staff/spaces/zocalo/ideas/{idea.id}/merge/{target}").status_code == 404
        assert client.post(f"/staff/spaces/zocalo/ideas/{idea.id}/merge/{target}",
                           data={"csrf_token": csrf_token(client)}).status_code in (404, 405)


@pytest.mark.parametrize("field, number", [("idle_seconds", HUGE), ("idle_seconds", "-" + HUGE),
                                           ("space", HUGE)])
def test_huge_session_setting_is_a_form_error(client, make_user, make_space, login, field, number):
    space = make_space(slug="alameda")
    login(make_user(role="facilitator"))
    now = datetime.now(timezone.utc)
    data = {"space": str(space.id), "name": "Taller", "place": "", "timezone": "UTC", "mode": "both",
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "idle_seconds": "120", "pin": "4826", "pin_confirm": "4826"}
    data[field] = number
    response = client.post("/sessions/new", data={**data, "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    message = "Between 30 and 900 seconds." if field == "idle_seconds" else "Choose a space from the list."
    assert message in response.get_data(as_text=True)
