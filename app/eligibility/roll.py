"""A space's census or voter roll: imported from a CSV, kept only as keyed hashes.

Importing again updates the roll in place: a person still listed keeps their entry (and
whoever claimed it), one no longer listed can no longer be claimed, and a claim already
made is never lost. Nothing of the roll is ever shown or exported but counts.
"""
from __future__ import annotations

import csv
import itertools
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
    #: Of those no longer listed, how many verified already (they stay verified).
    unlisted_claimed: int = 0
    districts: dict[str, int] = field(default_factory=dict)


def read_roll(fh: IO[str], id_columns: list[str], district_column: str | None) -> list[Person]:
    """The people of the CSV, by the named columns; RollError for a column the header lacks,
    or a row with an identifying value missing (named by its line)."""
    if not 1 <= len(id_columns) <= MAX_ID_COLUMNS:
        raise RollError(_("Name between 1 and %(n)s identifying columns.", n=MAX_ID_COLUMNS))
    first = fh.readline()
    reader = csv.DictReader(itertools.chain([first], fh), delimiter=_delimiter_of(first))
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


def _delimiter_of(header: str) -> str:
    """Commas, or the semicolons (or tabs) a spreadsheet set to Spanish writes instead."""
    return max((",", ";", "\t"), key=header.count) if header.strip() else ","


#: A roll as stored: each person's keyed hash, with their district.
HashedRoll = dict[str, str | None]


def hashed_roll(hasher: Hasher, space_id: int, people: Iterable[Person]) -> tuple[HashedRoll, int]:
    """The people as the roll keeps them, and how many rows repeated someone already listed."""
    wanted: HashedRoll = {}
    duplicates = 0
    for person in people:
        key = hasher.roll(space_id, list(person.values))
        duplicates += key in wanted
        wanted[key] = person.district
    return wanted, duplicates


def import_roll(hasher: Hasher, space: Space, id_columns: list[str], people: Iterable[Person]) -> RollReport:
    """Replace the space's roll with `people`, keeping every entry and claim already made.

    The caller commits."""
    wanted, duplicates = hashed_roll(hasher, space.id, people)
    report = apply_roll(space, id_columns, wanted)
    report.duplicates = duplicates
    return report


def _existing(space_id: int) -> dict[str, tuple[int, bool, bool]]:
    """The space's roll entries by key: (id, listed, claimed)."""
    rows = db.session.execute(
        sa.select(RollEntry.key_hash, RollEntry.id, RollEntry.listed, Verification.id.is_not(None))
        .outerjoin(Verification, Verification.roll_entry_id == RollEntry.id)
        .where(RollEntry.space_id == space_id)).all()
    return {key: (entry_id, listed, claimed) for key, entry_id, listed, claimed in rows}


def preview_roll(space_id: int, wanted: HashedRoll) -> RollReport:
    """What importing `wanted` would do to the space's roll, changing nothing."""
    return _report(_existing(space_id), wanted)


def _report(existing: dict[str, tuple[int, bool, bool]], wanted: HashedRoll) -> RollReport:
    kept = [key for key in wanted if key in existing]
    return RollReport(
        listed=len(wanted), added=len(wanted) - len(kept), kept=len(kept),
        unlisted=sum(1 for key, (_id, listed, _c) in existing.items() if listed and key not in wanted),
        claimed=sum(1 for key in kept if existing[key][2]),
        unlisted_claimed=sum(1 for key, (_id, listed, claimed) in existing.items()
                             if listed and claimed and key not in wanted),
        districts=dict(sorted(Counter(d for d in wanted.values() if d).items())))


def apply_roll(space: Space, id_columns: list[str], wanted: HashedRoll) -> RollReport:
    """Make `wanted` the space's roll, keeping every entry and claim already made.

    The caller commits."""
    existing = _existing(space.id)
    report = _report(existing, wanted)
    now = utcnow()
    kept = [{"id": existing[key][0], "district": district, "listed": True, "imported_at": now}
            for key, district in wanted.items() if key in existing]
    if kept:
        db.session.execute(sa.update(RollEntry), kept)  # one executemany by primary key
    new = [{"space_id": space.id, "key_hash": key, "district": district, "listed": True, "imported_at": now}
           for key, district in wanted.items() if key not in existing]
    if new:
        db.session.execute(sa.insert(RollEntry), new)
    gone = [entry_id for key, (entry_id, listed, _c) in existing.items() if listed and key not in wanted]
    for start in range(0, len(gone), 500):
        db.session.execute(sa.update(RollEntry).where(RollEntry.id.in_(gone[start:start + 500]))
                           .values(listed=False))
    space.roll_fields = list(id_columns)
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
