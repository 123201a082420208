"""The quadratic-voting standings of a space as last computed, for every web worker to read.

Their bootstrap interval costs up to seconds in a large space, so it is computed once per
change of the space's ballots or ideas, by a job (app/qv/stored.py), not once per process.
`key` names the data they were computed from; a reader whose key differs has newer data.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class StoredStandings(db.Model):
    __tablename__ = "stored_standings"

    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"),
                                          primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(sa.String(80))
    rows: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    totals: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    computed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    seconds: Mapped[float] = mapped_column(sa.Float)
