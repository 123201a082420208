"""A roll uploaded on the staff page: previewed first, imported on the staff member's word.

Between the two requests the upload waits in `roll_uploads` as the keyed hashes the roll
would keep, never as the file, and for an hour at most.
"""
from __future__ import annotations

import json
import zlib
from datetime import timedelta
from typing import IO

import sqlalchemy as sa

from app.core import events
from app.eligibility.hashing import Hasher
from app.eligibility.roll import HashedRoll, RollReport, apply_roll, hashed_roll, read_roll
from app.extensions import db
from app.models import RollUpload, Space
from app.models.columns import utcnow
from app.spaces.events import SpaceChanged

#: How long a preview can be confirmed; after that, the file is uploaded again.
UPLOAD_TTL = timedelta(hours=1)


def keep_upload(hasher: Hasher, space: Space, uploader_id: int | None, text: IO[str], id_columns: list[str],
                district_column: str | None) -> RollUpload:
    """Read the file (RollError if it cannot be a roll) and keep it, hashed, for its preview.

    Uploads past their hour go first, so none lingers. The caller commits."""
    db.session.execute(sa.delete(RollUpload).where(RollUpload.created_at < utcnow() - UPLOAD_TTL))
    people = read_roll(text, id_columns, district_column)
    wanted, duplicates = hashed_roll(hasher, space.id, people)
    upload = RollUpload(space_id=space.id, uploaded_by=uploader_id, id_columns=list(id_columns),
                        district_column=district_column, entries=_packed(wanted), rows=len(people),
                        duplicates=duplicates)
    db.session.add(upload)
    db.session.flush()
    return upload


def pending_upload(space: Space, upload_id: int) -> RollUpload | None:
    """The space's upload of that number, if its hour has not passed."""
    return db.session.scalar(sa.select(RollUpload).where(
        RollUpload.id == upload_id, RollUpload.space_id == space.id,
        RollUpload.created_at >= utcnow() - UPLOAD_TTL))


def roll_of(upload: RollUpload) -> HashedRoll:
    return {key: district for key, district in json.loads(zlib.decompress(upload.entries))}


def import_upload(space: Space, upload: RollUpload, actor_id: int) -> RollReport:
    """Make the upload the space's roll, recorded in the audit log; the caller commits."""
    before = {"roll_fields": list(space.roll_fields)}
    report = apply_roll(space, upload.id_columns, roll_of(upload))
    report.duplicates = upload.duplicates
    after = {"roll_fields": list(upload.id_columns), "roll_listed": report.listed,
             "roll_added": report.added, "roll_unlisted": report.unlisted}
    events.record(db.session, SpaceChanged(space.id, actor_id, "space.roll_import", before, after))
    db.session.delete(upload)
    return report


def _packed(wanted: HashedRoll) -> bytes:
    return zlib.compress(json.dumps(list(wanted.items()), separators=(",", ":")).encode())

