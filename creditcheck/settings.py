"""CreditCheck settings: the one place that reads the environment.

Every value has an embedded default that just works on a laptop (SQLite file, eager Celery,
DEBUG on); production sets SECRET_KEY, DEBUG=false, DATABASE_URL, CELERY_BROKER_URL and
ALLOWED_HOSTS. Operator-editable settings (flags, intervals, costs) live in the database.
"""

import datetime as dt
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def sqlite_database(path: str | Path) -> dict[str, Any]:
    """The embedded database. WAL lets readers work while a query is being stored, and with
    synchronous=NORMAL a commit does not wait for the disk (a crash loses at most the last
    transactions, never the file's integrity)."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }


def database_from_url(url: str) -> dict[str, Any]:
    """Translate postgres://user:password@host:port/name?opt=v or sqlite:///path."""
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL must name the database")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            # Persistent connections (seconds; 0 closes each at the end of its request or task)
            # are checked before reuse, so one dropped by PostgreSQL or a proxy is replaced.
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 0),
            "CONN_HEALTH_CHECKS": env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
        }
    if parts.scheme == "sqlite":
        # sqlite:///relative.db -> path "relative.db"; sqlite:////abs/path.db -> "/abs/path.db"
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        return sqlite_database(path or BASE_DIR / "db.sqlite3")
    raise ImproperlyConfigured(f"Unsupported DATABASE_URL scheme: {parts.scheme!r}")


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is false")
    # Development-only key: never used once DEBUG is off (the check above).
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "creditcheck.core",
    "creditcheck.customers",
    "creditcheck.contracts",
    "creditcheck.crm",
    "creditcheck.analysis",
    "creditcheck.costs",
    "creditcheck.notices",
    "creditcheck.negativation",
    "creditcheck.integrations",
    "creditcheck.compliance",
    "creditcheck.decisions",
    "creditcheck.erp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "creditcheck.core.security_headers.HtmlContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "creditcheck.core.security_headers.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "creditcheck.core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lock page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "creditcheck.urls"
WSGI_APPLICATION = "creditcheck.wsgi.application"
ASGI_APPLICATION = "creditcheck.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": (
        database_from_url(DATABASE_URL)
        if DATABASE_URL
        else sqlite_database(BASE_DIR / "db.sqlite3")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# First the sign-in throttle (refuses any password while locked: creditcheck/core/sign_in.py),
# then Django's ModelBackend with the permission check in one query (creditcheck/core/auth.py).
AUTHENTICATION_BACKENDS = [
    "creditcheck.core.sign_in.SignInLockBackend",
    "creditcheck.core.auth.PermissionsInOneQueryBackend",
]

# Sign-in throttling (django-axes, creditcheck/core/sign_in.py): LOGIN_FAILURE_LIMIT failed
# passwords in a row for one user name, or from one client IP, lock both for
# LOGIN_LOCKOUT_MINUTES (each further failure starts the period again; a successful sign-in
# clears its user's and its IP's count). Counted in Django's cache, so shared through CACHE_URL.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "creditcheck.core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "creditcheck.core.sign_in.lockout_response"
# Its admin screens list database records, which the cache handler does not write.
AXES_ENABLE_ADMIN = False
# No version banner on every manage.py command; failures and locks are still logged.
AXES_VERBOSE = False

LOGIN_URL = "/entrar/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/entrar/"

LANGUAGE_CODE = "pt-br"
LANGUAGES = [("pt-br", "Português (Brasil)")]
TIME_ZONE = "America/Sao_Paulo"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Manifest storage needs collectstatic; only use it where that step runs (production).
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
# Serve static/ straight from the finders whenever DEBUG is on in settings (embedded mode,
# and tests, where Django forces DEBUG off at runtime); production serves collectstatic output.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# LGPD retention: months a credit query keeps the platform's raw payload and stored PDF (the
# query row, its normalized report and the audit trail stay).
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 60)

# Notices by e-mail (creditcheck/notices/email.py): Django's SMTP backend with these values.
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
NOTICE_EMAIL_FROM = env_str("NOTICE_EMAIL_FROM", "cobranca@localhost")
NOTICE_EMAIL_DOMAIN = env_str("NOTICE_EMAIL_DOMAIN", "creditcheck.local")
# True only when EMAIL_HOST is the recipients' own mail server (direct delivery): its
# acceptance is then the proof of delivery (STJ Tema 1.315). Through a relay, delivery must be
# recorded from the provider's receipt.
NOTICE_EMAIL_ACCEPTED_IS_DELIVERED = env_bool("NOTICE_EMAIL_ACCEPTED_IS_DELIVERED", False)

# Set when a reverse proxy you control adds X-Forwarded-For (audit entries record the client IP).
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

