"""Newsroom settings: one module, every knob read from the environment.

With nothing set it runs on embedded SQLite with DEBUG on, a local-memory cache
and console email. With DATABASE_URL and REDIS_URL it runs on PostgreSQL and Redis.
"""

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
import xstatic.pkg.bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A one-line refusal, not a traceback: say exactly what to set.
        sys.exit(
            "Newsroom refuses to start: DJANGO_DEBUG is off and DJANGO_SECRET_KEY is not set. "
            "Set DJANGO_SECRET_KEY to a long random string (or DJANGO_DEBUG=1 for development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "accounts",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.pagecache.PageCacheMiddleware",  # before sessions: a hit touches nothing else
    "newsroom.dbrouter.ReplicaPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
SITE_ID = 1
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "newsroom.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# SQLite in WAL mode with IMMEDIATE transactions and a busy timeout, so concurrent
# writers queue instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# --- Cache ------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # A dead Redis answers in seconds, not never: pages fall back to the database.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions survive a cache outage: they live in the database, read through the cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Email (Django 6.1 MAILERS) ---------------------------------------------------------
# EMAIL_URL: console:// (default), smtp://user:password@host:port[?tls=1|ssl=1], or locmem://
EMAIL_URL = os.environ.get("EMAIL_URL", "console://")


def mailer_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme in {"smtp", "smtps"}:
        query = parse_qs(parts.query)
        options = {
            "host": parts.hostname or "localhost",
            "port": parts.port or 25,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": query.get("tls", ["0"])[0] == "1",
            "use_ssl": parts.scheme == "smtps" or query.get("ssl", ["0"])[0] == "1",
            "timeout": 10,
        }
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    return {"BACKEND": backends.get(parts.scheme, backends["console"])}


MAILERS = {"default": mailer_from_url(EMAIL_URL)}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks (Django's tasks framework) ----------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Accounts (django-allauth) ----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGOUT_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False

# --- Passwords --------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Bootstrap comes from the XStatic-Bootstrap package and is served by the project: no CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security (production defaults when DEBUG is off) -----------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Production topology (issue 6) ------------------------------------------------------
# Read replicas: DATABASE_REPLICA_URLS is a comma-separated list of database URLs, aliased
# replica1, replica2, ... Safe requests read from one of them; writes, transactions and a
# client's requests for DATABASE_PIN_SECONDS after its last write use the primary.
DATABASE_REPLICAS = []
for number, replica_url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASES[f"replica{number}"] = {
        **dj_database_url.parse(
            replica_url,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},  # the test database stands in for every replica
    }
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["newsroom.dbrouter.PrimaryReplicaRouter"]
DATABASE_PIN_SECONDS = int(os.environ.get("DATABASE_PIN_SECONDS", "10"))

# Page cache for anonymous readers (newsroom/pagecache.py; keys in docs/decisions.md).
PAGECACHE_ENABLED = env_bool("PAGECACHE_ENABLED", True)
PAGECACHE_TTL = int(os.environ.get("PAGECACHE_TTL", "300"))  # fresh for, in seconds
PAGECACHE_GRACE = int(os.environ.get("PAGECACHE_GRACE", "600"))  # then served stale while rebuilt
PAGECACHE_LOCK_SECONDS = 10  # longest one rebuild may hold the single-flight lock
PAGECACHE_MAX_AGE = int(os.environ.get("PAGECACHE_MAX_AGE", "60"))  # browsers and CDNs
PAGECACHE_RACE_MARGIN = 1.0  # seconds: a scope bumped this close to a render is not stored
PAGECACHE_BYPASS_HEADER = ""  # set only for the benchmark's "uncached" rows
# Query parameters a cached page may vary on; utm_* and click ids are dropped, any other
# parameter sends the request past the cache (so random parameters cannot flood it).
PAGECACHE_QUERY_PARAMS = ["page"]

# Load balancers probe /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The benchmark's constant "hello" page and cache bypass exist only with NEWSROOM_BENCH=1.
NEWSROOM_BENCH = env_bool("NEWSROOM_BENCH", False)
if NEWSROOM_BENCH:
    PAGECACHE_BYPASS_HEADER = "X-Bench-Bypass-Page-Cache"
