"""Django settings. Everything that differs between machines comes from the environment.

ZHIBU_DATABASE_URL  database (default: SQLite file under ZHIBU_DATA_DIR)
ZHIBU_DATA_DIR      where the SQLite database and uploaded files live (default: ./var)
ZHIBU_SECRET_KEY    Django secret key (default: the file `secret_key` in the data folder)
ZHIBU_ENCRYPTION_KEYS  comma-separated Fernet keys for ID numbers and phones, the first encrypts
                    (default: the file `encryption_keys` in the data folder)
ZHIBU_PRODUCTION    "1": never generate keys (they come from the environment or `zhibu init-keys`)
ZHIBU_HTTPS         "1": served over HTTPS behind a proxy that sets X-Forwarded-Proto
ZHIBU_CACHE_URL     optional redis://host:port/db for the cache (default: the database)
ZHIBU_DEBUG         "1" for debug pages
ZHIBU_ALLOWED_HOSTS comma-separated host names
ZHIBU_BASE_URL      public address phones open, e.g. https://zhibu.example.edu.cn (sign-in QR codes, notices)
ZHIBU_NOTIFY_WEBHOOK_URL  optional: notifications also go to this webhook (企业微信 robot, SMS gateway) as JSON
"""
import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zhibu.core import keys

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ZHIBU_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("ZHIBU_DEBUG", "0") == "1"
PRODUCTION = os.environ.get("ZHIBU_PRODUCTION", "0") == "1" and not DEBUG
# Keys: from the environment, else from files in the data folder (generated on first start outside
# production). `zhibu init-keys` may run before they exist.
try:
    SECRET_KEY, ENCRYPTION_KEYS = keys.load(DATA_DIR, generate=not PRODUCTION)
except keys.MissingKeys as exc:
    if sys.argv[1:2] != ["init-keys"]:
        raise ImproperlyConfigured(str(exc)) from None
    SECRET_KEY, ENCRYPTION_KEYS = "", []
ALLOWED_HOSTS = [h for h in os.environ.get("ZHIBU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "zhibu.core",
    "zhibu.orgs",
    "zhibu.workdays",
    "zhibu.approvals",
    "zhibu.plans",
    "zhibu.orglife",
    "zhibu.development",
    "zhibu.dues",
    "zhibu.rectify",
    "zhibu.orglifemeeting",
    "zhibu.review",
    "zhibu.study",
    "zhibu.openness",
    "zhibu.assessment",
    "zhibu.elections",
    "zhibu.integrity",
    "zhibu.commend",
    "zhibu.yearend",
    "zhibu.care",
    "zhibu.membership",
    "zhibu.stats",
    "zhibu.notices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhibu.orgs.middleware.ForcePasswordChangeMiddleware",  # a reset password is changed first
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhibu.core.idempotency.OnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zhibu.urls"
WSGI_APPLICATION = "zhibu.wsgi.application"

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
                "zhibu.orgs.context_processors.navigation",
            ],
            "builtins": ["zhibu.core.templatetags.zhibu"],  # |zh and the other filters on every page
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("ZHIBU_DATABASE_URL", f"sqlite:///{DATA_DIR / 'zhibu.sqlite3'}"),
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent writers never see "database is locked": WAL lets readers run beside the writer, a
    # write transaction takes the lock when it starts (IMMEDIATE: no deadlock on upgrading a read
    # lock), and a waiting writer retries for up to 20 s.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too (an in-memory shared-cache database reports "table is locked" at once
    # instead of waiting), so the concurrency tests see what production sees.
    # One file per test process (parallel runs never share it); removed when the run ends.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"zhibu-test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's validators with Chinese messages (zhibu.core.passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhibu.core.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "zhibu.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "zhibu.core.passwords.CommonPasswordValidator"},
    {"NAME": "zhibu.core.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "orgs:start"
LOGOUT_REDIRECT_URL = "core:login"

# Sessions expire: after 8 hours (a working day), and when the browser closes.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Login throttling (zhibu.core.throttle, counted in the database): after this many attempts that
# were not successful for one user name within the window, further attempts are refused until the
# window passes; one address gets a much higher ceiling (a school behind one NAT address).
LOGIN_FAILURE_LIMIT = 5
LOGIN_ADDRESS_LIMIT = 100
LOGIN_FAILURE_WINDOW = 15 * 60
CSRF_FAILURE_VIEW = "zhibu.core.views.csrf_failure"

# HTTPS (ZHIBU_HTTPS=1): served by a proxy (nginx, docs/DEPLOY.md) that terminates TLS and sets
# X-Forwarded-Proto; cookies only over HTTPS, HSTS for a year, plain HTTP redirected.
HTTPS = os.environ.get("ZHIBU_HTTPS", "0") == "1"
# Behind that proxy the client's address is the last X-Forwarded-For entry (zhibu.core.forms.client_address).
TRUSTED_PROXY = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline code anywhere (htmx is vendored; its own inline indicator style is off, see base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = "zh-hans"
# Django's stock Chinese messages reworded in plain Chinese (zhibu/locale: .po and compiled .mo).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded attachments are stored here, outside the database.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# Uploads above 1 MB go to a temporary file, never kept beyond UPLOAD_MAX_BYTES (zhibu.core.uploadhandler);
# every reader checks the size before reading and inspects .xlsx/.docx archives before parsing.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler",
                        "zhibu.core.uploadhandler.BoundedTemporaryFileUploadHandler"]
# The public address of the site (scheme + host, optional path prefix), used for links a phone opens
# from elsewhere: the sign-in QR code. Empty: the address of the request (with a note on the page).
ZHIBU_BASE_URL = os.environ.get("ZHIBU_BASE_URL", "").strip().rstrip("/")

# Shared by every worker process: the database (table created by migrate, core migration
# "cache_table"), or Redis when ZHIBU_CACHE_URL is set.
if os.environ.get("ZHIBU_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["ZHIBU_CACHE_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "zhibu_cache"}}

EMAIL_BACKEND = os.environ.get("ZHIBU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("ZHIBU_FROM_EMAIL", "zhibu@localhost")
# Notification delivery (zhibu.core.notify): in-app and e-mail; ZHIBU_NOTIFY_WEBHOOK_URL adds a JSON
# webhook (企业微信 robot or an SMS gateway). Entries: a dotted class path or (path, {options}).
ZHIBU_NOTIFY_BACKENDS = ["zhibu.core.notify.InAppBackend", "zhibu.core.notify.EmailBackend"] + (
    [("zhibu.core.notify.WebhookBackend", {"url": os.environ["ZHIBU_NOTIFY_WEBHOOK_URL"]})]
    if os.environ.get("ZHIBU_NOTIFY_WEBHOOK_URL") else [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
