import re

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.urls import reverse

from comments.models import Comment, DiscussionSettings, thread_path
from comments.threads import thread_page
from tests.comments.helpers import (
    ARTICLE_QUERIES,
    COMMENT_SECTION_QUERIES,
    SPEAKERS_QUERY,
    make_comment,
)
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def ids_on_page(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)]


def bulk_thread(article, total: int) -> None:
    """total approved comments: a fifth top-level, each with four replies nested below it."""
    roots = Comment.objects.bulk_create(
        Comment(article=article, body=f"root {n}", name="R", status="approved")
        for n in range(total // 5)
    )
    for root in roots:
        root.path, root.root_id = thread_path(root.pk), root.pk
    Comment.objects.bulk_update(roots, ["path", "root"])
    parents = roots
    for depth in range(2, 6):
        children = Comment.objects.bulk_create(
            Comment(
                article=article,
                parent=p,
                root_id=p.root_id,
                depth=depth,
                body="re",
                name="C",
                status="approved",
            )
            for p in parents
        )
        for child, parent in zip(children, parents, strict=True):
            child.path = thread_path(child.pk, parent.path)
        Comment.objects.bulk_update(children, ["path"])
        parents = children


@pytest.mark.parametrize("total", [10, 2000])
def test_article_page_query_count_is_fixed_with_10_and_2000_comments(
    client, django_assert_num_queries, total
):
    # A worker's first page also builds allauth's providers (accounts_tags._logins_for):
    # measured in a worker that has served a page, as the suite's order may or may not give.
    assert client.get(make_article().get_absolute_url()).status_code == 200
    cache.clear()  # then as cold as every test's page: no settings, no site, no fragments
    Site.objects.clear_cache()
    article = make_article()
    bulk_thread(article, total)
    # article + authors + the comments section, whatever the number of comments
    with django_assert_num_queries(ARTICLE_QUERIES + COMMENT_SECTION_QUERIES):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert f"{total} comments" in response.content.decode()


def test_thread_is_read_in_one_query_in_display_order(django_assert_num_queries):
    article = make_article()
    first = make_comment(article)
    second = make_comment(article)
    reply = make_comment(article, parent=first)
    reply_reply = make_comment(article, parent=reply)
    conf = DiscussionSettings.load()
    with django_assert_num_queries(2):  # counts, then the page of rows
        page = thread_page(article, conf=conf)
    assert [c.pk for c in page.comments] == [first.pk, reply.pk, reply_reply.pk, second.pk]


def test_newest_first_orders_top_level_newest_first_and_replies_oldest_first(client):
    article = make_article()
    old = make_comment(article)
    reply_a = make_comment(article, parent=old)
    reply_b = make_comment(article, parent=old)
    new = make_comment(article)
    html = client.get(article.get_absolute_url() + "?corder=newest").content.decode()
    assert ids_on_page(html) == [new.pk, old.pk, reply_a.pk, reply_b.pk]


def test_replies_are_nested_in_the_markup(client):
    article = make_article()
    parent = make_comment(article, body="the parent")
    child = make_comment(article, parent=parent, body="the child")
    html = client.get(article.get_absolute_url()).content.decode()
    parent_at = html.index(f'id="comment-{parent.pk}"')
    children_at = html.index('<ol class="children', parent_at)
    assert parent_at < children_at < html.index(f'id="comment-{child.pk}"')


def test_removed_comment_keeps_its_place_so_replies_stay_readable(client):
    article = make_article()
    parent = make_comment(article, body="secret words", status=Comment.Status.REMOVED)
    make_comment(article, parent=parent, body="a reply that stays")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "This comment was removed." in html
    assert "secret words" not in html
    assert "a reply that stays" in html


def test_removed_comment_without_replies_is_not_shown(client):
    article = make_article()
    make_comment(article, body="gone", status=Comment.Status.REMOVED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "This comment was removed." not in html and "gone" not in html


def test_pending_and_spam_comments_are_not_shown_to_readers(client):
    article = make_article()
    make_comment(article, body="waiting text", status=Comment.Status.PENDING)
    make_comment(article, body="spam text", status=Comment.Status.SPAM)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "waiting text" not in html and "spam text" not in html
    assert "0 comments" in html


@pytest.fixture
def three_per_page():
    conf = DiscussionSettings.load()
    conf.per_page = 3
    conf.save()


def test_top_level_comments_are_paged_with_their_replies(client, three_per_page):
    article = make_article()
    roots = [make_comment(article) for _ in range(7)]
    reply = make_comment(article, parent=roots[3])
    page2 = client.get(article.get_absolute_url() + "?cpage=2").content.decode()
    assert ids_on_page(page2) == [roots[3].pk, reply.pk, roots[4].pk, roots[5].pk]
    page3 = client.get(article.get_absolute_url() + "?cpage=3").content.decode()
    assert ids_on_page(page3) == [roots[6].pk]
    assert 'aria-label="Comment pages"' in page3


def test_page_number_out_of_range_shows_the_last_page(client, three_per_page):
    article = make_article()
    roots = [make_comment(article) for _ in range(4)]
    html = client.get(article.get_absolute_url() + "?cpage=99").content.decode()
    assert ids_on_page(html) == [roots[3].pk]
    html = client.get(article.get_absolute_url() + "?cpage=abc").content.decode()
    assert ids_on_page(html)[0] == roots[0].pk


def test_default_page_size_is_fifty(client):
    article = make_article()
    roots = [make_comment(article) for _ in range(51)]
    html = client.get(article.get_absolute_url()).content.decode()
    assert len(ids_on_page(html)) == 50
    page2 = client.get(article.get_absolute_url() + "?cpage=2").content.decode()
    assert ids_on_page(page2) == [roots[50].pk]


@pytest.mark.parametrize("index, page", [(0, 1), (2, 1), (3, 2), (6, 3)])
def test_permalink_finds_the_page_of_a_comment(client, three_per_page, index, page):
    article = make_article()
    roots = [make_comment(article) for _ in range(7)]
    response = client.get(reverse("comments:permalink", args=[roots[index].pk]))
    query = f"?cpage={page}" if page > 1 else ""
    assert response.url == f"{article.get_absolute_url()}{query}#comment-{roots[index].pk}"
    assert roots[index].pk in ids_on_page(client.get(response.url).content.decode())


def test_permalink_of_a_reply_finds_the_page_of_its_thread(client, three_per_page):
    article = make_article()
    roots = [make_comment(article) for _ in range(4)]
    reply = make_comment(article, parent=make_comment(article, parent=roots[3]))
    response = client.get(reverse("comments:permalink", args=[reply.pk]))
    assert response.url == f"{article.get_absolute_url()}?cpage=2#comment-{reply.pk}"


def test_permalink_of_a_pending_comment_is_refused_to_others(client):
    article = make_article()
    pending = make_comment(article, status=Comment.Status.PENDING)
    assert client.get(reverse("comments:permalink", args=[pending.pk])).status_code == 403


def test_body_is_plain_text_with_paragraphs_and_nofollow_links(client):
    article = make_article()
    make_comment(article, body="First line\nsecond line\n\nSee https://example.org/a?b=1&c=2.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>First line<br>\nsecond line</p>" in html
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.org/a?b=1&amp;c=2</a>." in html
    )


def test_comment_count_and_feed_link_are_shown(client):
    article = make_article()
    make_comment(article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "1 comment<" in html
    assert reverse("comments:article-feed", args=[article.pk]) in html


@pytest.mark.parametrize("total", [10, 2000])
def test_logged_in_readers_page_query_count_is_fixed(client, django_assert_num_queries, total):
    from tests.factories import make_user

    article = make_article()
    bulk_thread(article, total)
    user = make_user()
    client.force_login(user)
    Comment.objects.filter(pk__in=Comment.objects.values("pk")[:5]).update(user=user)
    client.get(article.get_absolute_url())  # warm the session and settings caches
    # the article's own queries, the user (session from cache), counts + thread, the
    # commenters' accounts (five comments are the reader's), the reader's own comments
    with django_assert_num_queries(ARTICLE_QUERIES + 4 + SPEAKERS_QUERY):
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("pending", [3, 30])
def test_moderation_queue_query_count_is_fixed(client, django_assert_num_queries, pending):
    from tests.comments.helpers import make_moderator

    article = make_article()
    parent = make_comment(article)
    for n in range(pending):
        make_comment(article, parent=parent, status="pending", email=f"p{n}@example.com")
    client.force_login(make_moderator())
    client.get(reverse("admin:comments_comment_changelist"))
    # user, permissions, counts for the paginator, the page with history subqueries, ...:
    # the same number whatever the number of rows; +1 for the staff two-factor policy check;
    # +1 a queue tab for its count (comments/queue.py: one count a tab)
    from comments.queue import tabs

    with django_assert_num_queries(7 + len(tabs())):
        assert client.get(reverse("admin:comments_comment_changelist")).status_code == 200
