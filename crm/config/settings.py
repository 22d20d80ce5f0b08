"""Settings of the accompaniment CRM, read from the environment (see README, "Configuration")."""

import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from crm.config.env import (
    cache_config,
    database_config,
    email_config,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_str,
    secret_key,
    storage_config,
)
from crm.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = secret_key(debug=DEBUG, dev_key_file=VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must list the site's host names when DEBUG is off "
        "(for example ALLOWED_HOSTS=crm.example.fr)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "crm.apps.CrmAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Search lookups and index expressions (OpClass); inert on SQLite (crm.search).
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crm",
    "contacts",
    "followups",
    "reports",
    "crm.documents",
    "crm.portal",
    "crm.devtools",
]

MIDDLEWARE = [
    # First: the request id and the timing cover every other layer.
    "crm.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "crm.security.sessions.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "crm.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language saved on the account (after the user is known).
    "crm.core.middleware.AccountLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: views answer an htmx request with the fragment it swaps.
    "django_htmx.middleware.HtmxMiddleware",
    # After the language (its message is French) and before any view reads the query.
    "crm.core.middleware.ControlCharactersMiddleware",
    "crm.security.sessions.SessionLifetimeMiddleware",
    "crm.security.sessions.TwoFactorRequiredMiddleware",
    # Entrepreneurs (crm.portal) reach their space only: any other page answers 404.
    "crm.portal.middleware.EntrepreneurSeparationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes last, so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crm.config.urls"
WSGI_APPLICATION = "crm.config.wsgi.application"
ASGI_APPLICATION = "crm.config.asgi.application"

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
                "crm.core.context_processors.navigation",
                "crm.branding.context_processors.brand",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL", "sqlite:///var/db.sqlite3"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "crm.User"
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "crm:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first, English available; dates shown as 27/11/2026, Paris time.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE={LANGUAGE_CODE!r} must be one of: fr, en.")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE={TIME_ZONE!r} is not a known time zone (for example Europe/Paris)."
    ) from None
USE_I18N = True
# Dates and numbers by language: 27/11/2026 in French, 27 Nov 2026 in English
# (crm/core/formatting.py formats amounts and hours with them).
FORMAT_MODULE_PATH = ["crm.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    # Attachments (crm.documents): the local disk under VAR_DIR by default, an S3-compatible
    # object store with STORAGE_URL=s3://bucket?endpoint_url=…&region=… (several servers).
    "documents": storage_config(env_str("STORAGE_URL"), location=VAR_DIR / "documents"),
}

# One cache for every worker (the public form's rate limit and single-use tokens, the
# dashboard's figures): locmem:// serves one process only, redis:// is shared.
CACHES = {"default": cache_config(env_str("CACHE_URL", "locmem://"))}

