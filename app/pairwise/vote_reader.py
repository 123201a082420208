"""A space's pairwise votes as numpy arrays, read in bulk and, in a refit job, only once.

A refit of a space with millions of votes must not read them all every ten seconds. The job
keeps the arrays it read (`KeptVotes`, per worker process) and reads only the votes after
the last id it holds. Two things make that unsafe, and both force a full read: a change to
the space's data version (a hide, a merge, a deleted vote), and a vote committed late under
a smaller id than one already read (ids are handed out before commit, so a slow
transaction can commit after a faster one). The second is seen by counting the space's
votes up to the last id in the same snapshot as the new rows.

On PostgreSQL the rows come through `COPY ... TO STDOUT (FORMAT BINARY)` straight into a
numpy structured array, many times faster than fetching tuples; elsewhere (SQLite)
through an ordinary query.
"""
from __future__ import annotations

import select
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models.voting import PAIRWISE_CHOICES

if TYPE_CHECKING:
    from psycopg.pq.abc import PGconn

#: The choice of each vote as a small integer: its index in PAIRWISE_CHOICES.
CHOICE_CODES = {name: code for code, name in enumerate(PAIRWISE_CHOICES)}
SKIP = CHOICE_CODES["skip"]
COLUMNS = ("id", "voter_id", "left_idea_id", "right_idea_id", "choice")

_CHOICE_SQL = "CASE choice " + " ".join(
    f"WHEN '{name}' THEN {code}" for name, code in CHOICE_CODES.items()) + " END"
_SELECT = (f"SELECT id::int8, voter_id::int8, left_idea_id::int8, right_idea_id::int8, "
           f"({_CHOICE_SQL})::int8 FROM pairwise_votes WHERE space_id = {{space}} AND id > {{after}} "
           f"ORDER BY id")
# One binary COPY tuple of five int8 fields: a field count, then a length and a value each.
_TUPLE = np.dtype([("fields", ">i2")] + [part for name in COLUMNS
                                          for part in ((f"{name}_len", ">i4"), (name, ">i8"))])
_HEADER = len(b"PGCOPY\n\xff\r\n\x00") + 8  # signature, flags, header-extension length
_TRAILER = b"\xff\xff"  # a field count of -1


@dataclass(frozen=True)
class VoteArrays:
    """Votes in id order: ids, voters, the two ideas by id, and the choice code."""

    ids: np.ndarray
    voters: np.ndarray
    left: np.ndarray
    right: np.ndarray
    choice: np.ndarray

    @classmethod
    def empty(cls) -> VoteArrays:
        return cls(*(np.empty(0, dtype=np.int64) for _ in COLUMNS))

    @property
    def last_id(self) -> int:
        return int(self.ids[-1]) if self.ids.size else 0

    def __len__(self) -> int:
        return int(self.ids.size)

    def columns(self) -> tuple[np.ndarray, ...]:
        return self.ids, self.voters, self.left, self.right, self.choice


