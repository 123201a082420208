"""`flask voters import-roll` and `flask voters codes`, as staff run them."""
import csv

import sqlalchemy as sa
from pypdf import PdfReader

from app.eligibility import codes, hasher
from app.extensions import db
from app.models import RollEntry, VerificationCode
from tests.eligibility.conftest import ROLL_CSV


def test_import_roll_reports_counts_only(runner, make_space, tmp_path):
    make_space(slug="centro")
    roll = tmp_path / "roll.csv"
    roll.write_text(ROLL_CSV, encoding="utf-8-sig")  # as a spreadsheet saves it, with a BOM
    args = ["voters", "import-roll", str(roll), "--space", "centro", "--id-column", "documento",
            "--id-column", "nacimiento", "--district-column", "colonia"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "4 people listed (4 new, 0 kept, 0 no longer listed, 0 duplicate rows)" in result.output
    assert "Centro: 2" in result.output and "AB123456" not in result.output
    assert "4 people listed (0 new, 4 kept" in runner.invoke(args=args).output
    assert db.session.scalar(sa.select(sa.func.count(RollEntry.id))) == 4


def test_import_roll_refuses_a_column_the_file_lacks(runner, make_space, tmp_path):
    make_space(slug="centro")
    (tmp_path / "roll.csv").write_text(ROLL_CSV)
    result = runner.invoke(args=["voters", "import-roll", str(tmp_path / "roll.csv"), "--space", "centro",
                                 "--id-column", "dni"])
    assert result.exit_code == 2 and "The file has no column dni" in result.output
    assert db.session.scalar(sa.select(sa.func.count(RollEntry.id))) == 0


def test_codes_are_written_to_csv_and_a_pdf_that_reads_back(runner, make_space, tmp_path):
    space = make_space(slug="centro", name="Centro Histórico")
    out = tmp_path / "letters.csv"
    result = runner.invoke(args=["voters", "codes", "--space", "centro", "--count", "6", "--output", str(out),
                                 "--district", "Guerrero"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    printed = [row["code"] for row in rows]
    assert len(set(printed)) == 6 and all(codes.cleaned(code) == code for code in printed)
    assert all(ch in codes.ALPHABET + "-" for code in printed for ch in code)
    assert rows[0]["link"] == f"http://127.0.0.1:5000/spaces/centro/verify?code={printed[0]}"
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "letters.pdf").pages)
    assert sorted(code for code in printed if code in text) == sorted(printed)
    assert len(PdfReader(tmp_path / "letters.pdf").pages) == 2 and "Centro Histórico" in text
    stored = db.session.execute(sa.select(VerificationCode.code_hash, VerificationCode.district)
                                .where(VerificationCode.space_id == space.id)).all()
    assert {h for h, _d in stored} == {hasher().code(code) for code in printed}
    assert {d for _h, d in stored} == {"Guerrero"}


def test_codes_need_a_known_space_and_a_sane_count(runner, make_space, tmp_path):
    make_space(slug="centro")
    unknown = runner.invoke(args=["voters", "codes", "--space", "nowhere", "--count", "2",
                                  "--output", str(tmp_path / "c.csv")])
    assert unknown.exit_code == 2 and "No space has the address 'nowhere'" in unknown.output
    zero = runner.invoke(args=["voters", "codes", "--space", "centro", "--count", "0",
                               "--output", str(tmp_path / "c.csv")])
    assert zero.exit_code == 2 and not (tmp_path / "c.csv").exists()


def test_help_texts(runner):
    for command in (["voters", "--help"], ["voters", "import-roll", "--help"], ["voters", "codes", "--help"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0 and "Usage:" in result.output
    assert "keyed hashes" in runner.invoke(args=["voters", "import-roll", "--help"]).output
