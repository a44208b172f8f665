"""Settings of the django-comments-xtd peer: a plain Django 6.1 site as xtd's docs set it up,
DEBUG off, PostgreSQL from XTD_DATABASE_URL, the same sync gunicorn as Newsroom's benchmark."""

import os
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "xtd-peer-bench-only-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.staticfiles",
    "rest_framework",  # xtd's urls.py imports its API views
    "django_comments_xtd",
    "django_comments",
    "xtdpeer",
]
SITE_ID = 1

# Django's default middleware of `startproject`.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "xtdpeer.urls"
WSGI_APPLICATION = "xtdpeer.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,  # with DEBUG off Django wraps the loaders in its cached loader
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

_db = urlsplit(os.environ.get("XTD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/xtd_bench"))
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _db.path.lstrip("/"),
        "USER": _db.username or "postgres",
        "PASSWORD": _db.password or "",
        "HOST": _db.hostname or "127.0.0.1",
        "PORT": _db.port or 5432,
        "CONN_MAX_AGE": 600,  # as Newsroom: one connection per worker, kept
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

COMMENTS_APP = "django_comments_xtd"
# Three reply levels below a top-level comment: the same tree as Newsroom's 50-comment thread.
COMMENTS_XTD_MAX_THREAD_LEVEL = 3
# Guests' comments are stored at once (held by the moderator below), not parked behind a
# confirmation email: the same work per POST as Newsroom's held guest comment.
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_LIST_ORDER = ("thread_id", "order")
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
