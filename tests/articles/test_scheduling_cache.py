"""Cached listings expire when the next scheduled article goes live."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from articles.scheduling import KEY, next_go_live
from core import pagecache
from tests.factories import make_article, make_member, make_ready_draft

pytestmark = pytest.mark.django_db


def stored_entry(response):
    return cache.get(pagecache.page_key(response.wsgi_request))


def test_cached_front_page_is_fresh_only_until_the_next_go_live(client):
    when = timezone.now() + timedelta(minutes=2)
    make_article(status=Article.Status.SCHEDULED, published_at=when)
    entry = stored_entry(client.get("/"))
    assert entry["fresh_until"] == pytest.approx(when.timestamp())


def test_with_nothing_scheduled_a_listing_keeps_its_normal_lifetime(client, settings):
    make_article()
    response = client.get("/")
    entry = stored_entry(response)
    assert entry["fresh_until"] == pytest.approx(entry["stored_at"] + settings.PAGECACHE_TTL, abs=2)


def test_scheduling_an_article_updates_the_next_go_live(django_capture_on_commit_callbacks):
    assert next_go_live() is None
    article = make_ready_draft()
    when = timezone.now() + timedelta(hours=1)
    from articles import services

    with django_capture_on_commit_callbacks(execute=True):
        services.article_schedule(article=article, by=make_member("Editor"), publish_at=when)
    assert cache.get(KEY) == when
    assert next_go_live() == when


def test_a_passed_go_live_is_looked_up_again():
    past = timezone.now() - timedelta(seconds=1)
    cache.set(KEY, past, timeout=None)
    later = timezone.now() + timedelta(hours=3)
    make_article(status=Article.Status.SCHEDULED, published_at=later)
    assert next_go_live() == later
