"""Django settings for Regulars: every value from the environment (see regulars/env.py).

Defaults suit one machine: SQLite in WAL mode and a generated secret key, both under
REGULARS_VAR_DIR (./var). Production sets DATABASE_URL (PostgreSQL), ALLOWED_HOSTS and
REGULARS_BASE_URL; docs/deployment.md lists every variable.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url

from regulars.env import SettingError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("REGULARS_VAR_DIR", "var")).resolve()


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated on first start and kept in VAR_DIR."""
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address of this installation: webhook URLs shown to merchants and links in messages.
BASE_URL = (env_str("REGULARS_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    # Serves the Swagger UI of /api/docs from the installed package instead of a CDN.
    "ninja",
    # E-mail providers' back-ends and their delivery, bounce and complaint webhooks.
    "anymail",
    "regulars.core",
    "regulars.commerce",
    "regulars.insights",
    "regulars.promotions",
    "regulars.messaging",
    "regulars.journeys",
    "regulars.feedback",
    "regulars.dashboard",
    "regulars.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "regulars.urls"
WSGI_APPLICATION = "regulars.wsgi.application"

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


def _database() -> dict:
    url = env_str("DATABASE_URL")
    if url:
        try:
            config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        except Exception as exc:
            raise SettingError(f"DATABASE_URL cannot be parsed: {exc}") from exc
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.update(ENGINE=_SQLITE_ENGINE, OPTIONS=_SQLITE_OPTIONS, TEST=_SQLITE_TEST)
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": _SQLITE_ENGINE,
        "NAME": VAR_DIR / "regulars.sqlite3",
        "OPTIONS": _SQLITE_OPTIONS,
        "TEST": _SQLITE_TEST,
        # Keep connections open: opening one and running its PRAGMAs on every request costs
        # more than most requests.
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
    }


# WAL lets the web processes read while the worker writes; IMMEDIATE transactions take the
# write lock up front so two writers queue instead of failing mid-transaction, and our backend
# (core/sqlite/base.py) queues them on a file lock rather than SQLite's sleeping busy handler.
_SQLITE_ENGINE = "regulars.core.sqlite"
_SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        " PRAGMA busy_timeout=20000;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
# Tests run on an in-memory database, as Django does for its own SQLite engine; said outright
# because test runners (pytest-django under xdist) recognise SQLite by the engine's name only.
_SQLITE_TEST = {"NAME": ":memory:"}

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }.get(
            env_str("REGULARS_TASKS", "database") or "database", "django_tasks_db.DatabaseBackend"
        ),
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# E-mail (docs/email.md): REGULARS_EMAIL_PROVIDER is "smtp" (the default), "file" (written to
# VAR_DIR/mail, nothing sent) or an e-mail provider that django-anymail supports.
_ANYMAIL_PROVIDERS = (
    "amazon_ses",
    "brevo",
    "mailersend",
    "mailgun",
    "mailjet",
    "mailtrap",
    "mandrill",
    "postal",
    "postmark",
    "resend",
    "scaleway",
    "sendgrid",
    "sparkpost",
    "unisender_go",
)


def _email_backend() -> str:
    provider = (env_str("REGULARS_EMAIL_PROVIDER") or "smtp").strip().lower()
    if provider == "smtp":
        return "django.core.mail.backends.smtp.EmailBackend"
    if provider == "file":
        return "django.core.mail.backends.filebased.EmailBackend"
    if provider in _ANYMAIL_PROVIDERS:
        return f"anymail.backends.{provider}.EmailBackend"
    raise SettingError(
        f"REGULARS_EMAIL_PROVIDER={provider!r} is not an e-mail provider; use smtp, file or one "
        f"of {', '.join(_ANYMAIL_PROVIDERS)}"
    )


def _anymail_settings() -> dict:
    """Every ANYMAIL_<NAME> variable as ANYMAIL["<NAME>"], the names anymail documents
    (ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET, ...); <NAME>_FILE reads a file.
    true/false and JSON objects or lists are decoded (a few anymail settings are not text)."""
    result = {}
    names = {name.removesuffix("_FILE") for name in os.environ if name.startswith("ANYMAIL_")}
    for name in sorted(names - {"ANYMAIL", "ANYMAIL_"}):
        raw = (env_str(name) or "").strip()
        if raw in ("true", "false") or raw.startswith(("{", "[")):
            try:
                value = json.loads(raw)
            except ValueError as exc:
                raise SettingError(f"{name} is not valid JSON: {exc}") from exc
        else:
            value = raw
        result[name.removeprefix("ANYMAIL_")] = value
    return result


EMAIL_BACKEND = _email_backend()
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise SettingError("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on; pick one")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shop@localhost")
ANYMAIL = _anymail_settings()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "dashboard:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "dashboard:login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("th", "ไทย"), ("hy", "Հայերեն")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only for `collectstatic` behind a separate web server; WhiteNoise needs no copy.
STATIC_ROOT = env_str("STATIC_ROOT") or None
# Serve app static files straight from the installed package: no collectstatic step for `make run`.
WHITENOISE_USE_FINDERS = True
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "regulars.dashboard.staticfinders.PlotlyFinder",
]
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if BASE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("REGULARS_MAX_BODY_BYTES", 10 * 1024 * 1024)

# Requests per minute allowed for one API key (JSON API); 0 switches the limit off.
REGULARS_API_RATE_LIMIT = env_int("REGULARS_API_RATE_LIMIT", 600)
# The public reviews (JSON, widget, testimonials; docs/feedback.md): requests per minute per
# client address in each web process (0 = off), and how long an answer is cached.
REGULARS_REVIEWS_PUBLIC_RATE_LIMIT = env_int("REGULARS_REVIEWS_PUBLIC_RATE_LIMIT", 600)
REGULARS_REVIEWS_CACHE_SECONDS = env_int("REGULARS_REVIEWS_CACHE_SECONDS", 60)

# Hosts that outbound webhooks (messaging's webhook channel, the coupon webhook) may reach
# although they resolve to a private or loopback address, e.g. a receiver on the company
# network (core/outbound.py). Comma-separated host names or addresses.
REGULARS_OUTBOUND_ALLOWED_HOSTS = [
    host.lower() for host in env_list("REGULARS_OUTBOUND_ALLOWED_HOSTS", [])
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
