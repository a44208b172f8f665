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
from django.utils.csp import CSP
from django_prose_editor.config import html_tags
from js_asset import static_lazy

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
    "core",
    "accounts",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    "core.headers.CSPExceptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Old URLs of renamed articles, sections, tags, authors: looked up only on a 404.
    # WordPress's /?p=ID on the front page of an imported site: 301 or 404, never the page.
    "articles.legacy.WordPressQueryMiddleware",
    "articles.redirects.RedirectFallbackMiddleware",
    "core.pagecache.PageCacheMiddleware",  # before sessions: a hit touches nothing else
    "core.headers.PrivatePagesMiddleware",  # Cache-Control of pages the cache passes by
    "core.dbrouter.ReplicaPinMiddleware",
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
                "django.template.context_processors.csp",
                "newsroom.context_processors.site",
            ],
            # {% url %} with its answers remembered per process (core/reversing.py).
            "builtins": ["core.templatetags.remembered_url"],
        },
    },
    {
        # The article page, its comment section and the header and footer every page shows
        # (docs/decisions.md, "The article page in Jinja2"); newsroom/templating.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.templating.environment",
            "context_processors": [
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
# PostgreSQL: parameters bound by the server and a statement run five times on a connection
# prepared there, so PostgreSQL parses and plans the page's reads once per connection, not
# once per request (docs/decisions.md, the cold build). Off (DATABASE_PREPARED_STATEMENTS=0)
# behind a pooler that cannot keep prepared statements, e.g. PgBouncer before 1.21 in
# transaction mode.
POSTGRES_OPTIONS = (
    {"server_side_binding": True, "prepare_threshold": 5}
    if env_bool("DATABASE_PREPARED_STATEMENTS", True)
    else {}
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)

# --- Cache ------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, degrading to misses while Redis is down.
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # A dead Redis answers in seconds, not never: pages fall back to the database.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            # While Redis is down, rate limits (allauth's keys: logins, sign-ups, resets)
            # are kept in the database: its limiter would otherwise refuse every login.
            "FALLBACK": {"CACHE": "ratelimits", "KEY_PREFIXES": ["allauth:rl:"]},
        },
        "ratelimits": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "accounts_ratelimit_fallback",  # made by accounts' migration 0005
            # Never culled early: an attacker's many keys must not evict the counts.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
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
# Accounts (issue 5): MFA, social providers configured in the admin, site templates,
# no enumeration, rate limits kept in the shared cache, avatars, roles, privacy links.
INSTALLED_APPS += [
    "allauth.mfa",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.facebook",
]
MIDDLEWARE += ["accounts.middleware.StaffMFAMiddleware"]
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"  # adds the display name
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
# allauth's forms, each refusing a password over ACCOUNTS_PASSWORD_MAX_LENGTH unhashed.
ACCOUNT_FORMS = {
    "login": "accounts.password_forms.LoginForm",
    "signup": "accounts.password_forms.SignupForm",
    "reauthenticate": "accounts.password_forms.ReauthenticateForm",
    "change_password": "accounts.password_forms.ChangePasswordForm",
    "set_password": "accounts.password_forms.SetPasswordForm",
    "reset_password_from_key": "accounts.password_forms.ResetPasswordKeyForm",
}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Failed logins: 10 a minute per IP, 5 per 5 minutes per account (allauth keeps counts in
# the default cache, so all web workers share them through Redis).
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("ACCOUNT_LOGIN_FAILED_LIMIT", "10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "privacy_link": "10/m/ip,3/h/key",  # the guest's "email me a link to my data"
}
SOCIALACCOUNT_LOGIN_ON_GET = False  # a POST (with CSRF) starts the provider dance
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never take over an account by a provider's email
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Groups whose members get staff status, and those that must use two-factor login to
# reach the admin, e.g. ACCOUNTS_MFA_REQUIRED_GROUPS=Editor,Moderator.
ACCOUNTS_STAFF_GROUPS = ["Editor", "Reporter", "Moderator"]
ACCOUNTS_MFA_REQUIRED_GROUPS = env_list("ACCOUNTS_MFA_REQUIRED_GROUPS", "")
ACCOUNTS_AVATAR_MAX_BYTES = int(os.environ.get("ACCOUNTS_AVATAR_MAX_BYTES", str(2 * 1024 * 1024)))
ACCOUNTS_AVATAR_MAX_PIXELS = 4096 * 4096
ACCOUNTS_AVATAR_SIZES = [48, 96, 256]
# "initials" (served by the site) or "gravatar" (sends an email hash to gravatar.com).
ACCOUNTS_AVATAR_FALLBACK = os.environ.get("ACCOUNTS_AVATAR_FALLBACK", "initials")
ACCOUNTS_PRIVACY_LINK_MAX_AGE = 60 * 60 * 24 * 2  # the guest's emailed link lives two days

# Proxies in front of the app that append the client's address to X-Forwarded-For (nginx:
# proxy_add_x_forwarded_for): 1 behind the documented nginx, 2 with a CDN before it. Login
# limits, comment flood control and recorded addresses count the entry this many places
# from the right (core/clientip.py); 0 (the default) ignores the header: REMOTE_ADDR.
NEWSROOM_TRUSTED_PROXIES = int(os.environ.get("NEWSROOM_TRUSTED_PROXIES", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = NEWSROOM_TRUSTED_PROXIES  # allauth's own reads of the header

# --- Passwords --------------------------------------------------------------------------
# Longest password accepted anywhere (login, sign-up, change, reset, admin), checked before
# hashing: PBKDF2's cost grows with the length, a 5,000-character one took 2.4 s (issue 12).
ACCOUNTS_PASSWORD_MAX_LENGTH = 1024
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.MaximumLengthValidator"},
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
# `DJANGO_DEBUG=0 DJANGO_SECRET_KEY=... EMAIL_URL=smtp://... manage.py check --deploy`
# reports nothing; tests/security/test_deploy_check.py proves it.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie: JS takes the token from the form's hidden input.
CSRF_COOKIE_HTTPONLY = True
# Strict CSP (Django's own middleware): scripts only from our origin or with the
# per-request nonce (`{{ csp_nonce }}` / `{% csp_nonce_attr %}`), no inline handlers,
# no plugins, no <base> hijack, no framing, forms post only to us. `data:` images are
# allowed for the SVG icons inside Bootstrap's and the admin's CSS (an image cannot run).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Sent by core.headers.PermissionsPolicyMiddleware: browser features nobody here needs.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
# Hostile bodies get a 400, not a worker's memory: Django's defaults, stated here.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", "2621440"))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# A lost database answers 503 with this Retry-After (seconds); see core/errors.py.
DATABASE_OUTAGE_RETRY_AFTER = 30
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # security.W021 (no HSTS preload) is silenced unless DJANGO_HSTS_PRELOAD=1: joining
    # the browsers' preload list binds every subdomain to HTTPS for months and cannot be
    # undone quickly, so the deployer opts in; HSTS itself is on either way.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Articles (issue 3) -----------------------------------------------------------------
INSTALLED_APPS += ["django_prose_editor", "reversion"]
# The body editor's media-library pictures: a JS extension of ours, and the markup it makes
# (the one sanitiser, articles/sanitize.py, checks it: integer ids only).
# The "Embed" button and paste handler (static/js/prose-embed.js): the body's allow-list is
# our one sanitiser (articles/sanitize.py), so the package's own processor for it adds nothing.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/prose-library-image.js")],
        "extensions": {
            "LibraryImage": html_tags(["figure", "figcaption"], {"figure": ["data-image"]})
        },
    },
    {
        "js": [static_lazy("js/prose-embed.js")],
        "extensions": {"Embed": lambda config, shared_config: None},
    },
]
# Feeds carry the whole body ("full") or only the standfirst ("summary").
ARTICLES_FEED_CONTENT = os.environ.get("ARTICLES_FEED_CONTENT", "full")
ARTICLES_FEED_ITEMS = 30
# Uploaded images: refused above these sizes; renditions made at these widths.
ARTICLES_IMAGE_MAX_BYTES = int(os.environ.get("ARTICLES_IMAGE_MAX_BYTES", str(10 * 1024 * 1024)))
ARTICLES_IMAGE_MAX_PIXELS = 40_000_000
ARTICLES_IMAGE_WIDTHS = [480, 800, 1200]
# Preview links for people without an account expire after this many days.
ARTICLES_PREVIEW_DAYS = 7
# Edit locks: a lock lapses this many seconds after its holder's page last beat; pages
# beat every ARTICLES_LOCK_BEAT_SECONDS. Autosaves: every ARTICLES_AUTOSAVE_SECONDS while
# editing, deleted ARTICLES_AUTOSAVE_MAX_DAYS after they were made.
ARTICLES_LOCK_SECONDS = int(os.environ.get("ARTICLES_LOCK_SECONDS", "120"))
ARTICLES_LOCK_BEAT_SECONDS = int(os.environ.get("ARTICLES_LOCK_BEAT_SECONDS", "30"))
ARTICLES_AUTOSAVE_SECONDS = int(os.environ.get("ARTICLES_AUTOSAVE_SECONDS", "30"))
ARTICLES_AUTOSAVE_MAX_DAYS = int(os.environ.get("ARTICLES_AUTOSAVE_MAX_DAYS", "14"))

# Embeds (issue 15): a pasted https address of one of these providers becomes an embed
# block; readers see a facade (title, provider, a poster the site fetched and serves)
# until they click "Load content from …". Per provider: its name, the exact hosts its
# addresses may use, patterns (matched against path and query of the pasted address; the
# named groups are all the frame ever gets), the frame address made from them ({host} is
# the pasted host), the frame origins the CSP allows (frame-src: exactly these), and the
# oEmbed endpoint asked for a title and poster when the embed is saved ("" for none).
# "site": True means an address on this site (a path, no host).
EMBED_PROVIDERS = {
    "youtube": {
        "name": "YouTube",
        "hosts": ["www.youtube.com", "youtube.com", "m.youtube.com", "youtu.be"],
        "patterns": [
            r"/watch\?v=(?P<id>[A-Za-z0-9_-]{11})(?:&[A-Za-z0-9_.=%-]*)*",
            r"/(?:shorts|embed|live)/(?P<id>[A-Za-z0-9_-]{11})(?:\?[A-Za-z0-9_.=&%-]*)?",
            r"/(?P<id>[A-Za-z0-9_-]{11})(?:\?[A-Za-z0-9_.=&%-]*)?",  # youtu.be/ID
        ],
        "frame": "https://www.youtube-nocookie.com/embed/{id}",
        "frame_origins": ["https://www.youtube-nocookie.com"],
        "oembed": "https://www.youtube.com/oembed",
    },
    "vimeo": {
        "name": "Vimeo",
        "hosts": ["vimeo.com", "www.vimeo.com", "player.vimeo.com"],
        "patterns": [r"/(?:video/)?(?P<id>[0-9]{1,12})/?"],
        "frame": "https://player.vimeo.com/video/{id}?dnt=1",
        "frame_origins": ["https://player.vimeo.com"],
        "oembed": "https://vimeo.com/api/oembed.json",
    },
    "x": {
        "name": "X (Twitter)",
        "hosts": ["x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"],
        "patterns": [r"/[A-Za-z0-9_]{1,15}/status/(?P<id>[0-9]{1,20})/?(?:\?[A-Za-z0-9_.=&%-]*)?"],
        "frame": "https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true",
        "frame_origins": ["https://platform.twitter.com"],
        "oembed": "https://publish.twitter.com/oembed",
    },
    "bluesky": {
        "name": "Bluesky",
        "hosts": ["bsky.app"],
        "patterns": [r"/profile/(?P<actor>[A-Za-z0-9.:-]{1,253})/post/(?P<rkey>[a-z0-9]{1,20})"],
        "frame": "https://embed.bsky.app/embed/{actor}/app.bsky.feed.post/{rkey}",
        "frame_origins": ["https://embed.bsky.app"],
        "oembed": "https://embed.bsky.app/oembed",
    },
    "mastodon": {
        "name": "Mastodon",
        "hosts": ["mastodon.social", "mastodon.online"],
        "patterns": [r"/@(?P<user>[A-Za-z0-9_]{1,30})/(?P<id>[0-9]{1,20})"],
        "frame": "https://{host}/@{user}/{id}/embed",
        "frame_origins": ["https://mastodon.social", "https://mastodon.online"],
        "oembed": "",
    },
    "instagram": {
        "name": "Instagram",
        "hosts": ["www.instagram.com", "instagram.com"],
        "patterns": [r"/(?P<kind>p|reel)/(?P<id>[A-Za-z0-9_-]{5,40})/?(?:\?[A-Za-z0-9_.=&%-]*)?"],
        "frame": "https://www.instagram.com/{kind}/{id}/embed/",
        "frame_origins": ["https://www.instagram.com"],
        "oembed": "",  # Meta's oEmbed needs an app token
    },
    "datawrapper": {
        "name": "Datawrapper",
        "hosts": ["datawrapper.dwcdn.net"],
        "patterns": [r"/(?P<id>[A-Za-z0-9]{5})/(?:(?P<version>[0-9]{1,4})/)?"],
        "frame": "https://datawrapper.dwcdn.net/{id}/",
        "frame_origins": ["https://datawrapper.dwcdn.net"],
        "oembed": "https://api.datawrapper.de/v3/oembed",
    },
    "flourish": {
        "name": "Flourish",
        "hosts": ["public.flourish.studio"],
        "patterns": [r"/(?P<kind>visualisation|story)/(?P<id>[0-9]{1,12})/?"],
        "frame": "https://flo.uri.sh/{kind}/{id}/embed",
        "frame_origins": ["https://flo.uri.sh"],
        "oembed": "https://app.flourish.studio/api/v1/oembed",
    },
    "openstreetmap": {
        "name": "OpenStreetMap",
        "hosts": ["www.openstreetmap.org"],
        "patterns": [
            r"/export/embed\.html\?bbox=(?P<bbox>-?[0-9.]{1,12}(?:(?:,|%2C)-?[0-9.]{1,12}){3})"
            r"(?:&layer=mapnik)?"
        ],
        "frame": "https://www.openstreetmap.org/export/embed.html?bbox={bbox}&layer=mapnik",
        "frame_origins": ["https://www.openstreetmap.org"],
        "oembed": "",
    },
    "umap": {
        "name": "uMap",
        "hosts": ["umap.openstreetmap.fr"],
        "patterns": [r"/(?P<lang>[a-z]{2}(?:-[a-z]{2})?)/map/(?P<slug>[a-z0-9_-]{1,100})"],
        "frame": "https://umap.openstreetmap.fr/{lang}/map/{slug}?scaleControl=false&miniMap=false",
        "frame_origins": ["https://umap.openstreetmap.fr"],
        "oembed": "",
    },
    "soundcloud": {
        "name": "SoundCloud",
        "hosts": ["soundcloud.com", "www.soundcloud.com"],
        "patterns": [r"/(?P<user>[A-Za-z0-9_-]{1,64})/(?P<track>[A-Za-z0-9_-]{1,128})/?"],
        "frame": "https://w.soundcloud.com/player/?url=https%3A//soundcloud.com/{user}/{track}",
        "frame_origins": ["https://w.soundcloud.com"],
        "oembed": "https://soundcloud.com/oembed",
    },
    "spotify": {
        "name": "Spotify",
        "hosts": ["open.spotify.com"],
        "patterns": [
            r"/(?P<kind>track|album|playlist|episode|show)/(?P<id>[A-Za-z0-9]{22})"
            r"(?:\?[A-Za-z0-9_.=&%-]*)?"
        ],
        "frame": "https://open.spotify.com/embed/{kind}/{id}",
        "frame_origins": ["https://open.spotify.com"],
        "oembed": "https://open.spotify.com/oembed",
    },
    "pdf": {
        "name": "PDF",
        "site": True,
        "hosts": [],
        "patterns": [r"/media/(?P<path>[A-Za-z0-9_/-]{1,200}\.pdf)"],
        "frame": "/media/{path}",
        "frame_origins": ["'self'"],
        "oembed": "",
    },
}
EMBED_URL_MAX_LENGTH = 500
EMBED_FETCH_TIMEOUT = 3  # seconds, per request (oEmbed answer, then the poster)
EMBED_OEMBED_MAX_BYTES = 64 * 1024
# The CSP's frame-src: exactly the providers' frame origins (an embed loads on a click).
SECURE_CSP["frame-src"] = sorted(
    {origin for provider in EMBED_PROVIDERS.values() for origin in provider["frame_origins"]}
)
# The editor's "Embed" button and paste handler (static/js/prose-embed.js) is registered
# with the body editor's other extension in DJANGO_PROSE_EDITOR_EXTENSIONS above.

# --- Comments (the comments app) --------------------------------------------------------
# Site-wide discussion rules (approval, links, words, depth, paging) live in the admin
# (Comments → Discussion settings); these are the technical limits.
COMMENTS_EDIT_WINDOW = int(os.environ.get("COMMENTS_EDIT_WINDOW", "600"))  # seconds to edit/delete
COMMENTS_FLOOD_SECONDS = int(os.environ.get("COMMENTS_FLOOD_SECONDS", "15"))
COMMENTS_MIN_SECONDS = 3  # a form sent sooner after it was shown is a bot
COMMENTS_FORM_MAX_AGE = 6 * 60 * 60  # a form older than this has expired
COMMENTS_MAX_LENGTH = 5000
# The live "new comments" notice: comments.js polls the article's small cached state every
# COMMENTS_LIVE_POLL_SECONDS (paused while the tab is hidden); browsers and CDNs may keep
# an answer COMMENTS_LIVE_MAX_AGE seconds. 0 turns the notice off.
COMMENTS_LIVE_POLL_SECONDS = int(os.environ.get("COMMENTS_LIVE_POLL_SECONDS", "30"))
COMMENTS_LIVE_MAX_AGE = int(os.environ.get("COMMENTS_LIVE_MAX_AGE", "10"))
COMMENTS_MODERATION_LINK_MAX_AGE = 3 * 24 * 60 * 60
# The moderation hook (comments/hook.py): a checker asked about each new comment, off
# unless both the URL and the shared secret (HMAC-SHA256 of each body, both ways) are set.
COMMENTS_MODERATION_HOOK_URL = os.environ.get("COMMENTS_MODERATION_HOOK_URL", "")
COMMENTS_MODERATION_HOOK_SECRET = os.environ.get("COMMENTS_MODERATION_HOOK_SECRET", "")
COMMENTS_MODERATION_HOOK_TIMEOUT = float(os.environ.get("COMMENTS_MODERATION_HOOK_TIMEOUT", "2"))
# Reports and reactions (issue 16). A comment reported by this many distinct clients
# (networks, not cookies) is held for a moderator; 0 never holds by reports.
COMMENTS_REPORTS_TO_HOLD = int(os.environ.get("COMMENTS_REPORTS_TO_HOLD", "3"))
COMMENTS_REACTION_LABEL = os.environ.get("COMMENTS_REACTION_LABEL", "Like")
# Rate limits, (requests, seconds), per reader and per client address, in the shared cache.
COMMENTS_REPORT_RATE = (10, 3600)
COMMENTS_REACTION_RATE = (30, 60)
# A thread page shows reaction counts at most this many seconds late (docs/decisions.md).
COMMENTS_REACTION_REFRESH = int(os.environ.get("COMMENTS_REACTION_REFRESH", "60"))
# Absolute links in emails (sent by the task worker, which has no request): the site's
# public address. Production sets it; by default the local server on PORT (make run).
SITE_URL = os.environ.get(
    "SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
).rstrip("/")
# The authority of feed entry ids (tag: URIs, RFC 4151), e.g. news.example.org. Empty: the
# domain of the Site record. Feed readers know entries by these ids: set it once and keep it,
# even if the site moves to another domain.
FEED_TAG_AUTHORITY = os.environ.get("FEED_TAG_AUTHORITY", "")

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
    if DATABASES[f"replica{number}"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES[f"replica{number}"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["core.dbrouter.PrimaryReplicaRouter"]
DATABASE_PIN_SECONDS = int(os.environ.get("DATABASE_PIN_SECONDS", "10"))

# Page cache for anonymous readers (core/pagecache.py; keys in docs/decisions.md).
PAGECACHE_ENABLED = env_bool("PAGECACHE_ENABLED", True)
PAGECACHE_TTL = int(os.environ.get("PAGECACHE_TTL", "300"))  # fresh for, in seconds
PAGECACHE_GRACE = int(os.environ.get("PAGECACHE_GRACE", "600"))  # then served stale while rebuilt
PAGECACHE_LOCK_SECONDS = 10  # longest one rebuild may hold the single-flight lock
PAGECACHE_MAX_AGE = int(os.environ.get("PAGECACHE_MAX_AGE", "60"))  # browsers and CDNs
PAGECACHE_RACE_MARGIN = 1.0  # seconds: a scope bumped this close to a render is not stored
PAGECACHE_BYPASS_HEADER = ""  # set only for the benchmark's "uncached" rows
# Query parameters a cached page may vary on; utm_* and click ids are dropped, any other
# parameter sends the request past the cache (so random parameters cannot flood it).
PAGECACHE_QUERY_PARAMS = ["page", "sort"]
# Parameters of PAGECACHE_QUERY_PARAMS that a page may only vary on with these values (any
# other value goes past the cache): the thread's order (comments.threads.ORDERS).
PAGECACHE_QUERY_VALUES = {"sort": ["oldest", "newest", "liked"]}
# Cached pages are also kept gzip-compressed for clients that accept it (see pagecache.py).
PAGECACHE_GZIP = env_bool("PAGECACHE_GZIP", True)
# Costly parts of a page kept apart (the comment thread), for pages the page cache cannot
# serve: logged-in readers, thread pages past the first. Same scopes, same TTL.
PAGECACHE_FRAGMENTS = env_bool("PAGECACHE_FRAGMENTS", True)
# Cookies that make a page personal (besides a logged-in session and flash messages). A
# guest's saved comment details do not: the page leaves them out and comments.js fetches them.
PAGECACHE_BYPASS_COOKIES = []

# The edge: Varnish or a CDN in front of the site (core/edge.py, core/edgepurge.py,
# deploy/varnish/newsroom.vcl). Off by default (a plain `make serve` has no edge);
# `make serve-edge` turns it on. EDGE_TAG_HEADER names the header that carries the shared
# pages' tags: "xkey" (Varnish), "Surrogate-Key" (Fastly) or "Cache-Tag" (Cloudflare).
EDGE_TAG_HEADER = os.environ.get("EDGE_TAG_HEADER", "")
EDGE_S_MAXAGE = int(os.environ.get("EDGE_S_MAXAGE", "3600"))  # purges keep it current
EDGE_STALE_WHILE_REVALIDATE = int(os.environ.get("EDGE_STALE_WHILE_REVALIDATE", "10"))
EDGE_STALE_IF_ERROR = int(os.environ.get("EDGE_STALE_IF_ERROR", "86400"))  # app down: a day
# Where purges go, one PURGE per batch of tags to each (e.g. "http://127.0.0.1:8000/").
EDGE_PURGE_URLS = env_list("EDGE_PURGE_URLS", "")
# Who is purged (core/cdn.py): "varnish" (EDGE_PURGE_URLS), "fastly" or "cloudflare" (their
# purge-by-tag API); empty: the edge EDGE_TAG_HEADER names. A CDN needs its id and a token
# allowed to purge (`manage.py check` warns without them); the API URL is for tests only.
EDGE_PURGE_BACKEND = os.environ.get("EDGE_PURGE_BACKEND", "")
EDGE_PURGE_SERVICE_ID = os.environ.get("EDGE_PURGE_SERVICE_ID", "")  # Fastly service, CF zone
EDGE_PURGE_TOKEN = os.environ.get("EDGE_PURGE_TOKEN", "")
EDGE_PURGE_API_URL = os.environ.get("EDGE_PURGE_API_URL", "")  # empty: the CDN's real API
EDGE_PURGE_TIMEOUT = 5  # seconds per edge and request
EDGE_PURGE_ALERT_SECONDS = 60  # a purge waiting longer than this fails /healthz's edge_purge

# Load balancers probe /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The benchmark's constant "hello" page and cache bypass exist only with NEWSROOM_BENCH=1.
NEWSROOM_BENCH = env_bool("NEWSROOM_BENCH", False)
if NEWSROOM_BENCH:
    PAGECACHE_BYPASS_HEADER = "X-Bench-Bypass-Page-Cache"
