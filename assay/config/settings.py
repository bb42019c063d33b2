"""One settings module, driven by environment variables.

SQLite (WAL) in ``ASSAY_DATA_DIR`` by default; PostgreSQL when ``DATABASE_URL`` is set.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from assay.config.production import (
    proxy_ssl_header,
    refuse_unsafe_production,
    secret_key_from,
)
from assay.config.storage_env import evidence_storage

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("ASSAY_DEBUG", default=False)
# ASSAY_PRODUCTION=1: the installation faces the world. Settings then refuse to load (the server
# does not start) without a secret key of its own and the host names to answer to; cookies are
# secure and HSTS is on (docs/deploy.md). assay/config/production.py says what is missing.
PRODUCTION = env_bool("ASSAY_PRODUCTION", default=False)
SECRET_KEY = secret_key_from(os.environ)
ALLOWED_HOSTS = env_list(
    "ASSAY_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
if PRODUCTION:
    refuse_unsafe_production(SECRET_KEY, ALLOWED_HOSTS, DEBUG)
DATA_DIR = Path(os.environ.get("ASSAY_DATA_DIR", PROJECT_DIR / "data"))
# SQLite needs its folder; whitenoise warns when STATIC_ROOT is missing.
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)

# The one clock (assay/clock.py): pin "today" for demos and tests, e.g. 2013-03-01.
ASSAY_TODAY = os.environ.get("ASSAY_TODAY", "")
# Default period of registration for a new candidate, in months (capped by the
# qualification's last certification date). Centres see and document it.
ASSAY_REGISTRATION_MONTHS = int(os.environ.get("ASSAY_REGISTRATION_MONTHS", "24"))
# Evidence files (assay/files/storage.py): the largest accepted upload in bytes (2 GiB by
# default: audio or video of a professional discussion) and the media types accepted, as sniffed
# from the content. CSV content sniffs as text/plain; Word/Excel files as their own types (a
# .docx/.xlsx is recognised inside its zip; any other zip is refused).
ASSAY_EVIDENCE_MAX_BYTES = int(os.environ.get("ASSAY_EVIDENCE_MAX_BYTES", str(2 * 1024**3)))
ASSAY_EVIDENCE_TYPES = env_list(
    "ASSAY_EVIDENCE_TYPES",
    "application/pdf,image/jpeg,image/png,image/gif,image/webp,text/plain,text/csv,"
    "audio/mpeg,audio/mp4,audio/x-wav,audio/wav,audio/ogg,"
    "video/mp4,video/quicktime,video/webm,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/msword,application/vnd.ms-excel",
)
# Request bodies (assay/web/upload_limits.py): any request may carry at most
# ASSAY_REQUEST_MAX_BYTES (5 MiB); a signed-in POST to an evidence upload endpoint up to
# ASSAY_EVIDENCE_MAX_BYTES plus that. Larger bodies are refused with 413 before they are read.
ASSAY_REQUEST_MAX_BYTES = int(os.environ.get("ASSAY_REQUEST_MAX_BYTES", str(5 * 1024**2)))
FILE_UPLOAD_HANDLERS = [
    "assay.web.upload_limits.LimitedUploadHandler",  # first: stops a file at its limit
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "assay.files.uploads.InspectingUploadHandler",  # spools to disk, hashing as it writes
]
# Upload temporary files (Django's and store_upload's) in a folder the app owns, on the same
# disk as MEDIA_ROOT (storing is then one hard link of Django's temporary file). `assay files
# sweep` (also run by `assay serve` at start) removes files there older than
# ASSAY_UPLOAD_TEMP_MAX_AGE_MINUTES: what a killed server left behind.
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp-uploads")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
ASSAY_UPLOAD_TEMP_MAX_AGE_MINUTES = float(os.environ.get("ASSAY_UPLOAD_TEMP_MAX_AGE_MINUTES", "60"))

# Email (notifications, witness links): the backend by its dotted path — the console in
# development, e.g. django.core.mail.backends.smtp.EmailBackend in production (tests use
# locmem). ASSAY_SITE_URL makes the absolute links in notification emails.
EMAIL_BACKEND = os.environ.get(
    "ASSAY_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("ASSAY_FROM_EMAIL", "Assay <assay@localhost>")
EMAIL_HOST = os.environ.get("ASSAY_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ASSAY_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ASSAY_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ASSAY_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ASSAY_EMAIL_TLS", default=False)
ASSAY_SITE_URL = os.environ.get("ASSAY_SITE_URL", "http://localhost:8000")

# Credentials (docs/credentials.md, ADR 0017): the Ed25519 signing key from ASSAY_CREDENTIAL_KEY
# (read from the environment when used, never copied here) or else from the key file, generated
# on first use; and the name the issuer profile gives.
ASSAY_CREDENTIAL_KEY_FILE = os.environ.get("ASSAY_CREDENTIAL_KEY_FILE", "")
ASSAY_CREDENTIAL_ISSUER_NAME = os.environ.get("ASSAY_CREDENTIAL_ISSUER_NAME", "Assay awarding body")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "assay.records",
    "assay.jobs",
    "assay.accounts",
    "assay.catalogue",
    "assay.centres",
    "assay.registrations",
    "assay.portfolios",
    "assay.reviews",
    "assay.appeals",
    "assay.progress",
    "assay.notifications",
    "assay.audits",
    "assay.eqa",
    "assay.verification",
    "assay.credentials",
    "assay.membership",
    "assay.claims",
    "assay.web",
]

MIDDLEWARE = [
    # First: probes answer before the host check and the HTTPS redirect (assay/config/health.py).
    "assay.config.middleware.ProbeMiddleware",
    "assay.config.middleware.RequestIdMiddleware",  # X-Request-ID; one log line per request
    "django.middleware.security.SecurityMiddleware",
    "assay.config.middleware.PrivateHeadersMiddleware",  # no-store when private; Permissions-Policy
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a code given this session
    # Before any process_view reads the body (the CSRF check does): 413 for oversized bodies.
    "assay.web.upload_limits.BodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Staff who must give a second factor reach only the enrolment and code pages until they do.
    "assay.accounts.two_factor.TwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lockout into the lockout page
    "assay.config.middleware.StorageErrorMiddleware",  # evidence store down: 503, not 500
]

ROOT_URLCONF = "assay.config.urls"
WSGI_APPLICATION = "assay.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assay.web.context_processors.notifications",
                "assay.web.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the embedded default; WAL lets readers go on while one writer writes; IMMEDIATE takes
# the write lock at BEGIN (a deferred read-then-write cannot wait for it), and a writer waits up to
# SQLITE_BUSY_TIMEOUT seconds for it (Python's default 5 s gave "database is locked" under load).
_sqlite_path = DATA_DIR / "assay.sqlite3"
SQLITE_BUSY_TIMEOUT = 30
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(_sqlite_path),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": SQLITE_BUSY_TIMEOUT,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (OpenID Connect) to existing accounts only; inert unless configured.
    "assay.accounts.sso.SsoBackend",
]
# Login throttling (django-axes): 5 wrong passwords for one username from one address pause
# sign-in for that pair for an hour; the friendly page is registration/locked_out.html.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# API tokens (POST /api/v1/auth/login, `assay token create`): a new token lives
# ASSAY_TOKEN_DAYS days unless asked otherwise, never more than ASSAY_TOKEN_MAX_DAYS.
ASSAY_TOKEN_DAYS = int(os.environ.get("ASSAY_TOKEN_DAYS", "30"))
ASSAY_TOKEN_MAX_DAYS = int(os.environ.get("ASSAY_TOKEN_MAX_DAYS", "365"))

# Two-factor sign-in (django-otp, TOTP; docs/accounts.md, ADR 0024): ASSAY_REQUIRE_2FA=1 makes
# staff (centre administrators, IQA, EVs, certifying-body staff, the awarding body and operator)
# give a code from an authenticator app after signing in, on the web and for API tokens.
ASSAY_REQUIRE_2FA = env_bool("ASSAY_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = os.environ.get("ASSAY_2FA_ISSUER", "Assay")
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds, doubled after each wrong code in a row (django-otp)
OTP_STATIC_THROTTLE_FACTOR = 1
# Single sign-on through OpenID Connect (mozilla-django-oidc; docs/accounts.md): on when a
# client id is set. Endpoints come from the issuer's discovery document (or
# ASSAY_OIDC_DISCOVERY_URL), each may be given instead; ASSAY_OIDC_TRUST_MFA=1 lets the
# provider's "amr" claim stand for the second factor.
ASSAY_OIDC_CLIENT_ID = os.environ.get("ASSAY_OIDC_CLIENT_ID", "")
ASSAY_OIDC_CLIENT_SECRET = os.environ.get("ASSAY_OIDC_CLIENT_SECRET", "")
ASSAY_OIDC_ISSUER = os.environ.get("ASSAY_OIDC_ISSUER", "")
ASSAY_OIDC_DISCOVERY_URL = os.environ.get("ASSAY_OIDC_DISCOVERY_URL", "")
ASSAY_OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("ASSAY_OIDC_AUTHORIZATION_ENDPOINT", "")
ASSAY_OIDC_TOKEN_ENDPOINT = os.environ.get("ASSAY_OIDC_TOKEN_ENDPOINT", "")
ASSAY_OIDC_USERINFO_ENDPOINT = os.environ.get("ASSAY_OIDC_USERINFO_ENDPOINT", "")
ASSAY_OIDC_JWKS_ENDPOINT = os.environ.get("ASSAY_OIDC_JWKS_ENDPOINT", "")
ASSAY_OIDC_PROVIDER_NAME = os.environ.get("ASSAY_OIDC_PROVIDER_NAME", "your organisation")
ASSAY_OIDC_SCOPES = os.environ.get("ASSAY_OIDC_SCOPES", "openid email")
ASSAY_OIDC_SIGN_ALGO = os.environ.get("ASSAY_OIDC_SIGN_ALGO", "RS256")
ASSAY_OIDC_TIMEOUT = float(os.environ.get("ASSAY_OIDC_TIMEOUT", "10"))
ASSAY_OIDC_TRUST_MFA = env_bool("ASSAY_OIDC_TRUST_MFA", default=False)
OIDC_CREATE_USER = False  # never: a sign-on reaches an existing account or nothing
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "me"  # each role's own home, or a chooser (assay.web.homes)
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded files (evidence) on the local disk; never served as static files: downloads go
# through views that check who may see them.
MEDIA_ROOT = DATA_DIR / "media"
# The anchor log: every chain head, appended after each commit. Keep it where the database's
# account cannot write (docs/records.md); a restored or rewritten database is checked against it.
ASSAY_ANCHOR_LOG = Path(os.environ.get("ASSAY_ANCHOR_LOG", DATA_DIR / "anchors.log"))
# ASSAY_STORAGE=s3 (and ASSAY_S3_*) puts evidence and reports on S3-compatible object storage
# instead (assay/config/storage_env.py, docs/uploads.md).
STORAGES = {
    "default": evidence_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Background work (docs/jobs.md): Django's tasks API through the django-tasks backport. The
# database backend keeps the queue in Assay's own database (SQLite needs nothing more) and
# ``assay worker`` runs it; "immediate" runs each task at once inside the process that queues
# it (no worker: the test suite, a one-person trial). ASSAY_NIGHTLY_AS names the account the
# nightly jobs act as (an awarding-body superuser); unset, the worker schedules none.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_TASK_BACKEND = os.environ.get("ASSAY_TASKS_BACKEND", "database")
if _TASK_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"ASSAY_TASKS_BACKEND={_TASK_BACKEND!r}: use one of {', '.join(_TASK_BACKENDS)}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_TASK_BACKEND], "QUEUES": ["default", "email"]}}
ASSAY_NIGHTLY_AS = os.environ.get("ASSAY_NIGHTLY_AS", "")
# A running job whose worker has not written a heartbeat for this long (the start and each
# progress step) was left by a worker that stopped: the worker fails it with the reason.
ASSAY_JOB_STALL_SECONDS = int(os.environ.get("ASSAY_JOB_STALL_SECONDS", str(30 * 60)))
# Bulk imports with more rows than this run in the worker; smaller ones at once.
ASSAY_IMPORT_BACKGROUND_ROWS = int(os.environ.get("ASSAY_IMPORT_BACKGROUND_ROWS", "500"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
# Behind a reverse proxy that ends TLS: the header it sets and the value meaning "https", e.g.
# ASSAY_PROXY_SSL_HEADER="X-Forwarded-Proto: https" (the proxy must overwrite it, never pass a
# client's own). Unset: Django trusts only the connection itself.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("ASSAY_PROXY_SSL_HEADER", ""))
CSRF_TRUSTED_ORIGINS = env_list("ASSAY_CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers probe these over plain HTTP; they answer before the redirect (and the host
# check, assay/config/middleware.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("ASSAY_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("ASSAY_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ASSAY_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("ASSAY_HSTS_PRELOAD", default=True)

# Content-Security-Policy (django-csp): scripts and styles from this site only — no inline code
# but what carries the page's nonce ({{ request.csp_nonce }}), no eval, no plugins, no framing.
# htmx is configured not to inject its own <style> (web/base.html) and never evaluates code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Logs: one JSON object per line on stderr with the request's id (assay/config/logs.py);
# ASSAY_LOG_FORMAT=text for a plain line. ASSAY_ACCESS_LOG=0 drops the line per request.
LOG_FORMAT = os.environ.get("ASSAY_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "assay.config.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "assay.config.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "text" if LOG_FORMAT == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("ASSAY_LOG_LEVEL", "WARNING")},
    "loggers": {
        "assay.request": {
            "level": "INFO" if env_bool("ASSAY_ACCESS_LOG", default=True) else "WARNING"
        },
    },
}
