"""A space whose quadratic ballot is for verified residents, with a roll and letter codes."""
from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from app.eligibility import hasher
from app.eligibility.letters import new_batch
from app.eligibility.roll import import_roll, read_roll
from app.extensions import db
from app.models import Space
from tests.conftest import PASSWORD, csrf_token

ROLL_CSV = """documento,nacimiento,colonia
AB123456,1980-05-02,Centro
CD654321,1975-11-30,Centro
EF111222,1990-01-15,Guerrero
GH333444,2001-07-04,
"""
ID_COLUMNS = ["documento", "nacimiento"]
ANA = {"documento": "AB123456", "nacimiento": "1980-05-02"}
LUIS = {"documento": "EF111222", "nacimiento": "1990-01-15"}


def roll_people(text: str = ROLL_CSV):
    return read_roll(io.StringIO(text), ID_COLUMNS, "colonia")


@pytest.fixture
def centro(make_space) -> Space:
    """Centro Histórico (/spaces/centro) in its voting phase: anyone may compare ideas, only
    verified residents may spend credits; the roll above is imported."""
    space = make_space(slug="centro", name="Centro Histórico", qv_rule="verified",
                       ideas=("Shade trees", "Benches", "Water fountains"))
    import_roll(hasher(), space, ID_COLUMNS, roll_people())
    db.session.commit()
    return space


@pytest.fixture
def letter_codes(centro) -> list[str]:
    """Three printed codes of Centro."""
    _batch, letters = new_batch(hasher(), centro, 3, "http://plaza.test/spaces/centro/verify")
    db.session.commit()
    return [letter.code for letter in letters]


@pytest.fixture
def send(client) -> Callable:
    """A JSON request as the pages' scripts send it, CSRF token in the header."""
    def request(method: str, path: str, body: object = None, on=None):
        on = on or client
        return on.open(path, method=method, json=body, headers={"X-CSRFToken": csrf_token(on)})
    return request


@pytest.fixture
def verify(send) -> Callable:
    def post(body: object, slug: str = "centro", on=None):
        return send("POST", f"/api/spaces/{slug}/verification", body, on=on)
    return post


@pytest.fixture
def ballot_of(centro) -> Callable[[], dict]:
    """{"<idea id>": votes} for the first two ideas of Centro."""
    from app.models import Idea
    import sqlalchemy as sa

    def make(first: int, second: int) -> dict:
        ids = db.session.scalars(sa.select(Idea.id).where(Idea.space_id == centro.id).order_by(Idea.id)).all()
        return {"allocations": {str(ids[0]): first, str(ids[1]): second}}
    return make


@pytest.fixture
def client_of(app) -> Callable:
    """A browser of its own, logged in as `user` (or anonymous with None)."""
    def make(user=None):
        browser = app.test_client()
        if user is not None:
            response = browser.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                                         "csrf_token": csrf_token(browser, "/auth/login")})
            assert response.status_code == 302
        return browser
    return make
