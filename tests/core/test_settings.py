import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from creditcheck.settings import database_from_url, env_bool

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_database_from_url_reads_postgres_url() -> None:
    assert database_from_url("postgres://postgres:s%40nha@127.0.0.1:5432/creditcheck") == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "creditcheck",
        "USER": "postgres",
        "PASSWORD": "s@nha",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        "OPTIONS": {},
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
    }


def test_database_from_url_reads_sqlite_absolute_path() -> None:
    assert database_from_url("sqlite:////srv/creditcheck/db.sqlite3") == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/srv/creditcheck/db.sqlite3",
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }


def test_database_from_url_rejects_unknown_scheme() -> None:
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://root@localhost/creditcheck")


def test_env_bool_rejects_garbage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDITCHECK_TEST_FLAG", "talvez")

    with pytest.raises(ImproperlyConfigured):
        env_bool("CREDITCHECK_TEST_FLAG", True)


def import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import creditcheck.settings as s; print(s.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=REPO_ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_require_secret_key_when_debug_is_off() -> None:
    result = import_settings(DEBUG="false")

    assert result.returncode == 1
    assert "SECRET_KEY is required when DEBUG is false" in result.stderr


def test_settings_run_celery_eagerly_without_broker() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import creditcheck.settings as s; print(s.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "True"


def test_settings_use_a_broker_when_configured() -> None:
    result = import_settings(
        DEBUG="false", SECRET_KEY="x" * 50, CELERY_BROKER_URL="redis://127.0.0.1:6379/15"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