_email = email_config(env_str("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email.pop("EMAIL_BACKEND")
globals().update(_email)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CRM ESS <ne-pas-repondre@localhost>")
# The address the app is reached at, for the absolute links of its e-mails
# (crm.core.mail.absolute_url): commands and background tasks have no request to ask.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, got {SITE_URL!r}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("", address) for address in env_list("ADMINS")]

# Sessions end after SESSION_COOKIE_AGE of inactivity: a request pushes the expiry back
# (and renews the cookie) when the last push is older than SESSION_TOUCH_SECONDS
# (crm.security.sessions.SessionLifetimeMiddleware), not on every request, which would write to
# the database on every page view.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
SESSION_TOUCH_SECONDS = 60
# ...and whatever the activity, a session ends this long after its login
# (crm.security.sessions.SessionLifetimeMiddleware).
SESSION_ABSOLUTE_AGE = env_int("SESSION_ABSOLUTE_AGE", 12 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A refused form gets a French page in the layout (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "crm.security.views.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The client's address (crm.security.network.client_address, used by login throttling, the
# public form's rate limit and the access log). Behind BEHIND_PROXY, X-Forwarded-For is read
# only from a peer in TRUSTED_PROXIES, and only its TRUSTED_PROXY_COUNT right-most entries,
# the ones written by our proxies: anything further left was sent by the client.
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
if BEHIND_PROXY and TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be at least 1 when BEHIND_PROXY=1.")
if not BEHIND_PROXY and TRUSTED_PROXY_COUNT:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} needs BEHIND_PROXY=1 (or leave it unset)."
    )
TRUSTED_PROXIES = env_networks(
    "TRUSTED_PROXIES",
    ["127.0.0.0/8", "::1", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # A load balancer probes /healthz over plain HTTP on the server's own port.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling (django-axes): a user is locked out after AXES_FAILURE_LIMIT failures
# from the same address only, so nobody can lock out a colleague from elsewhere. An
# administrator unlocks in the admin ("Axes" > access attempts: delete the line).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
# The same client address as the rest of the app (see TRUSTED_PROXY_COUNT above).
AXES_CLIENT_IP_CALLABLE = "crm.security.network.client_address"

# Two-factor authentication (django-otp, TOTP): optional; when on, officers and
# administrators must enrol before using the CRM.
OTP_REQUIRED_FOR_OFFICERS = env_bool("OTP_REQUIRED_FOR_OFFICERS", default=False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "CRM ESS")

# Content Security Policy (django-csp 4): only our own files, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Uploads (imports, attachments): at most MAX_UPLOAD_SIZE bytes, checked by
# crm.core.uploads.validate_upload; kept in MEDIA_ROOT (outside the static root), never served.
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 10 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file on disk
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_SIZE + 1024 * 1024  # the file plus the form
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Attachments are scanned by ClamAV's daemon when this names its socket (unix path, or
# tcp://host:3310); unset, the upload page says files are not scanned.
CLAMD_SOCKET = env_str("CLAMD_SOCKET")
# The public company directory (API "Recherche d'entreprises", no key needed), to fill an
# organisation from its SIRET or SIREN (contacts.sirene): for example
# https://recherche-entreprises.api.gouv.fr. Empty, the feature is off (no network).
SIRENE_API_URL = env_str("SIRENE_API_URL").rstrip("/")
SIRENE_TIMEOUT_SECONDS = env_int("SIRENE_TIMEOUT_SECONDS", 5, minimum=1)

# Access log retention: crm.AccessEvent lines older than this are deleted by
# `manage.py purge_access_log` (run daily by cron).
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 365, minimum=30)
# Retention of personal data (contacts.gdpr.retention, `manage.py retention_run` daily): once
# a period is over, the person is anonymised, after the archives service approved the
# elimination list (Code du patrimoine L212-2/3).
# A registration never followed up (a prospect): 3 years after the last contact, the
# CNIL's rule for prospects.
RETENTION_PROSPECT_DAYS = env_int("RETENTION_PROSPECT_DAYS", 3 * 365, minimum=30)
# An accompanied project (or a call winner): the accompaniment, then 3 years after the exit
# (design.md: "beneficiaries, the accompaniment plus 3 years").
RETENTION_BENEFICIARY_DAYS = env_int("RETENTION_BENEFICIARY_DAYS", 3 * 365, minimum=30)
# A rejected application: the 2-month period for an appeal to the administrative court
# (recours contentieux, CJA R421-1) plus a month for late notifications and appeals filed.
RETENTION_REJECTED_APPLICATION_DAYS = env_int("RETENTION_REJECTED_APPLICATION_DAYS", 92, minimum=61)
# How far ahead the retention page looks, so an officer can extend a record in time.
RETENTION_NOTICE_DAYS = env_int("RETENTION_NOTICE_DAYS", 90, minimum=1)
# Dashboard figures are kept this long per scope, period and filters (0: no cache); a new
# record drops them (reports.selectors.dashboard.data_version) once they are older than
# REPORTS_FRESH_SECONDS, so that many writes recompute them at most once a minute.
REPORTS_CACHE_SECONDS = env_int("REPORTS_CACHE_SECONDS", 300, minimum=0)
REPORTS_FRESH_SECONDS = env_int("REPORTS_FRESH_SECONDS", 60, minimum=0)
# On PostgreSQL the figures are computed over three database connections at once
# (reports.selectors.dashboard._side_by_side); 0 computes them one after the other.
REPORTS_PARALLEL_QUERIES = env_bool("REPORTS_PARALLEL_QUERIES", True)
# SQLite ignores an index's INCLUDE columns (the dashboard's covering index on meetings);
# the index still works there, only PostgreSQL reads the figures from it alone.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# The body's letterhead, in the header and on every PDF, when the branding page
# (/branding/, officers) leaves a field empty. Read through a cache for this many seconds.
BRAND_NAME = env_str("BRAND_NAME", "")  # empty: "Accompagnement ESS", translated
BRAND_ADDRESS = env_str("BRAND_ADDRESS", "")
BRAND_SIGNATORY_NAME = env_str("BRAND_SIGNATORY_NAME", "")
BRAND_SIGNATORY_TITLE = env_str(
    "BRAND_SIGNATORY_TITLE", "Le service de l'économie sociale et solidaire"
)
# The body's colour ("#rrggbb", readable on white) when the branding page sets none.
BRAND_COLOUR = env_str("BRAND_COLOUR", "")
if BRAND_COLOUR:
    from crm.core import colours

    if not colours.HEX.match(BRAND_COLOUR) or colours.contrast(BRAND_COLOUR, "#ffffff") < 4.5:
        raise ImproperlyConfigured(
            f"BRAND_COLOUR={BRAND_COLOUR!r} must be #rrggbb with a 4.5:1 contrast on white."
        )
BRANDING_CACHE_SECONDS = env_int("BRANDING_CACHE_SECONDS", 300, minimum=0)
# The largest logo accepted on the branding page (PNG or JPEG), in bytes.
BRAND_LOGO_MAX_SIZE = env_int("BRAND_LOGO_MAX_SIZE", 1024 * 1024, minimum=10 * 1024)

# Data protection officer shown on every form that collects personal data.
DPO_CONTACT = env_str("DPO_CONTACT", "dpo@example.fr")

# Public registration form (/inscription/): anti-abuse limits and who hears of new entries.
# Seconds a human needs at least to fill the form; faster submissions are refused.
REGISTRATION_MIN_SECONDS = env_int("REGISTRATION_MIN_SECONDS", 5)
# At most REGISTRATION_RATE_LIMIT submissions per address per REGISTRATION_RATE_WINDOW seconds.
REGISTRATION_RATE_LIMIT = env_int("REGISTRATION_RATE_LIMIT", 5, minimum=1)
REGISTRATION_RATE_WINDOW = env_int("REGISTRATION_RATE_WINDOW", 3600, minimum=1)
# Addresses told of each new registration; empty means every active officer.
REGISTRATION_NOTIFY_EMAILS = env_list("REGISTRATION_NOTIFY_EMAILS")

# LOG_FORMAT=json: one JSON object a line for a log collector; every line carries the
# request's id (X-Request-ID), and each request writes one line (crm.core.logs).
LOGGING = logging_config(
    log_format=env_choice("LOG_FORMAT", ["text", "json"], "text"),
    level=env_choice("LOG_LEVEL", ["DEBUG", "INFO", "WARNING", "ERROR"], "INFO"),
)

# Imports: the largest spreadsheet an officer may upload (bytes).
IMPORT_MAX_UPLOAD_SIZE = env_int("IMPORT_MAX_UPLOAD_SIZE", 20 * 1024 * 1024, minimum=1024)
# Background tasks (django-tasks): "immediate" runs each task inside the request that asks
# for it (development, tests, `make run`: no worker needed); "database" queues it in the
# database for `manage.py db_worker` (production: large imports never hit a request timeout).
TASKS_BACKEND = env_choice("TASKS_BACKEND", ["immediate", "database"], "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASKS_BACKEND == "database":
    # The queue's table (`migrate` creates it) and its admin pages, only where it is used.
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks") + 1, "django_tasks_db")
# /healthz answers 503 when a task ready to run has waited longer than this for a worker.
HEALTH_TASK_MAX_AGE_SECONDS = env_int("HEALTH_TASK_MAX_AGE_SECONDS", 900, minimum=1)
# Files up to this many rows are previewed and imported inside the request even with the
# database backend (a few seconds at most); larger ones go to the worker, with progress.
IMPORT_INLINE_MAX_ROWS = env_int("IMPORT_INLINE_MAX_ROWS", 1000, minimum=0)
# What one spreadsheet may hold, checked before it is parsed (crm.core.uploads and
# crm.importing.reading): a 300 KB XLSX can expand to gigabytes, thousands of columns make
# the mapping page unusable, a 5 MB cell is no spreadsheet value.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200, minimum=1)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 20_000, minimum=100)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int(
    "IMPORT_MAX_UNCOMPRESSED_BYTES", 40 * 1024 * 1024, minimum=1024 * 1024
)
# A preview running longer than this stops with a message (the file is too large for one
# go); one still "en cours" after IMPORT_STUCK_MINUTES (a worker stopped) can be cancelled
# or started again from its page.
IMPORT_PREVIEW_TIMEOUT_SECONDS = env_int("IMPORT_PREVIEW_TIMEOUT_SECONDS", 600, minimum=1)
IMPORT_STUCK_MINUTES = env_int("IMPORT_STUCK_MINUTES", 30, minimum=1)
# A confirmed import can be undone for this many days (crm.importing.undo).
IMPORT_UNDO_DAYS = env_int("IMPORT_UNDO_DAYS", 7, minimum=1)
# Follow-ups: a project with no meeting for this many days is flagged; an action overdue
# by more than ACTION_ESCALATION_DAYS is reported to the project's officer.
STALE_PROJECT_DAYS = env_int("STALE_PROJECT_DAYS", 60, minimum=1)
ACTION_ESCALATION_DAYS = env_int("ACTION_ESCALATION_DAYS", 14, minimum=1)

# REST API (/api/v1/, crm.api): personal tokens (`Authorization: Token <key>`) or the
# session, cursor pagination, each token throttled to API_THROTTLE_RATE requests
# ("<number>/<second|minute|hour|day>"). API_OPEN_DATA publishes the anonymous aggregated
# endpoint /api/v1/open-data/projects/ (projects by commune, stage and year).
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "1000/hour")
if not re.fullmatch(r"[1-9]\d*/(second|minute|hour|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"API_THROTTLE_RATE={API_THROTTLE_RATE!r} must read like 1000/hour "
        "(a number, then second, minute, hour or day)."
    )
API_OPEN_DATA = env_bool("API_OPEN_DATA", default=False)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials gets 401 and WWW-Authenticate.
        "crm.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["crm.api.permissions.SignedIn"],
    "DEFAULT_THROTTLE_CLASSES": ["crm.api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "crm.api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "crm.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CRM ESS API",
    "DESCRIPTION": "Read the CRM and write what you own, under your user's access rules.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several models, named once in the schema.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "crm.models.projects.Stage",
        "StatusEnum": "crm.models.projects.Status",
        "ExitReasonEnum": "crm.models.projects.ExitReason",
    },
}
