"""Create or drop the empty PostgreSQL database one run of the suite works in.

`create URL` connects to the server URL names, makes a fresh database beside URL's own
(named after it, with `_plaza_suite`), and prints that database's URL; `drop URL` removes it.
The run never touches URL's database, so whatever others keep there stays, and whatever they
left there cannot change what the suite sees. Fails loudly when the server cannot be reached.
"""
from __future__ import annotations

import sys

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url


def suite_url(url: str) -> str:
    """URL with its database replaced by the suite's own."""
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_plaza_suite").render_as_string(hide_password=False)


def admin_connection(url: str) -> psycopg.Connection:
    """An autocommit connection to URL's own database (CREATE DATABASE runs outside a transaction)."""
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(libpq, connect_timeout=5, autocommit=True)


def recreate(url: str) -> str:
    name = make_url(suite_url(url)).database
    with admin_connection(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return suite_url(url)


def drop(url: str) -> None:
    name = make_url(suite_url(url)).database
    with admin_connection(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def main(argv: list[str]) -> None:
    if len(argv) != 3 or argv[1] not in {"create", "drop"}:
        sys.exit("usage: suite_database.py create|drop POSTGRESQL_URL")
    action, url = argv[1], argv[2]
    try:
        if action == "create":
            print(recreate(url))
        else:
            drop(url)
    except psycopg.Error as exc:
        sys.exit(f"PostgreSQL at {url}: {exc}")


if __name__ == "__main__":
    main(sys.argv)
