"""Settings for the 2+2 quiz app, read from the environment.

Every knob is an environment variable with a development default, parsed by tiny helpers
that fail loudly on malformed values instead of silently falling back.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "true")

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "simple_history",
    "content",
    "quiz",
]

MIDDLEWARE = [
    # First: when the request reached nginx (X-Request-Start, from a trusted proxy only).
    "quiz.middleware.RequestArrivalMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # GETs of the read-only pages read from DATABASE_REPLICA_URL, when there is one.
    "quiz.db_router.ReplicaReadsMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Records which user made each change that simple_history stores.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so a lock-out is reported after authentication has run.
    "axes.middleware.AxesMiddleware",
    # A database outage becomes a friendly 503 page, not a traceback.
    "quiz.middleware.DatabaseUnavailableMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Axes refuses locked-out logins before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling: five failures lock that username *from that address* for 15 minutes.
# Locking on the pair (not the IP alone) keeps a whole coaching class behind one IP able
# to log in while one of them mistypes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

ROOT_URLCONF = "quiz.urls"
WSGI_APPLICATION = "quiz.wsgi.application"

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
            ],
        },
    },
]

# The embedded default is a SQLite file next to manage.py, tuned for several writers:
# WAL lets readers run beside a writer, IMMEDIATE takes the write lock at BEGIN so two
# transactions never deadlock upgrading a read lock, and the timeout waits out a busy lock.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Connections are kept between requests: opening one (and its TLS) costs more than
        # a whole answer's queries.
        conn_max_age=envint("CONN_MAX_AGE", "60"),
        # A reused connection is checked before use (one round trip per request), so the
        # app recovers by itself after the database restarts.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too: an in-memory database shares one cache with table-level locks,
    # which would hide how the real file behaves under concurrent writers.
    # SQLITE_TEST_DB lets two test runs share a checkout without sharing a file.
    DATABASES["default"]["TEST"] = {
        "NAME": os.getenv("SQLITE_TEST_DB", str(BASE_DIR / ".test-db.sqlite3"))
    }

# A read replica (PostgreSQL streaming replication) for the read-only pages: dashboards, item
# analysis, rank lists (quiz.db_router). Unset: everything reads the primary.
DATABASE_REPLICA_URL = os.getenv("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # The test suite has one database: the replica alias reads it through its own connection.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["quiz.db_router.ReplicaRouter"]

# PostgreSQL: a psycopg connection pool per gunicorn worker, shared by its threads (Django
# 5.2, psycopg[pool]), instead of one persistent connection per thread. No health-check
# round trip per request: the pool drops a connection it finds broken when it comes back,
# so after a database restart a few requests fail once with the 503 page (clients retry).
# DB_POOL=false returns to persistent connections with health checks.
DB_POOL = envbool("DB_POOL", "true")
for _entry in DATABASES.values():
    if _entry["ENGINE"] != "django.db.backends.postgresql" or not DB_POOL:
        continue
    _entry["CONN_MAX_AGE"] = 0  # the pool keeps them
    _entry["CONN_HEALTH_CHECKS"] = False
    _entry.setdefault("OPTIONS", {})["pool"] = {
        "min_size": envint("DB_POOL_MIN_SIZE", "1"),
        # A bound, not a target: connections open only as concurrent requests need them
        # (a gunicorn worker never needs more than its WEB_THREADS) and close when idle.
        # Generous, so threads that each hold one (the concurrency tests) never wait.
        "max_size": envint("DB_POOL_MAX_SIZE", "50"),
        "max_idle": 60,
        "timeout": 10,  # seconds a request may wait for a connection
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-in"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Cache and sessions: Redis when REDIS_URL is set (shared by every gunicorn worker), else
# local memory and database sessions.
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Production hardening (DEBUG off): HTTPS-only cookies, HSTS, redirects to HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only for running the production configuration over plain HTTP on this machine (the load
# test): never set it on a server that faces the internet.
LOCAL_HTTP = envbool("LOCAL_HTTP", "false")
if not DEBUG:
    SESSION_COOKIE_SECURE = not LOCAL_HTTP
    CSRF_COOKIE_SECURE = not LOCAL_HTTP
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if LOCAL_HTTP else "true")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if envbool("BEHIND_TLS_PROXY", "false"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Behind the TLS proxy every request comes from the proxy's address, so login throttling
# keyed on REMOTE_ADDR would let anyone lock any student out. There, the client's address
# comes from X-Forwarded-For, read by django-ipware through django-axes' settings, and only
# for requests that really arrive from a trusted proxy (quiz.middleware.client_ip): a client
# that reaches the app directly is keyed on its own address whatever headers it sends.
# TRUSTED_PROXY_COUNT is the number of proxies in front of the app (our nginx: 1; a CDN in
# front of it: 2), TRUSTED_PROXY_IPS the addresses the nearest one connects from.
BEHIND_TLS_PROXY = envbool("BEHIND_TLS_PROXY", "false")
TRUSTED_PROXY_IPS = envlist("TRUSTED_PROXY_IPS", "127.0.0.1,::1")
if BEHIND_TLS_PROXY:
    AXES_CLIENT_IP_CALLABLE = "quiz.middleware.client_ip"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    # ipware counts the proxies listed in the header; the nearest one is REMOTE_ADDR.
    AXES_IPWARE_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "1") - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
# Deadlines are judged by when a request reached nginx (quiz.middleware.arrival_time), at
# most this far back: longer than any queue we have seen (19.6 s), short enough that a
# wrong proxy clock cannot hand out real extra time.
REQUEST_START_MAX_AGE = timedelta(seconds=envint("REQUEST_START_MAX_AGE_SECONDS", "30"))
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# -- Content-Security-Policy (issue 8, item 10; django-csp 4, csp.middleware.CSPMiddleware) ---
# Nothing inline runs or styles: every script and stylesheet is a file under static/, htmx is
# told not to inject its indicator <style> or eval anything (the htmx-config <meta> in
# base.html), and charts are SVG with presentation attributes. So the policy starts from
# 'none' and allows only what the pages were seen to load (tests/quiz/test_csp.py checks the
# header; the browser tests fail on any violation in the console, student pages and admin).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],  # static/js, static/vendor/htmx, the admin's own files
        "style-src": ["'self'"],
        # One allowance, for django-simple-history's object_history_list.html
        # (<p class="paginator" style="border-top: 0">): that exact attribute value by hash,
        # never style attributes in general.
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        "img-src": ["'self'"],  # the admin's icons (CSS url()s under static/admin/img)
        "connect-src": ["'self'"],  # htmx requests
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],  # as X_FRAME_OPTIONS = "DENY", for CSP-aware browsers
        "base-uri": ["'none'"],
    },
}

# -- Request size limits (issue 8, item 11) -------------------------------------------------
# Set explicitly rather than left at Django's defaults: the largest form we take (an editor's
# fact or template in the admin, with its citations) is a few KB, and no page uploads files.
# A body over the limit is refused with a 400 that says so (quiz.params.bad_request), before
# any view runs. nginx (quiz/deploy/nginx.conf) refuses bodies over 2 MB with a 413 first.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # form fields, not files: 1 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # a file above this would be spooled to disk
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # the admin's changelist actions send one per row
DATA_UPLOAD_MAX_NUMBER_FILES = 5  # nothing uploads files today

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "quiz:catalogue"
LOGOUT_REDIRECT_URL = "home"

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "2+2 Prep <noreply@localhost>")

# Starting quizzes: at most START_RATE_LIMIT new attempts per student in START_RATE_WINDOW
# (pressing Start on a quiz already running resumes it and does not count).
START_RATE_LIMIT = envint("START_RATE_LIMIT", "10")
START_RATE_WINDOW = timedelta(seconds=envint("START_RATE_WINDOW_SECONDS", "300"))

# How many different papers a regular quiz hands out per content version: each is built
# once (about 0.7 s for 100 questions) and then served from the cache to every app server
# (content.paper.cached_paper). More variants, fewer repeats, more builds after an edit.
PAPER_VARIANTS = envint("PAPER_VARIANTS", "64")

# A live mock test's check-in opens this long before the test (as the NTA lets candidates in
# 30 minutes early): the sitting is made then, so the opening instant only begins it.
LIVE_CHECK_IN = timedelta(minutes=envint("LIVE_CHECK_IN_MINUTES", "30"))

# How long an abandoned drill can be resumed before it is finished and scored.
DRILL_RESUME_WINDOW = timedelta(hours=envint("DRILL_RESUME_HOURS", "24"))

# Backups (manage.py backup / make backup; README "Backups"): where they are written, and how
# many of the newest are kept there. Copy them off the machine too: a lost disk takes a
# backup directory on the same disk with it.
BACKUP_DIR = Path(os.getenv("BACKUP_DIR", str(BASE_DIR / "backups")))
BACKUP_KEEP = envint("BACKUP_KEEP", "14")

# Where the shipped content bank lives (YAML, reviewed in git).
CONTENT_BANK_DIR = BASE_DIR / "content" / "bank"
