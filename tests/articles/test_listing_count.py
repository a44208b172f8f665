"""Listing totals kept as fragments: a page build counts nothing until an article changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from core import pagecache
from tests.factories import make_article, make_member, make_ready_draft, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_only")]


def counts(client, url: str) -> tuple[int, list[str]]:
    """The listing's total, and the COUNT queries its build ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.context["paginator"].count, [
        q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT(*)")
    ]


@pytest.mark.parametrize("listing", ["front", "section"])
def test_the_total_is_counted_once_then_again_after_a_publish(client, listing):
    section = make_section(slug="desk")
    for _ in range(3):
        make_article(section=section)
    url = reverse("articles:front") if listing == "front" else section.get_absolute_url()
    assert counts(client, url)[0] == 3
    assert counts(client, url) == (3, [])  # kept
    draft = make_ready_draft(section=section)
    services.article_publish(article=draft, by=make_member("Editor"))
    total, queries = counts(client, url)
    assert total == 4 and len(queries) == 1


@pytest.mark.parametrize(("seconds", "kept"), [(0.5, False), (3600, True)])
def test_the_total_is_not_kept_past_the_next_go_live(client, seconds, kept):
    from datetime import timedelta

    from django.utils import timezone

    make_article()
    make_article(status="scheduled", published_at=timezone.now() + timedelta(seconds=seconds))
    url = reverse("articles:front")
    counts(client, url)
    assert (counts(client, url)[1] == []) is kept


def test_a_total_kept_too_long_never_hides_an_article(client):
    from django.utils import timezone

    titles = [make_article().title for _ in range(3)]
    url = reverse("articles:front")
    assert counts(client, url)[0] == 3
    # A row that arrived without any event (as a go-live does until the kept total expires).
    titles.append(make_article(title="Arrived quietly", published_at=timezone.now()).title)
    # The kept cards may expire before the kept total (each is kept for the TTL from its
    # own build): only the total is left.
    cache.delete(pagecache.FRAGMENT_PREFIX + "listing:/:1")
    response = client.get(url)
    assert response.context["paginator"].count == 3  # stale
    html = response.content.decode()
    assert all(title in html for title in titles)  # the oldest is not cut off
