"""Changing the site's discussion settings expires the cached pages and threads they shape."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from comments.models import DiscussionSettings
from core import pagecache
from tests.core.test_pagecache import STATE, _no_race_margin  # noqa: F401 (autouse)
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
CLOSED = "Comments are closed."
FORM = 'id="commentform"'


def week_old_article():
    return make_article(published_at=timezone.now() - timedelta(days=7))


def warm(client, url: str) -> str:
    """Store the page for everyone and check the next reader gets it from the cache."""
    client.get(url)
    response = client.get(url)
    assert response[STATE] == "HIT"
    return response.content.decode()


def test_closing_after_n_days_in_code_shows_the_closed_state_to_the_next_guest(client):
    url = week_old_article().get_absolute_url()
    assert FORM in warm(client, url)
    DiscussionSettings(close_after_days=3).save()
    html = client.get(url).content.decode()
    assert CLOSED in html and FORM not in html


def test_closing_after_n_days_in_the_admin_shows_the_closed_state_to_the_next_guest(client):
    url = week_old_article().get_absolute_url()
    assert FORM in warm(client, url)
    admin = make_user(is_staff=True)
    admin.user_permissions.add(Permission.objects.get(codename="change_discussionsettings"))
    editor = client.__class__()
    editor.force_login(admin)
    data = model_to_dict(DiscussionSettings.load()) | {"close_after_days": 3}
    data = {key: value for key, value in data.items() if value not in (False, None)}
    change = reverse("admin:comments_discussionsettings_change", args=[1])
    DiscussionSettings.objects.get_or_create(pk=1)
    assert editor.post(change, data).status_code == 302
    assert DiscussionSettings.load().close_after_days == 3
    html = client.get(url).content.decode()
    assert CLOSED in html and FORM not in html


def test_reopening_shows_the_form_again(client):
    DiscussionSettings(close_after_days=3).save()
    url = week_old_article().get_absolute_url()
    assert CLOSED in warm(client, url)
    DiscussionSettings(close_after_days=0).save()
    assert FORM in client.get(url).content.decode()


def test_other_pages_stay_cached(client):
    front = reverse("articles:front")
    make_article()
    warm(client, front)
    DiscussionSettings(close_after_days=3).save()
    assert client.get(front)[STATE] == "HIT"


def test_cached_article_page_expires_when_its_comments_close_by_age(client):
    """Closing by age has no write to expire the page: it is fresh until that moment only."""
    DiscussionSettings(close_after_days=3).save()
    published = timezone.now() - timedelta(days=3) + timedelta(minutes=2)
    response = client.get(make_article(published_at=published).get_absolute_url())
    entry = cache.get(pagecache.page_key(response.wsgi_request))
    assert entry["fresh_until"] == pytest.approx((published + timedelta(days=3)).timestamp(), abs=1)


def test_a_thread_page_reads_the_settings_and_its_reaction_window_in_one_cache_call(rf):
    """The settings and the article's reaction window come in one get_many: what the two
    reads gave apart, and the page then reads neither again."""
    from comments import caching

    article = make_article()
    DiscussionSettings(close_after_days=5).save()
    cache.set(caching.REACTED_PREFIX + str(article.pk), 1_900_000_000.0, 60)
    calls, inside = [], []  # the calls made to the cache, not its own (get_many may get)
    real_get, real_get_many = cache.get, cache.get_many

    def counted(name, real):
        def call(*args, **kwargs):
            if not inside:
                calls.append(name)
            inside.append(name)
            try:
                return real(*args, **kwargs)
            finally:
                inside.pop()

        return call

    get, get_many = counted("get", real_get), counted("get_many", real_get_many)

    request = rf.get(article.get_absolute_url())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "get", get)
        patch.setattr(cache, "get_many", get_many)
        conf, settles = caching.settings_and_window(request, article.pk)
        assert caching.discussion_settings(request) is conf
    assert calls == ["get_many"]
    assert conf.close_after_days == 5
    assert settles == caching.reactions_settle_at(article.pk)
    assert settles.timestamp() == 1_900_000_000.0
    # Settings already read in this request: only the window is asked for.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "get", get)
        patch.setattr(cache, "get_many", get_many)
        other = caching.settings_and_window(request, make_article().pk)
    assert other == (conf, None) and calls == ["get_many", "get"]
