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
