"""Django settings for Trappen. Everything that differs between places comes from the environment.

TRAPPEN_ENV: `demo` (default), `test` or `production`.
DATABASE_URL: the database; SQLite in `db.sqlite3` when unset.
SECRET_KEY, TRAPPEN_FIELD_KEY: required in production; the demo writes its own into `.env`.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from trappen.envfile import load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
if os.environ.get("TRAPPEN_ENV") != "production":
    # The demo's generated keys; production takes its secrets from the real environment only.
    load_env_file(BASE_DIR / ".env")

TRAPPEN_ENV = os.environ.get("TRAPPEN_ENV", "demo")
if TRAPPEN_ENV not in {"demo", "test", "production"}:
    raise ImproperlyConfigured("TRAPPEN_ENV must be demo, test or production")
PRODUCTION = TRAPPEN_ENV == "production"
DEMO = TRAPPEN_ENV == "demo"
TESTING = TRAPPEN_ENV == "test"

# Keys for tests and an unconfigured demo only; production refuses to start without real ones.
_INSECURE_SECRET = "insecure-demo-and-test-secret-key-not-for-production-use-0123456789"  # noqa: S105
_INSECURE_FIELD_KEY = "ZGVtby1hbmQtdGVzdC1maWVsZC1rZXktbm90LXJlYWw="


def _required_in_production(name: str, fallback: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when TRAPPEN_ENV=production")
    return fallback


SECRET_KEY = _required_in_production("SECRET_KEY", _INSECURE_SECRET)
# Fernet keys for personal data at rest; the first encrypts, all decrypt (rotation).
TRAPPEN_FIELD_KEYS = _required_in_production("TRAPPEN_FIELD_KEY", _INSECURE_FIELD_KEY).split(",")
# HMAC key for CPR look-up hashes; kept apart from the field keys so they can rotate alone.
TRAPPEN_LOOKUP_KEY = _required_in_production("TRAPPEN_LOOKUP_KEY", _INSECURE_SECRET + "-lookup")

DEBUG = os.environ.get("TRAPPEN_DEBUG") == "1" and not PRODUCTION
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# Only synthetic CPR numbers (day of month + 60) outside production.
TRAPPEN_ALLOW_REAL_CPR = PRODUCTION
# Staff must pass a TOTP second factor in production.
TRAPPEN_REQUIRE_2FA = PRODUCTION or os.environ.get("TRAPPEN_REQUIRE_2FA") == "1"
# Days on which the municipality's offices are closed beyond public holidays (ISO dates).
TRAPPEN_CLOSING_DAYS = [
    d.strip() for d in os.environ.get("TRAPPEN_CLOSING_DAYS", "").split(",") if d.strip()
]
TRAPPEN_LETTER_CHANNEL = os.environ.get(
    "TRAPPEN_LETTER_CHANNEL", "trappen.core.letters.channels.OutboxChannel"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "trappen.core",
    "trappen.people",
    "trappen.early",
    "trappen.notifications",
    "trappen.cases",
    "trappen.voice",
    "trappen.offers",
    "trappen.portal",
    "trappen.strategy",
    "trappen.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "trappen.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trappen.core.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "trappen.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trappen.urls"
WSGI_APPLICATION = "trappen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "trappen" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trappen.core.context_processors.trappen",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; a busy wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "trappen.core.backends.TrappenModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "trappen" / "static"]
# Only the built front-end assets from npm, under the same URLs as their packages' dist folders.
for _package in ("dkfds", "htmx.org"):
    if (BASE_DIR / "node_modules" / _package / "dist").exists():
        STATICFILES_DIRS.append(
            (f"vendor/{_package}/dist", BASE_DIR / "node_modules" / _package / "dist")
        )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Sessions: 30 minutes idle, 10 hours at most (the hard limit is enforced in middleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
TRAPPEN_SESSION_MAX_SECONDS = 10 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "trappen.core.views.errors.csrf_failure"  # Danish, no request details
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Throttling of failed logins per user and address, with a cool-off (no permanent lock-out).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_ENABLED = os.environ.get("AXES_ENABLED", "1") == "1"

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend"
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_cpr": {"()": "trappen.core.logging.RedactCprFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_cpr"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Data upload limits: big enough for any real form, small enough to refuse abuse.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
