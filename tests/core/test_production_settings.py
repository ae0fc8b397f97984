"""Production settings (DEBUG=false), read from the environment as an operator sets it.

Each test imports creditcheck/settings.py in a fresh process with a production environment:
`manage.py check --deploy` finds nothing, and the values it produces make Django send Secure,
HttpOnly cookies, redirect http to https and send HSTS.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.core.enums import Role
from creditcheck.core.models import Branch
from tests.factories import PASSWORD

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "creditcheck.example.com"

# Settings read from the environment that the test run itself may have set.
SETTINGS_ENV = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_CONN_HEALTH_CHECKS",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "TRUST_X_FORWARDED_PROTO",
    # Set by the browser tests' fixture (Playwright runs an event loop beside the ORM); a
    # deployment never sets it, and `check --deploy` rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}

# What README's "Produção" section asks an operator to set behind a TLS proxy.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": HOST,
    "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "DATABASE_URL": "postgres://creditcheck:senha@127.0.0.1:5432/creditcheck",
    "DATABASE_CONN_MAX_AGE": "60",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "TRUST_X_FORWARDED_PROTO": "true",
}

# The transport settings a test client needs to behave like the production server.
TRANSPORT_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
)

DUMP_SETTINGS = """
import json, sys
import creditcheck.settings as s
default_db = s.DATABASES["default"]
print(json.dumps({
    **{name: getattr(s, name, None) for name in sys.argv[1:]},
    "CONN_MAX_AGE": default_db.get("CONN_MAX_AGE"),
    "CONN_HEALTH_CHECKS": default_db.get("CONN_HEALTH_CHECKS"),
    "CACHE_BACKEND": s.CACHES["default"]["BACKEND"],
    "STATICFILES_BACKEND": s.STORAGES["staticfiles"]["BACKEND"],
    "CELERY_TASK_ALWAYS_EAGER": s.CELERY_TASK_ALWAYS_EAGER,
    "CELERY_RESULT_BACKEND": s.CELERY_RESULT_BACKEND,
}))
"""


def environment(overrides: dict[str, str]) -> dict[str, str]:
    """This process's environment without its settings variables, plus `overrides`."""
    return {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV} | overrides


def production_env() -> dict[str, str]:
    # A key like an operator generates one: long, random, never the development key.
    return PRODUCTION_ENV | {"SECRET_KEY": secrets.token_urlsafe(64)}


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=environment(env),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def settings_under(env: dict[str, str]) -> dict[str, Any]:
    """The settings module's values when imported with `env`."""
    result = run_python(["-c", DUMP_SETTINGS, *TRANSPORT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout)
    return values


def test_check_deploy_is_clean_with_the_production_env() -> None:
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_flags_a_production_env_without_https() -> None:
    """The clean check above is earned: the same env with http settings is flagged."""
    env = production_env() | {"SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false"}

    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 1
    assert "security.W008" in result.stderr
    assert "security.W012" in result.stderr


def test_production_env_selects_the_production_services() -> None:
    values = settings_under(production_env())

    assert values["CONN_MAX_AGE"] == 60
    assert values["CONN_HEALTH_CHECKS"] is True
    assert values["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["STATICFILES_BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_RESULT_BACKEND"] == "redis://127.0.0.1:6379/0"
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_embedded_defaults_keep_djangos_transport_settings() -> None:
    values = settings_under({})

    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_HTTPONLY"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["CACHE_BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture
def production_transport(settings: Any) -> None:
    """Apply the transport settings a production env produces to this test process."""
    for name, value in settings_under(production_env()).items():
        if name in TRANSPORT_SETTINGS:
            setattr(settings, name, tuple(value) if isinstance(value, list) else value)


@pytest.mark.usefixtures("production_transport")
def test_production_sign_in_sets_secure_http_only_cookies(
    make_user: Callable[..., User], branch: Branch
) -> None:
    make_user(Role.ATTENDANT, [branch], username="atendente")
    client = Client()

    page = client.get("/entrar/", secure=True)
    signed_in = client.post(
        "/entrar/", {"username": "atendente", "password": PASSWORD}, secure=True
    )

    assert page.status_code == 200
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert page.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


@pytest.mark.usefixtures("production_transport")
@pytest.mark.django_db
def test_production_redirects_http_except_the_health_probe() -> None:
    client = Client()

    plain = client.get("/entrar/")
    behind_proxy = client.get("/entrar/", headers={"X-Forwarded-Proto": "https"})
    probe = client.get("/healthz")

    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://testserver/entrar/"
    assert behind_proxy.status_code == 200
    assert probe.status_code == 200
    assert "Location" not in probe.headers


def test_readme_documents_every_environment_variable_of_the_settings() -> None:
    settings_source = (REPO_ROOT / "creditcheck" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', settings_source))
    readme = (REPO_ROOT / "README.md").read_text()

    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CACHE_URL"} <= read
    assert sorted(name for name in read if f"`{name}`" not in readme) == []
