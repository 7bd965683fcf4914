"""Kurasi settings: one module, read from environment variables (12-factor).

Defaults are for a developer's machine (SQLite, local files, console e-mail). Production sets
``DEBUG=false`` and must then provide ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``;
with ``DEBUG`` off the security settings below are those ``manage.py check --deploy`` expects.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

from config.s3 import s3_storages

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
    "axes",  # login throttling: failed attempts per account and address
    "csp",  # Content-Security-Policy header
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
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PreferredLanguageMiddleware",
    "config.middleware.RefuseNulInUrlMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into its page
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytic queries, not for a web page's: at 200,000
    # applications it added about 1.6 s to the permit board's 3.4 s query (EXPLAIN ANALYZE), as
    # the page queries' estimated costs pass the JIT threshold (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

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
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginThrottleBackend",  # first: refuses a locked-out account
    "accounts.backends.UsernameOrEmailBackend",
]
# django-axes: after LOGIN_FAILURE_LIMIT wrong passwords for one account from one address, that
# pair is refused for LOGIN_COOLOFF_MINUTES; a successful login clears the count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Quiet on start-up: every cron-run management command would otherwise mail its banner.
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "accounts.backends.login_identity"
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"

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

# Photos and documents are private: the "private" storage has no public URL, and a view hands
# a file out only after an object-level permission check. With STORAGE_BACKEND=s3 both storages
# live in S3-compatible object storage (config/s3.py); the view then redirects to a signed URL
# that expires after PRIVATE_FILE_URL_EXPIRE seconds (the browser follows it at once) instead of
# streaming the bytes. AWS_QUERYSTRING_EXPIRE is the lifetime of any other signed URL.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    STORAGES = s3_storages(
        bucket_name=env("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=env("AWS_S3_ENDPOINT_URL", default=None),
        region_name=env("AWS_S3_REGION_NAME", default=None),
        access_key=env("AWS_ACCESS_KEY_ID", default=None),
        secret_key=env("AWS_SECRET_ACCESS_KEY", default=None),
        querystring_expire=env.int("AWS_QUERYSTRING_EXPIRE", default=300),
        signature_version=env("AWS_S3_SIGNATURE_VERSION", default="s3v4"),
    )
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
PRIVATE_FILE_URL_EXPIRE = env.int("PRIVATE_FILE_URL_EXPIRE", default=60)

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

# Working days staff have to verify a submitted vendor before the vendor queue shows it overdue
# (vendors belong to no programme, so this is not a programme setting; see vendors/deadlines.py).
VENDOR_REVIEW_WORKING_DAYS = env.int("VENDOR_REVIEW_WORKING_DAYS", default=5)

# Background work through the Django Tasks API (the django-tasks backport on Django 5.2): by
# default queued in the database and run by `manage.py db_worker` (django-tasks-db), so no
# request waits for a mail server. Tests run tasks at once after the commit (tests/conftest.py);
# TASKS_BACKEND=config.tasks.ImmediateAfterCommitBackend does the same without a worker.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The whole request body, files included (config.middleware.RequestSizeLimitMiddleware → 413):
# room for several phone photos in one upload.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=64 * 1024 * 1024)

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
# A login lasts one working day and ends with the browser (officers share office computers).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating reverse proxy, HTTPS is known only from the header the proxy sets;
# trust it only then, or any client could claim HTTPS. PROXY_COUNT proxies append to
# X-Forwarded-For (the login throttle reads the client address from it).
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Content-Security-Policy (django-csp): scripts, styles and everything else from Kurasi's own
# origin only — no inline script, no style attributes, no framing. Photos may also come from
# the object store (its origin is added for STORAGE_BACKEND=s3; CSP_EXTRA_IMG_SRC adds more,
# e.g. a CDN in front of the bucket).
_img_sources = ["'self'", *env.list("CSP_EXTRA_IMG_SRC", default=[])]
if STORAGE_BACKEND == "s3":
    _bucket = env("AWS_STORAGE_BUCKET_NAME")
    _endpoint = urlsplit(env("AWS_S3_ENDPOINT_URL", default=""))
    if _endpoint.netloc:  # path-style or virtual-hosted URLs of an S3-compatible server
        _img_sources += [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://{_bucket}.{_endpoint.netloc}",
        ]
    else:
        _region = env("AWS_S3_REGION_NAME", default="")
        _img_sources.append(f"https://{_bucket}.s3.amazonaws.com")
        if _region:
            _img_sources.append(f"https://{_bucket}.s3.{_region}.amazonaws.com")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": _img_sources,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# History is evidence: the admin may show it but never revert to an old version.
SIMPLE_HISTORY_REVERT_DISABLED = True
