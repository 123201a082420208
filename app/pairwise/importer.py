"""Bring an earlier wiki survey into a space: its ideas, then its votes, all or nothing.

Files are CSV with a header. Ideas: `id,title[,body,category]`; votes:
`left_id,right_id,choice[,voter][,reason]` with choice left/right/tie/skip, ids from the ideas
file. Running the same files again adds nothing: ideas are matched by title and each vote
row carries a key made from the file's content and the row number.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.models import PAIRWISE_CHOICES, SKIP_REASONS, Idea, PairwiseVote, Space
from app.models.idea import TITLE_MAX
from app.text import _
from app.voters import voter_id_for_anon_key
from app.pairwise.service import answered_pairs

MAX_REPORTED_ERRORS = 10


class SurveyImportError(ValueError):
    """The files cannot be imported; `errors` says where, by line."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:MAX_REPORTED_ERRORS]))
        self.errors = errors


@dataclass
class ImportReport:
    ideas_added: int
    ideas_matched: int
    votes_added: int
    votes_already_there: int
    votes_repeated: int  # a voter's later answers to a pair they had answered: left out


def _rows(text: str, required: tuple[str, ...], label: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise SurveyImportError([f"{label}: missing column(s) {', '.join(missing)}"])
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _category(space: Space, wanted: str) -> str:
    if wanted in space.categories:
        return wanted
    return "other" if "other" in space.categories else space.categories[0]


def import_ideas(space: Space, text: str) -> tuple[dict[str, int], int, int]:
    """External id -> idea id; ideas with a title already in the space are reused."""
    rows = _rows(text, ("id", "title"), "ideas file")
    errors = [f"ideas file line {n}: empty id or title" for n, r in enumerate(rows, start=2)
              if not r["id"] or not r["title"]]
    ids = [r["id"] for r in rows]
    errors += [f"ideas file: id {i} appears twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if errors:
        raise SurveyImportError(errors)
    existing = dict(db.session.execute(
        sa.select(Idea.title, Idea.id).where(Idea.space_id == space.id)).all())
    mapping, added = {}, 0
    for row in rows:
        title = row["title"][:TITLE_MAX]
        if title not in existing:
            idea = Idea(space_id=space.id, title=title, body=row.get("body", ""),
                        category=_category(space, row.get("category", "")), status="published")
            db.session.add(idea)
            db.session.flush()
            existing[title] = idea.id
            added += 1
        mapping[row["id"]] = existing[title]
    return mapping, added, len(rows) - added


def _check_vote(n: int, row: dict[str, str], mapping: dict[str, int]) -> str | None:
    if row["left_id"] not in mapping or row["right_id"] not in mapping:
        return f"votes file line {n}: idea id not in the ideas file"
    if row["left_id"] == row["right_id"]:
        return f"votes file line {n}: an idea compared with itself"
    if row["choice"] not in PAIRWISE_CHOICES:
        return f"votes file line {n}: choice must be one of {', '.join(PAIRWISE_CHOICES)}"
    reason = row.get("reason", "")
    if reason and (row["choice"] != "skip" or reason not in SKIP_REASONS):
        return f"votes file line {n}: reason goes with skip and must be one of {', '.join(SKIP_REASONS)}"
    return None


def import_pairwise(space: Space, ideas_text: str, votes_text: str) -> ImportReport:
    """Add the ideas and votes to the session (the caller commits), or raise SurveyImportError.

    Imported votes come from voters nobody here checked, so only a space where anyone may
    compare ideas takes them (app/eligibility/rules.py)."""
    if space.pairwise_rule != "anyone":
        raise SurveyImportError([_(
            "This space counts pairwise votes of %(who)s only, and imported votes come from voters "
            "nobody here checked. Let anyone compare ideas in the space's settings to import them.",
            who=_("confirmed accounts") if space.pairwise_rule == "confirmed" else _("verified residents"))])
    mapping, ideas_added, ideas_matched = import_ideas(space, ideas_text)
    rows = _rows(votes_text, ("left_id", "right_id", "choice"), "votes file")
    errors = [e for n, row in enumerate(rows, start=2) if (e := _check_vote(n, row, mapping))]
    if errors:
        raise SurveyImportError(errors)
    digest = hashlib.sha256(ideas_text.encode() + b"\0" + votes_text.encode()).hexdigest()[:16]
    keys = [f"import:{digest}:{n}" for n in range(2, len(rows) + 2)]
    done = set(db.session.scalars(sa.select(PairwiseVote.pair_key).where(PairwiseVote.pair_key.in_(keys))))
    voters: dict[str, int] = {}
    stored: dict[int, set[tuple[int, int]]] = {}
    answered: set[tuple[str, str, str]] = set()
    repeats: dict[tuple[str, str], int] = {}
    added = repeated = 0
    for key, row in zip(keys, rows):
        pair = tuple(sorted((row["left_id"], row["right_id"])))
        who = row.get("voter")
        if not who:
            # No voter column: the k-th answer to a pair is by "unknown voter k", so no answer
            # is lost to the one-vote-per-pair rule and the voter count stays small.
            repeats[pair] = repeats.get(pair, 0) + 1
            who = f"{digest}:{repeats[pair]}"
        elif (who, *pair) in answered:
            repeated += 1  # a voter shown the same pair again: their first answer counts
            continue
        answered.add((who, *pair))
        if key in done:
            continue
        if who not in voters:
            voters[who] = voter_id_for_anon_key(f"import:{space.id}:{who}"[:64])
            stored[voters[who]] = answered_pairs(space.id, voters[who])  # from an earlier file
        left, right = mapping[row["left_id"]], mapping[row["right_id"]]
        if (min(left, right), max(left, right)) in stored[voters[who]]:
            repeated += 1
            continue
        choice = row["choice"]
        db.session.add(PairwiseVote(
            space_id=space.id, voter_id=voters[who], left_idea_id=left, right_idea_id=right,
            choice=choice, pair_key=key,
            skip_reason=(row.get("reason") or "dont_know") if choice == "skip" else None))
        added += 1
    return ImportReport(ideas_added, ideas_matched, added, len(rows) - added - repeated, repeated)