# Platform credentials at rest: Fernet keys, newest first (see creditcheck/integrations/secrets.py).
CREDENTIALS_KEYS = env_list("CREDENTIALS_KEYS", [])
# Where the local provider sandboxes listen (python -m providers.sandbox).
PROVIDER_SANDBOX_URL = env_str("PROVIDER_SANDBOX_URL", "http://127.0.0.1:8700")
# Notices by SMS through Zenvia's API v2 (creditcheck/notices/sms.py); the default is the
# local sandbox. Its status callbacks must carry SMS_WEBHOOK_TOKEN (set it in the Zenvia
# subscription's webhook headers); empty, every callback is refused.
SMS_API_URL = env_str("SMS_API_URL", f"{PROVIDER_SANDBOX_URL}/zenvia")
SMS_API_TOKEN = env_str("SMS_API_TOKEN", "sandbox-zenvia-token" if DEBUG else "")
SMS_FROM = env_str("SMS_FROM", "creditcheck")
SMS_WEBHOOK_TOKEN = env_str("SMS_WEBHOOK_TOKEN")
# Seconds to wait for a platform: to connect, and for its answer once the request is sent.
PROVIDER_CONNECT_TIMEOUT = float(env_str("PROVIDER_CONNECT_TIMEOUT", "5"))
PROVIDER_READ_TIMEOUT = float(env_str("PROVIDER_READ_TIMEOUT", "30"))
# Circuit breaker per branch and platform (creditcheck/integrations/circuit.py): consecutive
# outage failures (timeouts, 5xx, unreadable answers) that open it, and seconds it stays open
# before one trial call may go through.
CIRCUIT_FAILURE_THRESHOLD = env_int("CIRCUIT_FAILURE_THRESHOLD", 5)
CIRCUIT_OPEN_SECONDS = env_int("CIRCUIT_OPEN_SECONDS", 60)

# /healthz answers anonymous callers (load balancers) with the status of each part only; staff
# users signed in see the details, and so does anyone when this is on (creditcheck/core/health.py).
HEALTHZ_DETAILS = env_bool("HEALTHZ_DETAILS", False)

