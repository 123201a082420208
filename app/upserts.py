"""Inserts that let a unique constraint settle a race, without a savepoint.

A savepoint would do too on PostgreSQL, but pysqlite opens no transaction for SAVEPOINT:
when the savepoint is a request's first write, releasing it commits at once, and a request
refused afterwards would still leave the row behind. INSERT ... ON CONFLICT DO NOTHING is
one plain statement on both databases and stays inside the request's transaction.
"""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def insert_unless_present(model, values: dict, unique: list[str]) -> None:
    """Insert a row of `model`, or nothing if a row with the same `unique` columns exists
    (even one another transaction is inserting right now: PostgreSQL waits for it)."""
    db.session.execute(dialect_insert(model).values(**values).on_conflict_do_nothing(index_elements=unique))


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def dialect_insert(target, dialect: str | None = None):
    """An INSERT for the session's database (or `dialect`), with its ON CONFLICT clauses."""
    return (postgresql.insert if (dialect or dialect_name()) == "postgresql" else sqlite.insert)(target)
