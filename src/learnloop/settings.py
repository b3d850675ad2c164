"""LearnLoop settings: one module, read from environment variables only.

Every value a deployment may change comes from the environment through the small typed
helpers below; nothing exists only in production settings.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("LEARNLOOP_DATA_DIR", "./var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
TESTING = "pytest" in sys.modules or env_bool("LEARNLOOP_TESTING")


def _secret_key() -> str:
    """Use SECRET_KEY when set; otherwise generate one once and keep it in the data dir."""
    if key := env_str("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NETWORK_NAME = env_str("LEARNLOOP_NETWORK_NAME", "LearnLoop")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",
    "learnloop.core",
    "learnloop.people",
    "learnloop.generation",
    "learnloop.consolidation",
    "learnloop.capture",
    "learnloop.sharing",
    "learnloop.application",
    "learnloop.measures",
    "learnloop.value",
    "learnloop.health",
    "learnloop.community",
    "learnloop.network",
    "learnloop.notifications",
    "learnloop.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "learnloop.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "learnloop.urls"
WSGI_APPLICATION = "learnloop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learnloop.core.context_processors.network",
                "learnloop.notifications.context_processors.unread",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "learnloop.core.templatetags.learnloop",
                "django.contrib.humanize.templatetags.humanize",
            ],
        },
    }
]

# Database: PostgreSQL when DATABASE_URL is set, else an SQLite file in the data directory.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "learnloop.sqlite3"),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE avoids
                # "database is locked" upgrades from read to write transactions.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every app server); else files in the data
# directory, so that rate limits and cached pages hold across gunicorn workers.
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Files in the data directory: shared by every gunicorn worker on this machine.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Rendered pages are kept per viewer for this long at most (see core/pagecache.py); 0 = off.
PAGE_CACHE_SECONDS = env_int("LEARNLOOP_PAGE_CACHE_SECONDS", 0 if TESTING else 60)

AUTH_USER_MODEL = "people.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("LEARNLOOP_MEDIA_DIR", str(DATA_DIR / "media"))).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_ATTACHMENT_BYTES = env_int("LEARNLOOP_MAX_ATTACHMENT_MB", 50) * 1024 * 1024

# Email through Django's email framework: console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "LearnLoop <learnloop@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work through the django-tasks API; the database backend runs in
# `learnloop worker`, the immediate backend in tests.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING or env_bool("LEARNLOOP_TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Security. Everything here holds in every environment; HTTPS-only settings follow
# LEARNLOOP_HTTPS so that a plain-HTTP demo on 127.0.0.1 still works.
HTTPS = env_bool("LEARNLOOP_HTTPS", not DEBUG and SITE_URL.startswith("https://"))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "learnloop.core.views.ratelimited"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]
if not HTTPS:
    # A plain-HTTP install (the demo, a machine on a closed network) cannot use HTTPS-only
    # cookies; with LEARNLOOP_HTTPS on, check --deploy is clean without silencing anything.
    SILENCED_SYSTEM_CHECKS += [
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
    ]

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
API_PAGE_SIZE = 50
INVITATION_DAYS = env_int("LEARNLOOP_INVITATION_DAYS", 14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
AUTHENTICATION_BACKENDS = ["learnloop.people.backends.UsernameOrEmailBackend"]

# Decisions members take together: defaults a proposal may change.
DECISION_QUORUM = env_int("LEARNLOOP_DECISION_QUORUM", 5)
DECISION_THRESHOLD = env_int("LEARNLOOP_DECISION_THRESHOLD", 66)
DECISION_DAYS = env_int("LEARNLOOP_DECISION_DAYS", 7)
# Tasks `learnloop worker` queues on its own every few minutes (see core/.../worker.py).
PERIODIC_TASKS: list[str] = [
    "learnloop.consolidation.tasks.close_due_decisions",
    "learnloop.consolidation.tasks.send_routine_reminders",
    "learnloop.community.meeting_tasks.send_meeting_reminders",
    "learnloop.notifications.tasks.send_due_digests",
    "learnloop.network.tasks.network_refresh",
    "learnloop.search.tasks.apply_search_changes",
    "learnloop.search.tasks.prune_search_changes",
    "learnloop.search.tasks.refresh_search_statistics",
    "learnloop.search.semantic_tasks.semantic_refresh",
]

# Search: "auto" ranks with Tantivy when its index is ready and falls back to the database's
# own full-text search (SQLite FTS5, PostgreSQL tsvector); "native" or "tantivy" force one.
SEARCH_ENGINE = env_str("LEARNLOOP_SEARCH_ENGINE", "auto")
# The semantic layer: "auto" uses sentence embeddings when the `semantic` extra is installed,
# else a TF-IDF/SVD model fitted on the network's own text. EMBEDDING_MODEL is a local path.
SEMANTIC_MODEL = env_str("LEARNLOOP_SEMANTIC_MODEL", "auto")
EMBEDDING_MODEL = env_str("LEARNLOOP_EMBEDDING_MODEL", "")
