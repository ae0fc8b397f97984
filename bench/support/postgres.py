"""Shared start of the PostgreSQL benches (not a bench itself): database, Django, schema."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_postgres_django(default_url: str, *, broker: str | None = None) -> bool:
    """Point Django at the bench's database (DATABASE_URL or `default_url`), migrated.

    Tasks run in-process unless `broker` is given. False when DATABASE_URL is not PostgreSQL.
    """
    url = os.environ.setdefault("DATABASE_URL", default_url)
    if not url.startswith("postgres"):
        print("this bench needs PostgreSQL (DATABASE_URL=postgres://...)")
        return False
    ensure_database(url)
    if broker is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ.setdefault("CELERY_BROKER_URL", broker)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "creditcheck.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return True
