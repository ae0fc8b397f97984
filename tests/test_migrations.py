"""Every migration of ours applies on an empty database, reverses to zero and applies again.

Runs the migrations in a subprocess against a scratch database of the engine under test (a
SQLite file in tier 1, a PostgreSQL database next to the test database in tier 2), so a data
migration that cannot be reversed, or a schema step one engine refuses, fails here rather than
on a customer's release.
"""

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from tests.conftest import REPO_ROOT
from tests.workers import app_process_env

# Run in the subprocess: migrate, reverse each of our apps to zero (dependants first), migrate
# again; print what was applied after each step.
ROUND_TRIP = """
import json, django
django.setup()
from pathlib import Path
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

ours = [c.label for c in apps.get_app_configs()
        if c.name.startswith("creditcheck.") and (Path(c.path) / "migrations").is_dir()]

def applied():
    rows = MigrationRecorder(connection).migration_qs.filter(app__in=ours)
    return sorted(f"{app}.{name}" for app, name in rows.values_list("app", "name"))

steps = {}
call_command("migrate", interactive=False, verbosity=0)
steps["forward"] = applied()
for label in reversed(ours):
    call_command("migrate", label, "zero", interactive=False, verbosity=0)
steps["zero"] = applied()
call_command("migrate", interactive=False, verbosity=0)
steps["again"] = applied()
print(json.dumps(steps))
"""


@pytest.fixture
def scratch_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the engine the suite runs on."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_mig_{uuid.uuid4().hex[:8]}"
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    user, password = settings_dict["USER"] or "postgres", settings_dict["PASSWORD"] or None

    def server() -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=host, port=port, user=user, password=password, dbname="postgres", autocommit=True
        )

    with server() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    credentials = f"{user}:{password}" if password else user
    try:
        yield f"postgres://{credentials}@{host}:{port}/{name}"
    finally:
        with server() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_migrations_apply_reverse_to_zero_and_apply_again(scratch_database_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP],
        cwd=REPO_ROOT,
        env=app_process_env(DATABASE_URL=scratch_database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    steps = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(steps["forward"]) > 10
    assert steps["zero"] == []
    assert steps["again"] == steps["forward"]
