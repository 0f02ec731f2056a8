"""Fugong's one settings module, configured by environment variables (see docs/ARCHITECTURE.md).

Every variable is read through ``fugong.lib.env``, which stops start-up with a message naming the
variable when its value cannot be used.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from fugong.lib.env import (
    ConfigError,
    database_config,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
)

BASE_DIR = Path(__file__).resolve().parent
TESTING = "pytest" in sys.modules or os.environ.get("FUGONG_TESTING") == "1"

FUGONG_HOME = env_path("FUGONG_HOME", Path.cwd() / "var")
FUGONG_HOME.mkdir(parents=True, exist_ok=True)
DEBUG = env_bool("FUGONG_DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("FUGONG_SECRET_KEY", "").strip()
    if key:
        if len(key) < 32:
            raise ConfigError("FUGONG_SECRET_KEY must be at least 32 characters long.")
        return key
    if not (DEBUG or TESTING):
        raise ConfigError(
            "FUGONG_SECRET_KEY is required when FUGONG_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'; "
            "for the demo's database, whose key is kept in FUGONG_HOME, set FUGONG_DEBUG=1)."
        )
    path = FUGONG_HOME / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Key for personal-data field encryption and keyed look-up hashes; derived from SECRET_KEY
# unless given separately (rotate the secret key without losing data by setting this).
FIELD_KEY = os.environ.get("FUGONG_FIELD_KEY", "").strip() or SECRET_KEY

ALLOWED_HOSTS = env_list("FUGONG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("FUGONG_CSRF_TRUSTED_ORIGINS", [])

_default_db = f"sqlite:///{FUGONG_HOME / 'fugong.sqlite3'}"
_db_var = "FUGONG_DATABASE_URL"
_db_url = os.environ.get(_db_var) or _default_db
if TESTING and os.environ.get("FUGONG_TEST_DATABASE_URL"):
    _db_var = "FUGONG_TEST_DATABASE_URL"
    _db_url = os.environ[_db_var]
DATABASES = {"default": database_config(_db_url, name=_db_var)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The covering indexes' INCLUDE columns serve PostgreSQL's check-in reads; SQLite keeps the
    # index without them, as intended (migrate warned on every run of the demo).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = os.environ.get("FUGONG_CACHE_URL", "").strip()
if _cache_url:
    if not _cache_url.startswith(("redis://", "rediss://")):
        raise ConfigError(f"FUGONG_CACHE_URL={_cache_url!r}: use redis://host:port/db.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a worker may keep the policy in force without asking again. A saved version clears the
# cache, but a process-local cache only in the process that saved it: the other workers (and the
# job worker) then see the change within these seconds.
POLICY_CACHE_SECONDS = 300 if _cache_url else 5

# Background work: "inline" runs a job at once in the caller (tests), "db" stores jobs in the
# database for the worker that `fugong demo` / `fugong serve` start, "celery" hands them to Celery.
# Dotted paths of extra notification channels (SMS, WeCom, DingTalk); checked at start-up by
# fugong.notifications (a path that does not import stops the process, naming this variable).
NOTIFY_CHANNELS = env_list("FUGONG_NOTIFY_CHANNELS", [])
TASKS_BACKEND = env_choice(
    "FUGONG_TASKS", "inline" if TESTING else "db", ("inline", "db", "celery")
)
BROKER_URL = os.environ.get("FUGONG_BROKER_URL", "").strip()
if TASKS_BACKEND == "celery" and not BROKER_URL.startswith(("redis://", "amqp://", "pyamqp://")):
    raise ConfigError("FUGONG_BROKER_URL must be redis://… or amqp://… when FUGONG_TASKS=celery.")
SERVE_WORKERS = env_int("FUGONG_WORKERS", 0, minimum=0)  # 0: chosen from the CPU count
# Threads per worker: 4 keeps a worker serving while slow phones send their requests; 1 (sync
# workers) suits a buffering proxy in front (nginx), and takes the most check-ins per core.
SERVE_THREADS = env_int("FUGONG_THREADS", 4, minimum=1)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # the API docs page then serves Swagger UI from the package, not from a CDN
    "fugong.geo",
    "fugong.accounts",
    "fugong.orgs",
    "fugong.people",
    "fugong.audit",
    "fugong.policy",
    "fugong.jobs",
    "fugong.notifications",
    "fugong.health",
    "fugong.resumption",
    "fugong.appeals",
    "fugong.portal",
    "fugong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fugong.portal.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fugong.portal.middleware.ContentSecurityPolicyMiddleware",
    "fugong.api.json_errors_middleware",
]

ROOT_URLCONF = "fugong.urls"
WSGI_APPLICATION = "fugong.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fugong.portal.context.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Failed logins: after this many failures for one username (or one address) within the window,
# further attempts are refused until the window passes.
LOGIN_FAILURE_LIMIT = env_int("FUGONG_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW = env_int("FUGONG_LOGIN_FAILURE_WINDOW", 900, minimum=1)
# Logins and the check-in link's identity check count failures per username or person (the ID
# number's last characters typed, the phone number typed) up to LOGIN_FAILURE_LIMIT, and per
# address only up to this ceiling against abuse: a factory's staff log in and check in from one
# address (the gate's Wi-Fi, a carrier's NAT).
ADDRESS_FAILURE_LIMIT = env_int("FUGONG_ADDRESS_FAILURE_LIMIT", 10 * LOGIN_FAILURE_LIMIT, minimum=1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = FUGONG_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploads live outside any served folder and are only handed out by views that check scope.
MEDIA_ROOT = FUGONG_HOME / "uploads"
UPLOAD_MAX_BYTES = env_int("FUGONG_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("FUGONG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Inline style attributes are allowed (bars and charts are sized in the template); inline
# scripts are not: there are none.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"fugong": {"level": "INFO" if not TESTING else "WARNING"}},
}
