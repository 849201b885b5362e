"""Settings shared by every environment.

Environment-specific modules import from here and override only what differs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

SRC_DIR = Path(__file__).resolve().parents[3]
PROJECT_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("COMMONGROUND_VAR_DIR", PROJECT_DIR / "var"))
# The embedded database and caches live here; create it so a fresh clone just works.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = False
# Only the local demo settings give the demo's example people a known password.
COMMONGROUND_DEMO_PASSWORDS = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs page from local static files, not a CDN
    "commonground.sources",
    "commonground.imports",
    "commonground.places",
    "commonground.organisations",
    "commonground.api",
    "commonground.web",
    "commonground.accounts",
    "commonground.audit",
    "commonground.money",
    "commonground.commissioning",
    "commonground.partnerships",
    "commonground.profiles",
    "commonground.social_value",
    "commonground.engagement",
    "commonground.sectors",
    "commonground.needs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "commonground.accounts.middleware.ConfirmEmailFirstMiddleware",
    "commonground.web.middleware.RateLimitedMiddleware",
    # After sign-in, so the refusal page knows who is signed in (ADR 0059).
    "commonground.web.middleware.RefuseNulCharactersMiddleware",
    "commonground.api.middleware.RefuseNulCharactersMiddleware",
    "commonground.audit.origin.AuditOriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "commonground.config.urls"
WSGI_APPLICATION = "commonground.config.wsgi.application"

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
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL selects PostgreSQL (ADR 0003).
DEFAULT_SQLITE_PATH = VAR_DIR / "commonground.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# Persistent connections (production keeps them by default) are checked before their first
# use in each request, so one broken by a database restart is replaced, not used: no request
# fails for it and the app needs no restart.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while an import writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (commonground.accounts): Django's User with the email address as the username.
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:account"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Common Ground <no-reply@localhost>"
)
PASSWORD_RESET_TIMEOUT = 3600  # an hour: long enough to find the email, short if it leaks
ACCOUNTS_LOCKOUT_FAILURES = 5  # failed sign-ins for one email address ...
ACCOUNTS_LOCKOUT_IP_FAILURES = 5  # ... or from one IP address ...
ACCOUNTS_LOCKOUT_MINUTES = 15  # ... within this many minutes lock it for this long
# How many reverse proxies we run in front of the app; their X-Forwarded-For entries are trusted
# for the client's IP address (lockout, audit). 0: use the connection's address.
COMMONGROUND_TRUSTED_PROXIES = int(os.environ.get("COMMONGROUND_TRUSTED_PROXIES", "0"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Where the data-source catalogue reads files from when there is no internet:
# a folder laid out like ../shared/data (see commonground.sources).
_default_mirror = PROJECT_DIR.parent / "shared" / "data"
COMMONGROUND_DATA_MIRROR = os.environ.get(
    "COMMONGROUND_DATA_MIRROR", str(_default_mirror) if _default_mirror.is_dir() else ""
)
# Where fetched files are cached when downloading from the publishers.
COMMONGROUND_DOWNLOAD_DIR = Path(os.environ.get("COMMONGROUND_DOWNLOAD_DIR", VAR_DIR / "downloads"))

# Content Security Policy: no inline script anywhere (django-csp 4 format).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": '{"time": "%(asctime)s", "level": "%(levelname)s", '
            '"logger": "%(name)s", "message": "%(message)s"}'
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The place the home page starts from (ONS GSS code): Trafford, the demo place.
COMMONGROUND_DEMO_PLACE = os.environ.get("COMMONGROUND_DEMO_PLACE", "E08000009")

# Uploaded files (partnership documents, social value evidence, conversation documents) are
# kept outside the static and web roots and only ever served through a view that checks
# permissions and sends safe headers (commonground.core.uploads).
UPLOADS_ROOT = Path(os.environ.get("COMMONGROUND_UPLOADS_ROOT", VAR_DIR / "uploads"))
UPLOAD_MAX_BYTES = 10 * 1024 * 1024

# Counters that must be shared by every web process (rate limits, sign-in lockout) live in the
# cache: Redis when REDIS_URL is set (several processes or machines), otherwise files under
# VAR_DIR, which every process on this machine shares. Public pages and derived public data
# (commonground.core.page_cache) have a cache of their own beside it, so that filling it can
# never push a lockout counter out.
CACHES: dict[str, dict[str, Any]]
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("COMMONGROUND_CACHE_KEY_PREFIX", ""),
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("COMMONGROUND_CACHE_KEY_PREFIX", "") + "pages",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "page-cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
# How long a public page or derived figure is kept at most (seconds; 0: never cached). Any
# change to public data through an import or a link review makes pages fresh at once; this
# bounds the rest (ADR 0012).
COMMONGROUND_PAGE_CACHE_SECONDS = int(os.environ.get("COMMONGROUND_PAGE_CACHE_SECONDS", "600"))
