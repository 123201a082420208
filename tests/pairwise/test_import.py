"""Importing an earlier wiki survey, checked end to end on the real WZB Berlin survey."""
import csv
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote
from app.ranking import kendall_tau, spearman_rho

MERCATOR = Path(__file__).resolve().parents[1] / "ranking" / "data"
# Measured through the whole stack (CLI, database, refit, API): Spearman 0.988–0.997 and
# Kendall 0.93–0.96 per context against the published Bradley-Terry scores.
MIN_SPEARMAN = 0.98
MIN_KENDALL = 0.90


def write_survey(tmp_path: Path, context: str) -> tuple[Path, Path, dict[str, float]]:
    """The real survey (converted from ../shared/data/mercator-wikisurvey) in import format."""
    with (MERCATOR / "mercator_items.csv").open(encoding="utf-8") as fh:
        items = [r for r in csv.DictReader(fh) if r["context"] == context]
    with (MERCATOR / "mercator_votes.csv").open(encoding="utf-8") as fh:
        votes = [r for r in csv.DictReader(fh) if r["context"] == context]
    ideas_file, votes_file = tmp_path / f"{context}-ideas.csv", tmp_path / f"{context}-votes.csv"
    with ideas_file.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "title"])
        out.writerows([r["item"], r["label"]] for r in items)
    with votes_file.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["left_id", "right_id", "choice", "voter"])
        for r in votes:
            choice = "skip" if not r["chosen"] else ("left" if r["chosen"] == r["left"] else "right")
            out.writerow([r["left"], r["right"], choice, r["respondent"]])
    published = {r["label"][:120]: float(r["score"]) for r in items if r["score"]}
    return ideas_file, votes_file, published


@pytest.mark.parametrize("context", ["society", "region", "work"])
def test_real_survey_ranks_like_its_published_scores(runner, client, make_space, tmp_path, context):
    make_space(slug="mercator", name="Mercator survey", phase="closed", boundary=None)
    ideas_file, votes_file, published = write_survey(tmp_path, context)
    result = runner.invoke(args=["import-pairwise", str(votes_file), "--ideas", str(ideas_file),
                                 "--space", "mercator"])
    assert result.exit_code == 0, result.output
    ranking = client.get("/api/spaces/mercator/ranking?method=pairwise").get_json()
    ours = {row["title"]: row["score"] for row in ranking["ideas"] if row["title"] in published}
    assert len(ours) == len(published)
    titles = sorted(published)
    a = np.array([ours[t] for t in titles])
    b = np.array([published[t] for t in titles])
    assert spearman_rho(a, b) >= MIN_SPEARMAN
    assert kendall_tau(a, b) >= MIN_KENDALL


def test_import_twice_adds_nothing(runner, make_space, tmp_path):
    make_space(slug="mercator")
    ideas_file, votes_file, _ = write_survey(tmp_path, "work")
    args = ["import-pairwise", str(votes_file), "--ideas", str(ideas_file), "--space", "mercator"]
    first = runner.invoke(args=args)
    assert "Votes: " in first.output and "0 already imported" in first.output
    counts = (db.session.scalar(sa.select(sa.func.count(Idea.id))),
              db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))))
    second = runner.invoke(args=args)
    assert second.exit_code == 0 and "Ideas: 0 added" in second.output and "Votes: 0 added" in second.output
    assert counts == (db.session.scalar(sa.select(sa.func.count(Idea.id))),
                      db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))))


@pytest.mark.parametrize("ideas, votes, message", [
    ("id,title\n1,A\n2,B\n", "left_id,right_id,choice\n1,3,left\n", "line 2: idea id not in the ideas file"),
    ("id,title\n1,A\n2,B\n", "left_id,right_id,choice\n1,1,left\n", "compared with itself"),
    ("id,title\n1,A\n2,B\n", "left_id,right_id,choice\n1,2,maybe\n", "choice must be one of"),
    ("id,title\n1,A\n2,B\n", "left,right,choice\n1,2,left\n", "missing column(s) left_id, right_id"),
    ("id,name\n1,A\n", "left_id,right_id,choice\n", "ideas file: missing column(s) title"),
    ("id,title\n1,A\n1,B\n", "left_id,right_id,choice\n", "id 1 appears twice"),
    ("id,title\n1,A\n2,B\n", "left_id,right_id,choice,reason\n1,2,left,same\n", "reason goes with skip"),
])
def test_bad_files_import_nothing(runner, make_space, tmp_path, ideas, votes, message):
    make_space(slug="s")
    (tmp_path / "i.csv").write_text(ideas)
    (tmp_path / "v.csv").write_text(votes)
    result = runner.invoke(args=["import-pairwise", str(tmp_path / "v.csv"), "--ideas",
                                 str(tmp_path / "i.csv"), "--space", "s"])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output and message in result.output
    assert db.session.scalar(sa.select(sa.func.count(Idea.id))) == 0


