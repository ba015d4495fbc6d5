"""CASPA's only settings module, read from the environment.

DJANGO_ENV picks the kind of place we run in:
  production (the default)  safe values; SECRET_KEY and ALLOWED_HOSTS must be given
  demo                      `make demo`: SQLite, console e-mail, fictional data banner
  development               like demo, with Django's debug pages
  test                      the test suite (`make test`)

DATABASE_URL (e.g. postgres://user@host:5432/caspa) selects PostgreSQL; without it we use
an embedded SQLite file. REDIS_URL is Celery's broker; without it tasks run in-process.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENTS = ("production", "demo", "development", "test")
ENV = os.environ.get("DJANGO_ENV", "production")
if ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(f"DJANGO_ENV must be one of {', '.join(ENVIRONMENTS)}, not {ENV!r}")
PRODUCTION = ENV == "production"
DEMO = ENV in ("demo", "development")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "caspa-insecure-key-for-demo-and-tests-only-" + "x" * 20
    )

DEBUG = ENV == "development"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_htmx",
    "caspa.core",
    "caspa",
    "accounts",
    "audit",
    "referrals",
    "panel",
    "actions",
    "dashboard",
]
if not PRODUCTION:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so that static files are cached and nothing else is (docs/privacy.md).
    "caspa.core.privacy.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Saves the session only when the idle timer needs it (accounts/sessions.py).
    "accounts.sessions.IdleTimerMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Where the request came from, for every read it records (docs/read-audit.md).
    "audit.middleware.ReadOriginMiddleware",
    # Which device, if any, proved the second factor this session (django-otp's middleware,
    # reading it with the user); then our door, which sends a signed-in user who has not proved
    # it to enrol or verify (docs/two-factor.md).
    "accounts.two_factor.SecondFactorMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes last, as its documentation asks, so that it sees the final response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "caspa.urls"
WSGI_APPLICATION = "caspa.wsgi.application"

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
                "caspa.context_processors.service",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite's default (deferred) transactions fail concurrent writers with "database is locked";
# IMMEDIATE takes the write lock at BEGIN so writers queue instead
# (docs/engineering-notes.md, "The cap under concurrency").
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "caspa.sqlite3"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if ENV == "test":
        # The suite's commits need not wait for the disk: a crash of the test server loses
        # only a test run (docs/engineering-notes.md, "Test speed").
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user's agency with them and asking no permission
    # rows for anyone but the admin's staff (docs/performance.md).
    "accounts.backends.PasswordBackend",
    "accounts.backends.RoleBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENV == "test":
    # Argon2 is slow on purpose: MD5 first in tests, and one test proves production uses
    # argon2 (docs/engineering-notes.md, "Test speed"). Argon2 still checks existing hashes.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:signed_out"

# Guardian's anonymous user would need an agency; nobody anonymous sees anything here.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

# Idle timeout: a session lasts 30 minutes from the last request, and the page says so.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Not on every request: accounts/sessions.py saves it at most once a minute (docs/performance.md).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout: five wrong passwords for one username from one address locks it for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = os.environ.get("AXES_ENABLED", "true").lower() == "true"
# Log ids, not the usernames people type (which may be someone's name or e-mail).
AXES_VERBOSE = False
# Masked in what axes stores and logs: axes's own two, and the security code (a wrong one counts
# toward the same lock, docs/two-factor.md).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# Two-factor sign-in: a code from an authenticator app (TOTP) or a single-use backup code after
# the password. Required for every role in production, where it cannot be turned off; the demo
# and the test suite sign in with a password alone unless told otherwise (docs/two-factor.md).
TWO_FACTOR_REQUIRED = (
    os.environ.get("TWO_FACTOR_REQUIRED", "true" if PRODUCTION else "false").lower() == "true"
)
if PRODUCTION and not TWO_FACTOR_REQUIRED:
    raise ImproperlyConfigured("TWO_FACTOR_REQUIRED cannot be turned off in production")
TWO_FACTOR_BACKUP_CODES = 10
# The name the authenticator app shows beside the code.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "CASPA")

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "caspa.views.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# No inline script and no eval anywhere: every script is a file we serve.
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
    },
}

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
# collectstatic is for production; elsewhere whitenoise reads the finders directly.
STATIC_ROOT = BASE_DIR / "var" / "static" if PRODUCTION else None
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # GOV.UK Frontend's scripts and images come from its npm package, never copied in.
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production whitenoise serves straight from the finders: no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "caspa@localhost")
# Links in e-mails must be absolute; this is the address people reach the service at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Seconds to wait on the mail server before giving up (Django's default waits forever).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# --- The outbox: every e-mail is a row first, then claimed and sent (caspa/core/outbox.py) ---
# A claim older than this is void and the message is sent by a later sweep: it must be much
# longer than sending a batch takes (a batch stops at half of it).
OUTBOX_CLAIM_LEASE = timedelta(seconds=env_int("OUTBOX_CLAIM_LEASE_SECONDS", 600))
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 50)
# A failed send is not tried again before OUTBOX_RETRY_BASE, then twice that after each further
# failure, up to OUTBOX_RETRY_MAX.
OUTBOX_RETRY_BASE = timedelta(seconds=float(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", 60)))
OUTBOX_RETRY_MAX = timedelta(seconds=env_int("OUTBOX_RETRY_MAX_SECONDS", 3600))
# /health/ says "degraded", and logs an error, when the reminder sweep has not run for this
# long or more messages than this wait unsent (docs/operations.md).
HEALTH_SWEEP_LATE_AFTER = timedelta(minutes=env_int("HEALTH_SWEEP_LATE_AFTER_MINUTES", 30))
HEALTH_OUTBOX_BACKLOG = env_int("HEALTH_OUTBOX_BACKLOG", 500)
# The domain in each message's fixed Message-ID header: the service's own host by default.
OUTBOX_MESSAGE_ID_DOMAIN = os.environ.get(
    "OUTBOX_MESSAGE_ID_DOMAIN", urlsplit(SITE_URL).hostname or "localhost"
)

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
# With no Redis (the demo) tasks run in-process when queued; see the README. The test suite
# runs them in-process too, except the Celery tests, which start a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or ENV == "test"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# A publish (the outbox's nudge after a decision, beat's tick) connects once: without
# max_retries 0 kombu retries the connection for the whole timeout, holding each decision's
# page for 6 s while Redis is down. Workers reconnect in a loop of their own
# (docs/resilience.md).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_TIMEZONE = TIME_ZONE

# --- Logging: ids and links only, never a person's details -----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # axes logs every sign-in at INFO; failures and lockouts are WARNING and still shown.
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks would log every e-mail they send into the demo's terminal.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}

# --- Actions: when overdue actions escalate, and when reminders go -----------------------------
ACTION_ESCALATE_TO_SPOC_AFTER_DAYS = env_int("ACTION_ESCALATE_TO_SPOC_AFTER_DAYS", 7)
ACTION_ESCALATE_TO_CHAIR_AFTER_DAYS = env_int("ACTION_ESCALATE_TO_CHAIR_AFTER_DAYS", 14)
ACTION_REMIND_DAYS_BEFORE_DUE = env_int("ACTION_REMIND_DAYS_BEFORE_DUE", 3)

# --- The panel: agencies' returns before each meeting, and reviews ----------------------------
# Working days (bank holidays in England excluded) before a meeting that returns are asked for.
PANEL_RETURNS_WORKING_DAYS = env_int("PANEL_RETURNS_WORKING_DAYS", 5)
# Weeks after a review that the next one falls, unless the panel sets a date.
PANEL_REVIEW_EVERY_WEEKS = env_int("PANEL_REVIEW_EVERY_WEEKS", 4)
# Months after a case closes that the agencies involved still read it, for the handover; after
# them only the coordinator's staff and the agency taking it on (docs/access-after-closure.md).
CASE_ACCESS_AFTER_CLOSURE_MONTHS = env_int("CASE_ACCESS_AFTER_CLOSURE_MONTHS", 3)

# --- The read audit (docs/read-audit.md) ----------------------------------------------------
# Proxies in front of the service that append to X-Forwarded-For and are trusted to: 0 means
# the connection's own address is the reader's.
AUDIT_PROXY_COUNT = env_int("AUDIT_PROXY_COUNT", 0)
# A user's usual day is the median of the days they read anything in this many days before
# today; today is unusual when its distinct records reach FACTOR times that, and MINIMUM.
AUDIT_USUAL_READS_DAYS = env_int("AUDIT_USUAL_READS_DAYS", 28)
AUDIT_UNUSUAL_READS_FACTOR = env_int("AUDIT_UNUSUAL_READS_FACTOR", 3)
AUDIT_UNUSUAL_READS_MINIMUM = env_int("AUDIT_UNUSUAL_READS_MINIMUM", 50)
# Years after a person's last case closes before the coordinator reviews their records for
# anonymising (docs/subject-access-and-retention.md).
RETENTION_YEARS_AFTER_CLOSURE = env_int("RETENTION_YEARS_AFTER_CLOSURE", 6)

# --- The service ----------------------------------------------------------------------------
SERVICE_NAME = "CASPA"
# The banner saying all data is fictional shows everywhere but production.
SHOW_DEMO_BANNER = not PRODUCTION
FORM_RENDERER = "caspa.core.forms.GovukFormRenderer"
