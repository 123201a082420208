"""Staff import the roll on its page: upload, a preview of the counts, then the import."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.eligibility import hasher
from app.eligibility.roll import roll_summary
from app.eligibility.verification import verify
from app.extensions import db
from app.models import AuditEntry, RollEntry, RollUpload
from app.voters import voter_id_for_user
from tests.eligibility.conftest import ANA, ID_COLUMNS

NEW_ROLL = ("documento,nacimiento,colonia\n"
            "CD654321,1975-11-30,Centro\n"   # listed already
            "ZZ000111,2002-02-02,Morelos\n"  # new
            "ZZ000111,2002-02-02,Morelos\n"  # the same person again
            "YY222333,1999-09-09,Morelos\n")  # new
PREVIEW = re.compile(r"/staff/spaces/centro/roll/(\d+)$")


@pytest.fixture
def upload(post_form):
    """POST the roll form as a browser sends it: the file, and the columns typed."""
    def send(text: str | bytes = NEW_ROLL, columns: str = "documento, nacimiento", district: str = "colonia",
             filename: str = "roll.csv"):
        data = text.encode() if isinstance(text, str) else text
        form = {"id_columns": columns, "district_column": district}
        if filename:
            form["roll"] = (io.BytesIO(data), filename)
        return post_form("/staff/spaces/centro/roll", form)
    return send


def entries() -> list[tuple]:
    return db.session.execute(sa.select(RollEntry.key_hash, RollEntry.district, RollEntry.listed)
                              .order_by(RollEntry.id)).all()


def test_the_preview_counts_what_the_import_will_change_and_changes_nothing(centro, staff, upload, client):
    voter = voter_id_for_user(staff.id)
    verify(hasher(), centro, voter, "roll", {"fields": ANA})
    db.session.commit()
    before = entries()
    response = upload()
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "3 people listed, from 4 rows." in html
    assert "1 row repeats someone listed above and counts once." in html
    assert "2 are new to the roll." in html and "1 was listed already and keeps their entry." in html
    assert "3 people listed now are not in this file: they can no longer verify." in html
    assert "1 of them has verified already and stays verified." in html  # Ana
    assert "<td>Morelos</td><td>2</td>" in html
    for value in ("CD654321", "ZZ000111", "1975", "2002"):
        assert value not in html
    db.session.expire_all()
    assert entries() == before


def test_importing_the_preview_updates_the_roll_keeps_claims_and_is_audited(centro, staff, upload, post_form):
    voter = voter_id_for_user(staff.id)
    verify(hasher(), centro, voter, "roll", {"fields": ANA})
    db.session.commit()
    path = upload().headers["Location"]
    response = post_form(path, {})
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/spaces/centro/roll")
    db.session.expire_all()
    summary = roll_summary(centro.id)
    assert (summary.listed, summary.claimed, summary.districts) == (3, 0, {"Centro": 1, "Morelos": 2})
    assert db.session.scalar(sa.select(sa.func.count(RollEntry.id))) == 6  # Ana's entry stays, unlisted
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "space.roll_import")).one()
    assert entry.actor_id == staff.id and entry.space_id == centro.id
    assert entry.after == {"roll_listed": 3, "roll_added": 2, "roll_unlisted": 3}  # same columns as before
    assert db.session.scalar(sa.select(sa.func.count(RollUpload.id))) == 0
    assert post_form(path, {}).status_code == 404  # imported once, never twice


def test_the_page_stores_what_the_command_line_stores(centro, staff, upload, post_form):
    post_form(upload().headers["Location"], {})
    db.session.expire_all()
    by_page = entries()
    from app.eligibility.roll import import_roll, read_roll
    import_roll(hasher(), centro, ID_COLUMNS, read_roll(io.StringIO(NEW_ROLL), ID_COLUMNS, "colonia"))
    db.session.commit()
    assert entries() == by_page


def test_new_identifying_columns_become_what_residents_type(centro, staff, upload, post_form, client):
    text = "dni,colonia\nAB123456,Centro\n"
    post_form(upload(text, columns="dni").headers["Location"], {})
    db.session.expire_all()
    assert db.session.get(type(centro), centro.id).roll_fields == ["dni"]
    assert "Residents verify by typing: dni." in client.get("/staff/spaces/centro/roll").get_data(as_text=True)


@pytest.mark.parametrize("kwargs, message", [
    ({"filename": ""}, "Choose the roll's CSV file."),
    ({"text": "dni,fecha\nAB1,1980\n", "district": ""}, "The file has no column documento, nacimiento; its columns are: dni, fecha."),
    ({"district": "barrio"}, "The file has no column barrio"),
    ({"text": "documento,nacimiento\nAB1,\n", "district": ""}, "Line 2 has an empty identifying value."),
    ({"text": "documento,nacimiento\n", "district": ""}, "The file lists nobody."),
    ({"text": "documento,nacimiento\nÑ,1980\n".encode("latin-1"), "district": ""}, "The file is not UTF-8 text."),
    ({"columns": ","}, "Name between 1 and 4 identifying columns, separated by commas."),
    ({"columns": "a, b, c, d, e"}, "Name between 1 and 4 identifying columns, separated by commas."),
])
def test_a_file_that_cannot_be_imported_is_refused_in_place(centro, staff, upload, kwargs, message):
    before = entries()
    response = upload(**kwargs)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert f'value="{kwargs.get("columns", "documento, nacimiento")}"' in html  # what was typed stays
    db.session.expire_all()
    assert entries() == before
    assert db.session.scalar(sa.select(sa.func.count(RollUpload.id))) == 0


def test_a_spreadsheet_saved_with_semicolons_reads_the_same(centro, staff, upload, post_form):
    post_form(upload(NEW_ROLL.replace(",", ";")).headers["Location"], {})
    db.session.expire_all()
    assert roll_summary(centro.id).districts == {"Centro": 1, "Morelos": 2}


def test_an_upload_expires_after_an_hour_and_goes_with_the_next_one(centro, staff, upload, client, post_form):
    path = upload().headers["Location"]
    stale = db.session.get(RollUpload, int(PREVIEW.search(path).group(1)))
    stale.created_at -= timedelta(hours=1, minutes=1)
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 404
    assert "This upload has expired or was imported already: upload the file again." in response.get_data(as_text=True)
    assert post_form(path, {}).status_code == 404
    upload()
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(RollUpload.id))) == 1


def test_an_upload_belongs_to_its_space(centro, make_space, staff, upload, client):
    make_space(slug="alameda", name="Alameda")
    path = upload().headers["Location"]
    assert client.get(path.replace("/centro/", "/alameda/")).status_code == 404

