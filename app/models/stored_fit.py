"""The one pairwise fit of a space that every web worker serves, written only by the refit job.

The row is also the job's claim: a job sets `locked_by` and `locked_until` (seconds since the
epoch, so SQLite and PostgreSQL compare them alike) in its own short transaction, and only the
holder may write the fit. A claim held by a job that crashed expires; a job that fails
releases it at once. The fit and its release are one UPDATE, so a job killed half-way leaves
the previous fit in place.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class StoredFit(db.Model):
    __tablename__ = "stored_fits"

    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"),
                                          primary_key=True, autoincrement=False)
    #: Bumped by every stored fit: a web worker reloads the payload when it changes.
    serial: Mapped[int] = mapped_column(default=0, server_default="0")
    #: What the fit covers, comparable with app/pairwise/standings.py data_version.
    last_vote_id: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    data_version: Mapped[int] = mapped_column(default=-1, server_default="-1")
    focus_k: Mapped[int] = mapped_column(default=0, server_default="0")
    votes: Mapped[int] = mapped_column(default=0, server_default="0")
    voters: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The arrays of the fit as an .npz (numpy's own format, loaded without pickle).
    payload: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    fitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    seconds: Mapped[float | None] = mapped_column(sa.Float)
    locked_by: Mapped[str | None] = mapped_column(sa.String(120))
    locked_until: Mapped[float | None] = mapped_column(sa.Float)

    @property
    def has_fit(self) -> bool:
        """Whether a fit was ever stored (the row is made by the first claim), without
        loading the deferred payload: a fit always has its time."""
        return self.fitted_at is not None