def read_votes(session: Session, space_id: int, after: int = 0) -> VoteArrays:
    """The space's votes with an id above `after`, in id order."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _copy_binary(connection, space_id, after)
    rows = connection.execute(sa.text(_SELECT.format(space="%d" % space_id, after="%d" % after)
                                      .replace("::int8", ""))).all()
    if not rows:
        return VoteArrays.empty()
    table = np.array(rows, dtype=np.int64)
    return VoteArrays(*(np.ascontiguousarray(table[:, c]) for c in range(len(COLUMNS))))


def _copy_binary(connection: sa.Connection, space_id: int, after: int) -> VoteArrays:
    raw = connection.connection.driver_connection
    statement = "COPY (" + _SELECT.format(space="%d" % space_id, after="%d" % after) + \
        ") TO STDOUT (FORMAT BINARY)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        data = _rows_of_copy(raw.pgconn)
        while copy.read():  # the end of the COPY and its result, through psycopg
            pass
    extension = int.from_bytes(data[_HEADER - 4:_HEADER], "big")
    body = memoryview(data)[_HEADER + extension:len(data) - len(_TRAILER)]
    table = np.frombuffer(body, dtype=_TUPLE)
    return VoteArrays(*(table[name].astype(np.int64) for name in COLUMNS))


def _rows_of_copy(pgconn: PGconn) -> bytearray:
    """A binary COPY's data from libpq, header to trailer, one CopyData message per row.

    psycopg's `Copy.read` runs a generator round trip for each message, which was most of
    the time a two-million-vote read took; asking libpq directly reads it in about 60% of
    that. The end of the COPY (libpq's -1 and the command's result) is left to psycopg, so
    this stops at the trailer. Every tuple is `_TUPLE.itemsize` bytes, so the trailer is the
    message after which the data past the header is a whole number of tuples plus two bytes
    (the header and the trailer come as one message when there are no rows).
    """
    data = bytearray()
    header = None
    while True:
        size, message = pgconn.get_copy_data(1)
        if size > 0:
            data += message
            if header is None and len(data) >= _HEADER:
                header = _HEADER + int.from_bytes(data[_HEADER - 4:_HEADER], "big")
            if (header is not None and (len(data) - header) % _TUPLE.itemsize == len(_TRAILER)
                    and data.endswith(_TRAILER)):
                return data
        elif size == 0:
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        else:
            return data  # ended without a trailer: psycopg's read reports why


def count_up_to(session: Session, space_id: int, last_id: int) -> int:
    return session.connection().execute(
        sa.text("SELECT count(*) FROM pairwise_votes WHERE space_id = :space AND id <= :last"),
        {"space": space_id, "last": last_id}).scalar_one()


class KeptVotes:
    """The votes a worker process read for one space, the data version they belong to, and
    the distinct voters among them.

    Top-ups are appended in place, into columns with room to spare that double when full, so
    a refit after a few new votes copies those, not the millions already kept; the voter
    set grows by the new votes' voters alone.
    """

    def __init__(self, data_version: int, votes: VoteArrays) -> None:
        self.data_version = data_version
        self._columns = list(votes.columns())
        self._size = len(votes)
        self.voters = np.unique(votes.voters)

    @property
    def votes(self) -> VoteArrays:
        """Views of the kept part: they stay valid when more votes are appended."""
        return VoteArrays(*(column[:self._size] for column in self._columns))

    def append(self, newer: VoteArrays) -> None:
        needed = self._size + len(newer)
        if needed > self._columns[0].size:
            room = max(needed, 2 * self._columns[0].size)
            grown = [np.empty(room, dtype=np.int64) for _ in self._columns]
            for old, new in zip(self._columns, grown):
                new[:self._size] = old[:self._size]
            self._columns = grown
        for column, values in zip(self._columns, newer.columns()):
            column[self._size:needed] = values
        self._size = needed
        self.voters = np.union1d(self.voters, newer.voters)


class VoteKeeper:
    """Per process: each space's votes read so far, topped up with the newer ones."""

    def __init__(self) -> None:
        self._kept: dict[int, KeptVotes] = {}

    def votes(self, session: Session, space_id: int, data_version: int, *, full: bool = False
              ) -> tuple[KeptVotes, bool]:
        """Every vote of the space, and whether they were all read again (not topped up)."""
        kept = None if full else self._kept.get(space_id)
        if kept is not None and kept.data_version == data_version:
            last_id = kept.votes.last_id
            newer = read_votes(session, space_id, last_id)
            if count_up_to(session, space_id, last_id) == len(kept.votes):
                kept.append(newer)
                return kept, False
        kept = KeptVotes(data_version, read_votes(session, space_id))
        self._kept[space_id] = kept
        return kept, True

    def forget(self, space_id: int) -> None:
        self._kept.pop(space_id, None)


#: The refit jobs of this process (a Celery worker, or the demo's web process).
keeper = VoteKeeper()
