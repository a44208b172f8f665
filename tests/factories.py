"""make_<thing>(**overrides): rows with sensible defaults for tests."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Byline, Section

_seq = itertools.count(1)


def make_user(**overrides):
    n = next(_seq)
    overrides.setdefault("username", f"user{n}")
    overrides.setdefault("email", f"user{n}@example.com")
    password = overrides.pop("password", "correct horse battery staple")
    user = get_user_model()(**overrides)
    user.set_password(password)
    user.save()
    return user


def make_section(**overrides):
    n = next(_seq)
    overrides.setdefault("name", f"Section {n}")
    overrides.setdefault("slug", f"section-{n}")
    return Section.objects.create(**overrides)


def make_article(*, authors=None, **overrides):
    n = next(_seq)
    overrides.setdefault("title", f"Article {n}")
    overrides.setdefault("slug", f"article-{n}")
    overrides.setdefault("standfirst", f"Standfirst {n}")
    overrides.setdefault("body", f"<p>Body {n}</p>")
    overrides.setdefault("dateline", "Brussels")
    overrides.setdefault("status", Article.Status.PUBLISHED)
    overrides.setdefault("published_at", timezone.now() - timedelta(hours=n))
    article = Article.objects.create(**overrides)
    for position, author in enumerate(authors if authors is not None else [make_user()]):
        Byline.objects.create(article=article, author=author, position=position)
    return article
