"""A space's census or voter roll: imported from a CSV, kept only as keyed hashes.

Importing again updates the roll in place: a person still listed keeps their entry (and
whoever claimed it), one no longer listed can no longer be claimed, and a claim already
made is never lost. Nothing of the roll is ever shown or exported but counts.
"""
from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

import sqlalchemy as sa

from app.eligibility.hashing import Hasher, normalized
from app.extensions import db
from app.models import RollEntry, Space, Verification
from app.models.columns import utcnow
from app.models.eligibility import DISTRICT_MAX
from app.text import _

MAX_ID_COLUMNS = 4


class RollError(ValueError):
    """The file cannot be imported as it is; nothing was stored."""


@dataclass(frozen=True)
class Person:
    values: tuple[str, ...]
    district: str | None


@dataclass
class RollReport:
    listed: int = 0
    added: int = 0
    kept: int = 0
    unlisted: int = 0
    duplicates: int = 0
    claimed: int = 0
    districts: dict[str, int] = field(default_factory=dict)


def read_roll(fh: IO[str], id_columns: list[str], district_column: str | None) -> list[Person]:
    """The people of the CSV, by the named columns; RollError for a column the header lacks,
    or a row with an identifying value missing (named by its line)."""
    if not 1 <= len(id_columns) <= MAX_ID_COLUMNS:
        raise RollError(_("Name between 1 and %(n)s identifying columns.", n=MAX_ID_COLUMNS))
    reader = csv.DictReader(fh)
    header = reader.fieldnames or []
    wanted = [*id_columns, *([district_column] if district_column else [])]
    absent = [name for name in wanted if name not in header]
    if absent:
        raise RollError(_("The file has no column %(names)s; its columns are: %(header)s.",
                          names=", ".join(absent), header=", ".join(header) or "-"))
    people = []
    for line, row in enumerate(reader, start=2):
        values = tuple((row.get(name) or "").strip() for name in id_columns)
        if not all(normalized(v) for v in values):
            raise RollError(_("Line %(line)s has an empty identifying value.", line=line))
        district = (row.get(district_column) or "").strip()[:DISTRICT_MAX] if district_column else ""
        people.append(Person(values, district or None))
    if not people:
        raise RollError(_("The file lists nobody."))
    return people


def import_roll(hasher: Hasher, space: Space, id_columns: list[str], people: Iterable[Person]) -> RollReport:
    """Replace the space's roll with `people`, keeping every entry and claim already made.

    The caller commits."""
    report = RollReport()
    wanted: dict[str, str | None] = {}
    for person in people:
        key = hasher.roll(space.id, list(person.values))
        report.duplicates += key in wanted
        wanted[key] = person.district
    existing = dict(db.session.execute(
        sa.select(RollEntry.key_hash, RollEntry.id).where(RollEntry.space_id == space.id)).all())
    now = utcnow()
    kept = [{"id": existing[key], "district": district, "listed": True, "imported_at": now}
            for key, district in wanted.items() if key in existing]
    if kept:
        db.session.execute(sa.update(RollEntry), kept)  # one executemany by primary key
    report.kept = len(kept)
    new = [{"space_id": space.id, "key_hash": key, "district": district, "listed": True, "imported_at": now}
           for key, district in wanted.items() if key not in existing]
    if new:
        db.session.execute(sa.insert(RollEntry), new)
    report.added = len(new)
    gone = [entry_id for key, entry_id in existing.items() if key not in wanted]
    for start in range(0, len(gone), 500):
        db.session.execute(sa.update(RollEntry).where(RollEntry.id.in_(gone[start:start + 500]))
                           .values(listed=False))
    report.unlisted = len(gone)
    space.roll_fields = list(id_columns)
    summary = roll_summary(space.id)
    report.listed, report.claimed, report.districts = summary.listed, summary.claimed, summary.districts
    return report


@dataclass(frozen=True)
class RollSummary:
    """What staff may see of a roll: counts only."""

    listed: int
    claimed: int
    districts: dict[str, int]
    claimed_by_district: dict[str, int]


def roll_summary(space_id: int) -> RollSummary:
    rows = db.session.execute(
        sa.select(RollEntry.district, Verification.id.is_not(None))
        .outerjoin(Verification, Verification.roll_entry_id == RollEntry.id)
        .where(RollEntry.space_id == space_id, RollEntry.listed)).all()
    districts = Counter(district for district, _claimed in rows if district)
    claimed_by = Counter(district for district, claimed in rows if district and claimed)
    return RollSummary(listed=len(rows), claimed=sum(1 for _d, claimed in rows if claimed),
                       districts=dict(sorted(districts.items())),
                       claimed_by_district=dict(sorted(claimed_by.items())))
