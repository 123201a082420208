"""The roll is stored as keyed hashes only, and importing it again never loses a claim."""
import io

import pytest
import sqlalchemy as sa

from app.eligibility import hasher
from app.eligibility.hashing import Hasher, normalized
from app.eligibility.roll import RollError, import_roll, read_roll, roll_summary
from app.extensions import db
from app.models import RollEntry, Verification
from tests.eligibility.conftest import ANA, ID_COLUMNS, ROLL_CSV, roll_people


def test_typing_differences_do_not_matter_but_values_do():
    assert normalized(" ab-123.456 ") == normalized("AB123456")
    assert normalized("1980-05-02") == normalized("1980 05 02")
    key = Hasher.of("k")
    assert key.roll(1, ["AB123456", "1980-05-02"]) == key.roll(1, ["ab 123456", "1980/05/02"])
    assert key.roll(1, ["AB123456", "1980-05-02"]) != key.roll(1, ["AB123456", "1980-05-03"])
    assert key.roll(1, ["ab", "c"]) != key.roll(1, ["a", "bc"])
    assert key.roll(1, ["AB123456", "1980-05-02"]) != key.roll(2, ["AB123456", "1980-05-02"])
    assert Hasher.of("other").roll(1, ["AB123456", "1980-05-02"]) != key.roll(1, ["AB123456", "1980-05-02"])


def test_no_identifying_value_is_stored(centro):
    stored = " ".join(str(row) for row in db.session.execute(sa.select(RollEntry.__table__)).all())
    for value in ("AB123456", "ab123456", "1980-05-02", "19800502", "CD654321"):
        assert value not in stored
    assert centro.roll_fields == ID_COLUMNS


def test_summary_gives_counts_by_district(centro):
    summary = roll_summary(centro.id)
    assert (summary.listed, summary.claimed) == (4, 0)
    assert summary.districts == {"Centro": 2, "Guerrero": 1}


def test_reimport_keeps_claims_and_unlists_who_left(centro, make_user):
    from app.eligibility.verification import verify
    from app.voters import voter_id_for_user

    voter = voter_id_for_user(make_user().id)
    verify(hasher(), centro, voter, "roll", {"fields": ANA})
    db.session.commit()
    without_ana = "documento,nacimiento,colonia\nCD654321,1975-11-30,Norte\nZZ999,2000-01-01,Sur\nZZ999,2000-01-01,Sur\n"
    report = import_roll(hasher(), centro, ID_COLUMNS, roll_people(without_ana))
    db.session.commit()
    assert (report.added, report.kept, report.unlisted, report.duplicates, report.listed) == (1, 1, 3, 1, 2)
    assert db.session.scalar(sa.select(sa.func.count(Verification.id))) == 1  # Ana stays verified
    assert roll_summary(centro.id).districts == {"Norte": 1, "Sur": 1}
    report = import_roll(hasher(), centro, ID_COLUMNS, roll_people())
    db.session.commit()
    assert (report.added, report.kept, report.claimed) == (0, 4, 1)  # the same entries, Ana's still hers


@pytest.mark.parametrize("text, columns, district, message", [
    (ROLL_CSV, ["documento", "dni"], None, "no column dni"),
    (ROLL_CSV, ["documento"], "barrio", "no column barrio"),
    ("documento,nacimiento\nAB1,\n", ID_COLUMNS, None, "Line 2 has an empty identifying value"),
    ("documento,nacimiento\n", ID_COLUMNS, None, "lists nobody"),
    (ROLL_CSV, [], None, "Name between 1 and 4"),
])
def test_a_file_that_cannot_be_a_roll_is_refused(text, columns, district, message):
    with pytest.raises(RollError, match=message):
        read_roll(io.StringIO(text), columns, district)


def test_staff_see_counts_of_the_roll_and_never_its_values(centro, letter_codes, make_user, login, client, verify):
    login(make_user(role="staff"))
    assert verify({"method": "code", "code": letter_codes[0]}).status_code == 200
    html = client.get("/staff/spaces/centro/edit").get_data(as_text=True)
    assert "Roll: 4 people listed, 0 verified." in html and "Letter codes: 3 printed, 1 used." in html
    assert "<td>Guerrero</td><td>1</td><td>0</td>" in html
    assert "AB123456" not in html and "1980" not in html
