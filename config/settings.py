"""Kurasi settings: one module, read from environment variables (12-factor).

Defaults are for a developer's machine (SQLite, local files, console e-mail). Production sets
``DEBUG=false`` and must then provide ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``;
with ``DEBUG`` off the security settings below are those ``manage.py check --deploy`` expects.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    # A development-only key: production refuses to start without its own SECRET_KEY.
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-kurasi-do-not-use-in-production")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_filters",
    "django_fsm",  # its admin templates: the transition buttons and reason forms
    "accounts",
    "audit",
    "regions",
    "vendors",
    "curation",
    "certification",
    "catalogue",
    "notifications",
    "dashboard",
    "django_tasks",
    "django_tasks_db",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "accounts.context_processors.roles",
                "curation.context_processors.curation",
                "certification.context_processors.certification",
                "notifications.context_processors.notifications",
            ],
            "builtins": ["config.templatetags"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameOrEmailBackend"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Photos and documents are private: the "private" storage has no public URL, and files are
# streamed by a view after an object-level permission check. With STORAGE_BACKEND=s3 both
# storages live in S3-compatible object storage (django-storages) instead.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    _s3_common = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "access_key": env("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
        "file_overwrite": False,
    }
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3_common,
                "location": "public",
                "querystring_auth": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000"},
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3_common,
                "location": "private",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
            },
        },
    }
else:
    STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT / "public", "base_url": f"/{MEDIA_URL}public/"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT / "private", "base_url": None},
        },
    }
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEBUG
    else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
}

# Upload limits for photos (see vendors/images.py).
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=12 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
PHOTO_MAX_PER_PRODUCT = env.int("PHOTO_MAX_PER_PRODUCT", default=10)
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)

# The catalogue feed (docs/catalogue-feed.md): page sizes, and how long a change waits before it
# is served, so that a transaction committing late cannot land behind a cursor.
CATALOGUE_FEED_PAGE_SIZE = env.int("CATALOGUE_FEED_PAGE_SIZE", default=100)
CATALOGUE_FEED_MAX_PAGE_SIZE = env.int("CATALOGUE_FEED_MAX_PAGE_SIZE", default=500)
CATALOGUE_FEED_SETTLE_SECONDS = env.int("CATALOGUE_FEED_SETTLE_SECONDS", default=2)

# Background work through the Django Tasks API (the django-tasks backport on Django 5.2): by
# default queued in the database and run by `manage.py db_worker` (django-tasks-db), so no
# request waits for a mail server. Tests run tasks at once (tests/conftest.py);
# TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend does the same without a worker.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Kurasi <no-reply@kurasi.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in e-mails point; e-mails are sent by background tasks, which have no request.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The system user named in history and audit rows for work done by commands and tasks.
SYSTEM_USERNAME = "system"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# History is evidence: the admin may show it but never revert to an old version.
SIMPLE_HISTORY_REVERT_DISABLED = True