def test_unknown_space(runner, tmp_path):
    (tmp_path / "i.csv").write_text("id,title\n")
    (tmp_path / "v.csv").write_text("left_id,right_id,choice\n")
    result = runner.invoke(args=["import-pairwise", str(tmp_path / "v.csv"), "--ideas",
                                 str(tmp_path / "i.csv"), "--space", "nowhere"])
    assert result.exit_code == 1 and "no space with the slug 'nowhere'" in result.output


def test_help(runner):
    result = runner.invoke(args=["import-pairwise", "--help"])
    assert result.exit_code == 0 and "left_id,right_id,choice" in result.output


def write_files(tmp_path: Path, votes: list[list[str]], header=("left_id", "right_id", "choice", "voter"),
                name: str = "votes.csv") -> tuple[Path, Path]:
    ideas_file, votes_file = tmp_path / "ideas.csv", tmp_path / name
    ideas_file.write_text("id,title\n1,Shade trees\n2,Benches\n3,Fountains\n", encoding="utf-8")
    with votes_file.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(votes)
    return ideas_file, votes_file


def stored_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(sa.select(PairwiseVote.choice, Idea.title).join(
        Idea, Idea.id == PairwiseVote.left_idea_id).order_by(PairwiseVote.id)).all()
    return [tuple(r) for r in rows]


def test_a_voters_repeated_answer_to_a_pair_is_left_out_and_reported(runner, make_space, tmp_path):
    make_space(slug="mercator")
    ideas_file, votes_file = write_files(tmp_path, [["1", "2", "left", "ana"], ["2", "1", "left", "ana"],
                                                    ["1", "3", "right", "ana"], ["1", "2", "right", "luis"]])
    result = runner.invoke(args=["import-pairwise", str(votes_file), "--ideas", str(ideas_file),
                                 "--space", "mercator"])
    assert result.exit_code == 0, result.output
    assert "Votes: 3 added, 0 already imported, 1 repeats left out" in result.output
    assert stored_choices() == [("left", "Shade trees"), ("right", "Shade trees"), ("right", "Shade trees")]


def test_without_a_voter_column_no_answer_is_lost(runner, make_space, tmp_path):
    make_space(slug="mercator")
    ideas_file, votes_file = write_files(
        tmp_path, [["1", "2", "left"], ["1", "2", "right"], ["2", "1", "tie"], ["1", "3", "left"]],
        header=("left_id", "right_id", "choice"))
    result = runner.invoke(args=["import-pairwise", str(votes_file), "--ideas", str(ideas_file),
                                 "--space", "mercator"])
    assert "Votes: 4 added" in result.output and "0 repeats" in result.output
    voters = db.session.scalar(sa.select(sa.func.count(sa.distinct(PairwiseVote.voter_id))))
    assert voters == 3  # as many unknown voters as the most repeated pair needs


def test_a_second_file_with_the_same_voters_repeats_nothing(runner, make_space, tmp_path):
    make_space(slug="mercator")
    ideas_file, first = write_files(tmp_path, [["1", "2", "left", "ana"]], name="first.csv")
    _, second = write_files(tmp_path, [["2", "1", "right", "ana"], ["2", "3", "left", "ana"]], name="second.csv")
    for votes_file in (first, second):
        result = runner.invoke(args=["import-pairwise", str(votes_file), "--ideas", str(ideas_file),
                                     "--space", "mercator"])
        assert result.exit_code == 0, result.output
    assert "Votes: 1 added, 0 already imported, 1 repeats left out" in result.output
    assert db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))) == 2


def test_a_space_for_checked_voters_takes_no_import(runner, make_space, tmp_path):
    make_space(slug="checked", pairwise_rule="verified")
    ideas_file, votes_file, _ = write_survey(tmp_path, "work")
    result = runner.invoke(args=["import-pairwise", str(votes_file), "--ideas", str(ideas_file),
                                 "--space", "checked"])
    assert result.exit_code == 1 and "verified residents only" in result.output
    assert db.session.scalar(sa.select(sa.func.count(PairwiseVote.id))) == 0
