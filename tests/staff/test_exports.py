"""Exports parsed back and checked, from the staff pages and from the command line."""
import csv
import io
import json

from app.exports import BALLOT_COLUMNS, IDEA_COLUMNS, VOTE_COLUMNS


def parse(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_ideas_csv_has_both_rankings(client, staff, ideas, add_vote, add_ballot):
    kept, other = ideas[0], ideas[2]
    add_vote("a", kept, other, "left")
    add_ballot("q", {kept: 3})
    response = client.get("/staff/spaces/zocalo/export/ideas.csv")
    assert response.mimetype == "text/csv"
    assert 'filename="zocalo-ideas.csv"' in response.headers["Content-Disposition"]
    rows = parse(response)
    assert list(rows[0]) == IDEA_COLUMNS and len(rows) == 4
    top = rows[0]
    assert (top["id"], top["pairwise_rank"], top["wins"], top["votes_net"], top["credits"]) == (
        str(kept.id), "1", "1", "3", "9")
    assert top["pairwise_p_top"] == "1.0"  # four ideas, all in the top 10


def test_ideas_geojson(client, staff, ideas):
    data = json.loads(client.get("/staff/spaces/zocalo/export/ideas.geojson").get_data(as_text=True))
    assert len(data["features"]) == 4
    assert data["features"][0]["geometry"]["type"] == "Point"
    assert "pairwise_score" in data["features"][0]["properties"]


def test_votes_and_ballots_are_anonymised(client, staff, ideas, add_vote, add_ballot):
    add_vote("secret-browser-key", ideas[0], ideas[1], "right")
    add_vote("secret-browser-key", ideas[2], ideas[3], "tie")
    add_ballot("another-secret", {ideas[0]: 2, ideas[1]: -1})
    votes = parse(client.get("/staff/spaces/zocalo/export/pairwise-votes.csv"))
    assert list(votes[0]) == VOTE_COLUMNS
    assert (votes[0]["winner_id"], votes[0]["loser_id"]) == (str(ideas[1].id), str(ideas[0].id))
    assert votes[0]["winner_text"] == ideas[1].title
    assert votes[1]["winner_id"] == "" and votes[1]["choice"] == "tie"
    assert votes[0]["voter"] == votes[1]["voter"] and votes[0]["voter"].startswith("v-")
    ballots = parse(client.get("/staff/spaces/zocalo/export/qv-ballots.csv"))
    assert list(ballots[0]) == BALLOT_COLUMNS
    assert sorted((b["votes"], b["credits"]) for b in ballots) == [("-1", "1"), ("2", "4")]
    text = client.get("/staff/spaces/zocalo/export/qv-ballots.csv").get_data(as_text=True)
    assert "secret" not in text


def test_unknown_export_is_404(client, staff, space_with_duplicate):
    assert client.get("/staff/spaces/zocalo/export/votes.geojson").status_code == 404
    assert client.get("/staff/spaces/zocalo/export/passwords.csv").status_code == 404


def test_export_command(runner, ideas, add_vote, tmp_path):
    for n in range(5):
        add_vote(f"v{n}", ideas[0], ideas[1 + n % 3], "left")
    out = tmp_path / "votes.csv"
    result = runner.invoke(args=["export", "pairwise-votes", "--space", "zocalo", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 5 rows" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 5 and all(r["winner_id"] == str(ideas[0].id) for r in rows)
    geo = tmp_path / "ideas.geojson"
    assert runner.invoke(args=["export", "ideas", "--space", "zocalo", "--format", "geojson",
                               "--output", str(geo)]).exit_code == 0
    assert len(json.loads(geo.read_text())["features"]) == 4


def test_export_command_refusals(runner, space_with_duplicate, tmp_path):
    out = str(tmp_path / "x")
    assert "no space with the slug" in runner.invoke(
        args=["export", "ideas", "--space", "nowhere", "--output", out]).output
    assert "Only ideas" in runner.invoke(
        args=["export", "qv-ballots", "--space", "zocalo", "--format", "geojson", "--output", out]).output
    assert runner.invoke(args=["export", "--help"]).exit_code == 0
