"""Column helpers shared by the models, so every table stores time and choices one way."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


def utcnow() -> datetime:
    """Timezone-aware now; a callable default so the value is taken per row, not at import."""
    return datetime.now(timezone.utc)


def choice_type(values: tuple[str, ...], name: str) -> sa.Enum:
    """A string column limited to `values` by a CHECK constraint (portable, easy to extend)."""
    return sa.Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values) + 8,
        validate_strings=True,
    )


class pair_low(GenericFunction):
    """The smaller of two ids: `least()` on PostgreSQL, two-argument `min()` on SQLite.

    An unordered pair (a, b) is (pair_low, pair_high) whichever side each idea was shown on,
    so a unique index over them refuses a second vote on the same two ideas.
    """

    type = sa.Integer()
    inherit_cache = True


class pair_high(GenericFunction):
    """The larger of two ids: `greatest()` on PostgreSQL, two-argument `max()` on SQLite."""

    type = sa.Integer()
    inherit_cache = True


@compiles(pair_low)
def _pair_low(element, compiler, **kw) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


@compiles(pair_low, "postgresql")
def _pair_low_postgresql(element, compiler, **kw) -> str:
    return f"least({compiler.process(element.clauses, **kw)})"


@compiles(pair_high)
def _pair_high(element, compiler, **kw) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(pair_high, "postgresql")
def _pair_high_postgresql(element, compiler, **kw) -> str:
    return f"greatest({compiler.process(element.clauses, **kw)})"
