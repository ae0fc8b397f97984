"""Create the PostgreSQL database named by DATABASE_URL when it does not exist yet.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/creditcheck_prod \
        python deploy/create_database.py

Connects to the server's `postgres` database with the URL's user, password, host and port.
A SQLite or empty DATABASE_URL needs nothing: Django creates the file on `migrate`.
"""

import os
import sys
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql


def create_database(url: str) -> str | None:
    """The name of the database created, or None when there was nothing to create."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        return None
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "") or None,
        password=unquote(parts.password or "") or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    ) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return None
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def main() -> int:
    created = create_database(os.environ.get("DATABASE_URL", ""))
    if created:
        print(f"Banco de dados {created} criado.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
