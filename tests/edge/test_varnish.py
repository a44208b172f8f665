"""Readers served by a real Varnish: what it keeps, and how fast a change reaches it.

Tasks run in-process (tests/conftest.py), so the purge a change queues is sent when the
change commits: "within one second" covers the purge and the page built again.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import Article, Byline
from articles.scheduling import refresh_next_go_live
from comments.models import Comment
from comments.moderation import comment_moderate
from core.models import PendingPurge
from tests.comments.helpers import make_comment
from tests.factories import guest_cookie, make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)
ONE_SECOND = 1.0


def editor():
    return make_user(is_superuser=True, is_staff=True)


def hit(edge, path: str, **headers):
    """GET ``path`` until the edge serves it from its cache (the page stored)."""
    answer, _ = edge.wait_for(path, lambda a: a.cache == "HIT", **headers)
    assert answer.cache == "HIT", (answer.status, answer.headers)
    return answer


def test_anonymous_article_is_a_hit_on_the_second_request(edge):
    path = make_article(title="Edge story").get_absolute_url()
    first, second = edge.get(path), edge.get(path)
    assert (first.status, first.cache) == (200, "MISS")
    assert (second.status, second.cache) == (200, "HIT")
    assert second.body == first.body and "Edge story" in second.body
    assert "xkey" not in second.headers  # the tags are the edge's, not the reader's


def test_shared_pages_at_the_edge_carry_no_cookie(edge):
    article = make_article()
    for path in ("/", article.get_absolute_url(), "/feed/rss/"):
        first = edge.get(path)
        assert "Set-Cookie" not in first.headers, path
        assert "Set-Cookie" not in hit(edge, path).headers, path


def test_tracking_parameters_share_the_cached_page(edge):
    path = make_article().get_absolute_url()
    hit(edge, path)
    tracked = edge.get(path + "?utm_source=news&fbclid=abc&gclid=1")
    assert tracked.cache == "HIT"


def test_a_correction_shows_at_the_edge_within_a_second(edge):
    article = make_article()
    path = article.get_absolute_url()
    hit(edge, path)
    services.correction_add(article=article, by=editor(), text="The minister was misnamed.")
    answer, took = edge.wait_for(path, lambda a: "The minister was misnamed." in a.body)
    assert "The minister was misnamed." in answer.body
    assert took < ONE_SECOND
    assert not PendingPurge.objects.exists()


def test_an_approved_comment_shows_at_the_edge_within_a_second(edge):
    article = make_article()
    path = article.get_absolute_url()
    comment = make_comment(article, status=Comment.Status.PENDING, body="Held for a moderator.")
    assert "Held for a moderator." not in hit(edge, path).body
    comment_moderate(comment=comment, moderator=editor(), action="approve")
    answer, took = edge.wait_for(path, lambda a: "Held for a moderator." in a.body)
    assert "Held for a moderator." in answer.body
    assert took < ONE_SECOND


def test_an_edited_byline_shows_at_the_edge_within_a_second(edge):
    article = make_article()
    path = article.get_absolute_url()
    hit(edge, path)
    Byline.objects.create(
        article=article, author=make_user(display_name="Zelda Nouvelle"), position=1
    )
    services.article_mark_revised(article=article)  # what the admin does after the inline
    answer, took = edge.wait_for(path, lambda a: "Zelda Nouvelle" in a.body)
    assert "Zelda Nouvelle" in answer.body
    assert took < ONE_SECOND


def test_an_unpublished_article_leaves_the_edge_within_a_second(edge):
    article = make_article(title="Soon withdrawn")
    path = article.get_absolute_url()
    hit(edge, path)
    assert "Soon withdrawn" in hit(edge, "/").body
    services.article_unpublish(article=article, by=editor())
    answer, took = edge.wait_for(path, lambda a: a.status == 404)
    assert answer.status == 404
    assert took < ONE_SECOND
    assert "Soon withdrawn" not in edge.get("/").body


def test_a_scheduled_article_shows_on_the_edge_front_page_within_a_second_of_going_live(edge):
    make_article(title="Already out")
    go_live = timezone.now() + timedelta(seconds=2.5)
    make_article(title="Embargoed story", status=Article.Status.SCHEDULED, published_at=go_live)
    refresh_next_go_live()
    assert "Embargoed story" not in hit(edge, "/").body
    edge.wait_for("/", lambda a: timezone.now() >= go_live)  # the edge keeps serving meanwhile
    answer, _ = edge.wait_for("/", lambda a: "Embargoed story" in a.body)
    assert "Embargoed story" in answer.body
    assert (timezone.now() - go_live).total_seconds() < ONE_SECOND


def test_a_logged_in_reader_is_never_served_from_the_edge(edge):
    article = make_article()
    path = article.get_absolute_url()
    hit(edge, path)
    client = Client()
    client.force_login(make_user(display_name="Logged Reader"))
    session = f"sessionid={client.cookies['sessionid'].value}"
    answers = [edge.get(path, Cookie=session) for _ in range(2)]
    assert [a.cache for a in answers] == ["MISS", "MISS"]
    assert all("private" in a.headers["Cache-Control"] for a in answers)


def test_a_guest_with_saved_details_is_never_served_from_the_edge(edge):
    article = make_article()
    path = article.get_absolute_url()
    hit(edge, path)
    mine = make_comment(article, status=Comment.Status.PENDING)
    name, value = guest_cookie([mine.pk])
    reader_path = f"/comments/reader/{article.pk}/"
    for where in (path, reader_path):
        answers = [edge.get(where, Cookie=f"{name}={value}") for _ in range(2)]
        assert [a.cache for a in answers] == ["MISS", "MISS"], where


def test_a_preview_link_and_the_admin_are_never_served_from_the_edge(edge):
    draft = make_article(title="Draft in preview", status=Article.Status.DRAFT, published_at=None)
    link = services.preview_link_create(article=draft, by=editor())
    client = Client()
    client.force_login(editor())
    staff = f"sessionid={client.cookies['sessionid'].value}"
    for path, headers in (
        (link.get_absolute_url(), {}),
        ("/admin/", {}),
        ("/admin/articles/article/", {"Cookie": staff}),
    ):
        answers = [edge.get(path, **headers) for _ in range(2)]
        assert [a.cache for a in answers] == ["MISS", "MISS"], path
    assert "Draft in preview" in edge.get(link.get_absolute_url()).body


def test_varnish_answers_from_grace_while_the_app_is_stopped(grace_edge):
    path = make_article(title="Still readable").get_absolute_url()
    kept = hit(grace_edge, path)
    grace_edge.app.stop()
    # The object is past its second of life: only grace (the probe sees the app gone) serves it.
    answer, _ = grace_edge.wait_for(path, lambda a: a.status == 200 and int(a.headers["Age"]) > 1)
    assert answer.status == 200
    assert answer.body == kept.body