# Celery: without a broker, tasks run in-process (embedded mode and the SQLite test tier).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Queues "<prefix>queries", "<prefix>negativations", "<prefix>maintenance" (creditcheck/celery.py).
CELERY_QUEUE_PREFIX = env_str("CELERY_QUEUE_PREFIX", "")
# Without a broker, tasks run in this process on a background thread once the request's
# transaction commits (creditcheck/core/dispatch.py): the platform call never holds a request.
# Off, they run inline in the caller (the SQLite test tier, which reads the outcome at once).
EMBEDDED_BACKGROUND_TASKS = env_bool("EMBEDDED_BACKGROUND_TASKS", True)
# State changes pushed to the screens (creditcheck/core/events.py): Redis pub/sub across
# processes, the broker's Redis unless set; empty (embedded mode): an in-process channel.
EVENTS_REDIS_URL = env_str("EVENTS_REDIS_URL", CELERY_BROKER_URL)
EVENTS_CHANNEL_PREFIX = env_str("EVENTS_CHANNEL_PREFIX", CELERY_QUEUE_PREFIX)
CELERY_TASK_ROUTES = ("creditcheck.celery.route_task",)
# A task is acknowledged only once it ran: a worker that dies mid-task leaves it to another
# worker (each task is safe to run twice: see the services' claim steps). One task at a time per
# worker process, so a slow platform call never holds tasks another process could run.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Seconds before Redis hands an unacknowledged task (its worker vanished) to another worker.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900),
    # A broker that does not answer a connection attempt fails it in 2 s, not the system's
    # minutes: a request storing a query never hangs on it (creditcheck/core/dispatch.py).
    "socket_connect_timeout": 2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    # Each branch's automatic inclusion runs at its own configured hour.
    "negativation-daily-sweep": {
        "task": "creditcheck.negativation.tasks.task_negativation_daily_sweep",
        "schedule": 3600.0,
    },
    # Retries due, notice-period polling and the 5-year expiry.
    "negativation-maintenance": {
        "task": "creditcheck.negativation.tasks.task_negativation_maintenance",
        "schedule": 300.0,
    },
    # The dunning ruler: each step's messages due today, once per invoice and step.
    "notices-dunning-run": {
        "task": "creditcheck.notices.tasks.task_dunning_run",
        "schedule": 3600.0,
    },
    # Superendividamento: negativações of debts in a repayment plan removed on the plan's date.
    "repayment-plan-removals": {
        "task": "creditcheck.negativation.tasks.task_repayment_plan_removals",
        "schedule": 3600.0,
    },
    # Queries cut short by a dead worker closed; queries whose broker message was lost re-sent.
    "credit-query-maintenance": {
        "task": "creditcheck.analysis.tasks.task_credit_query_maintenance",
        "schedule": 60.0,
    },
    # IXCProvedor: each active connection reads what changed since its last sync.
    "erp-ixc-sync": {
        "task": "creditcheck.erp.tasks.task_ixc_sync_all",
        "schedule": 900.0,
    },
    # LGPD retention: raw platform payloads and stored PDFs older than RETENTION_MONTHS.
    "compliance-retention-purge": {
        "task": "creditcheck.compliance.tasks.task_retention_purge",
        "schedule": 86400.0,
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "creditcheck.core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "creditcheck.core.api.exception_handler",
    # JSON nested deeper than the API ever needs is refused, 400 json_too_deep
    # (creditcheck/core/parsers.py); bodies are capped by DATA_UPLOAD_MAX_MEMORY_SIZE (413).
    "DEFAULT_PARSER_CLASSES": [
        "creditcheck.core.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}

# Shared by every process of a deployment (rate limit, platform circuit breakers) when
# CACHE_URL names a Redis; per process (LocMem) in embedded mode.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # A Redis that stops answering fails fast instead of holding requests (and /healthz).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# django-axes warns that a per-process cache cannot share its counts; the embedded mode is one
# process, whose memory sees every sign-in. With CACHE_URL the warning stays on.
SILENCED_SYSTEM_CHECKS = [] if CACHE_URL else ["axes.W001"]

# Credit queries per user (API and screen alike), "<count>/<sec|min|hour|day>": each one costs
# money, so a runaway script or a stuck key stops here. Counted in Django's cache (see CACHES).
CREDIT_QUERY_RATE = env_str("CREDIT_QUERY_RATE", "30/min")
# Seconds a signed payment webhook's timestamp may differ from now (older: refused as a replay).
PAYMENT_WEBHOOK_TOLERANCE_SECONDS = env_int("PAYMENT_WEBHOOK_TOLERANCE_SECONDS", 300)

# The OpenAPI schema (/api/v1/schema/) and its Swagger UI (/api/v1/docs/) need a signed-in user
# unless this opens them to anyone (creditcheck/core/openapi.py).
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", False)

SPECTACULAR_SETTINGS = {
    "TITLE": "CreditCheck API",
    "DESCRIPTION": "Análise de crédito e negativação para provedores de internet.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI assets come from drf-spectacular-sidecar: the app works with no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The removal reason appears as a model field and as a request field: one schema name.
    "ENUM_NAME_OVERRIDES": {
        "RemovalReasonEnum": "creditcheck.negativation.enums.RemovalReason",
        "StateEnum": "creditcheck.core.enums.State",
        "CreditDecisionStateEnum": "creditcheck.decisions.enums.DECISION_STATES",
        "CreditDecisionOutcomeEnum": "creditcheck.decisions.enums.Outcome",
        "InclusionReasonEnum": "creditcheck.negativation.enums.InclusionReason",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # CPF/CNPJ leave the process masked (first group only): see creditcheck/core/logging.py.
    "filters": {"mask_documents": {"()": "creditcheck.core.logging.MaskDocumentsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_documents"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default handlers write request paths ("Not Found: /...", runserver's
        # request lines) unmasked: listing its loggers here replaces those handlers by ours.
        "django": {"level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Transport security ---------------------------------------------------------------------
# With DEBUG=false each setting below defaults to the safe value for a deployment behind a TLS
# proxy (`manage.py check --deploy --fail-level WARNING` is clean); with DEBUG on (embedded mode)
# they keep Django's defaults. An operator may turn one off deliberately: `make prod-local`
# serves plain http on loopback and says why it turns off the https-only ones
# (deploy/prod_local.sh).
# Cookies travel only over https.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# No script reads either cookie: pages take the CSRF token from the template (base.html's
# hx-headers, the forms, Swagger UI), so both can be hidden from scripts.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = not DEBUG
# http:// requests are redirected to https://, except the health probe: load balancers probe
# the app servers directly, over plain http.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Strict-Transport-Security (sent on https responses only): browsers use https alone for a year.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Content-Security-Policy of every HTML page (creditcheck/core/security_headers.py): scripts,
# styles, fonts and requests from our own origin only; no inline script, style="" or eval
# (templates/ have none; htmx's own indicator style is off, see base.html). Images may also be
# data: URIs, which Bootstrap's CSS uses for its form icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Behind a proxy that terminates TLS, Django sees plain http unless it trusts the proxy's
# X-Forwarded-Proto (and SECURE_SSL_REDIRECT would then redirect forever). Only set it when
# the proxy overwrites that header: otherwise any client could claim https.
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
