"""Listing totals kept as fragments: a page build counts nothing until an article changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
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
