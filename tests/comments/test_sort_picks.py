"""Issue 16: the thread's orders (?sort=) and the editors' picks (service, block, feed)."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from comments import moderation
from comments.models import Comment, ModerationLog
from core import pagecache
from tests.comments.helpers import (
    ARTICLE_QUERIES,
    COMMENT_SECTION_QUERIES,
    make_comment,
    make_moderator,
)
from tests.comments.test_posting import configure
from tests.factories import make_article, make_member, make_user

pytestmark = pytest.mark.django_db


def ids_on_page(html: str) -> list[int]:
    thread = html[html.index('<ol class="comment-list') :]
    return [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', thread)]


def liked(article, likes: list[int]) -> list[Comment]:
    """Top-level comments, oldest first, with these like counts."""
    made = []
    for count in likes:
        comment = make_comment(article)
        Comment.objects.filter(pk=comment.pk).update(reaction_count=count)
        made.append(comment)
    return made


# --- Sort -----------------------------------------------------------------------------------


def test_most_liked_puts_top_level_comments_by_likes_with_their_replies(client):
    article = make_article()
    few, many, some = liked(article, [1, 9, 4])
    reply = make_comment(article, parent=few)
    Comment.objects.filter(pk=reply.pk).update(reaction_count=50)  # a reply's likes move no thread
    html = client.get(article.get_absolute_url(), {"sort": "liked"}).content.decode()
    assert ids_on_page(html) == [many.pk, some.pk, few.pk, reply.pk]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("oldest", [0, 1, 2]), ("newest", [2, 1, 0]), ("liked", [1, 0, 2])],
)
def test_each_order_and_its_link_in_the_thread_header(client, sort, expected):
    article = make_article()
    made = liked(article, [3, 7, 3])
    html = client.get(article.get_absolute_url(), {"sort": sort}).content.decode()
    assert ids_on_page(html) == [made[n].pk for n in expected]
    labels = {"oldest": "Oldest first", "newest": "Newest first", "liked": "Most liked"}
    assert f'<strong aria-current="true">{labels[sort]}</strong>' in html
    for other in set(labels) - {sort}:
        assert f'href="?sort={other}#comments">{labels[other]}</a>' in html


def test_most_liked_is_stable_across_pages_ties_broken_by_age(client):
    configure(per_page=2)
    article = make_article()
    made = liked(article, [2, 5, 2, 5, 0, 2])
    seen = []
    for page in (1, 2, 3):
        query = {"sort": "liked", "cpage": page}
        html = client.get(article.get_absolute_url(), query).content.decode()
        seen += ids_on_page(html)
        if page < 3:
            assert f"?cpage={page + 1}&amp;sort=liked#comments" in html  # the order is kept
    # 5, 5 (oldest first), then 2, 2, 2, then 0: each comment once, in the same order
    assert seen == [made[n].pk for n in (1, 3, 0, 2, 5, 4)]


def test_the_old_corder_parameter_still_orders(client):
    article = make_article()
    old, new = make_comment(article), make_comment(article)
    html = client.get(article.get_absolute_url(), {"corder": "newest"}).content.decode()
    assert ids_on_page(html) == [new.pk, old.pk]


def test_each_sort_is_its_own_cached_page_and_other_values_go_past_the_cache(client, settings):
    settings.PAGECACHE_RACE_MARGIN = 0
    article = make_article()
    liked(article, [1, 2])
    url = article.get_absolute_url()
    for sort in ("oldest", "newest", "liked"):
        assert client.get(url, {"sort": sort})["X-Page-Cache"] == "MISS"
        assert client.get(url, {"sort": sort})["X-Page-Cache"] == "HIT"
    # an unknown value is no new cache entry (a flood of variants): answered by the view
    answer = client.get(url, {"sort": "random-1"})
    assert answer.status_code == 200 and "X-Page-Cache" not in answer
    assert "private" in answer["Cache-Control"]


def test_article_page_query_count_with_a_sort(client, django_assert_num_queries):
    article = make_article()
    liked(article, [1, 2, 3])
    with django_assert_num_queries(ARTICLE_QUERIES + COMMENT_SECTION_QUERIES):
        assert client.get(article.get_absolute_url(), {"sort": "liked"}).status_code == 200


# --- Editors' picks: the service ------------------------------------------------------------


def test_a_moderator_features_and_unfeatures_a_comment_logged():
    article = make_article()
    comment = make_comment(article)
    moderator = make_moderator()
    moderation.comment_feature(comment=comment, moderator=moderator, reason="smart")
    comment.refresh_from_db()
    assert comment.featured_at is not None
    moderation.comment_feature(comment=comment, moderator=moderator, featured=False)
    comment.refresh_from_db()
    assert comment.featured_at is None
    log = ModerationLog.objects.filter(comment=comment).order_by("id")
    assert [(e.action, e.actor, e.reason) for e in log] == [
        ("feature", moderator, "smart"),
        ("unfeature", moderator, ""),
    ]


@pytest.mark.parametrize("who", ["reader", "reporter", "anonymous"])
def test_a_reader_or_a_reporter_cannot_feature(who):
    from django.contrib.auth.models import AnonymousUser

    comment = make_comment(make_article())
    actor = {
        "reader": make_user,
        "reporter": lambda: make_member("Reporter"),
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(PermissionDenied):
        moderation.comment_feature(comment=comment, moderator=actor)
    comment.refresh_from_db()
    assert comment.featured_at is None and not ModerationLog.objects.exists()


def test_only_a_published_comment_can_be_featured():
    comment = make_comment(make_article(), status=Comment.Status.PENDING)
    with pytest.raises(ValidationError):
        moderation.comment_feature(comment=comment, moderator=make_moderator())


def test_featuring_expires_the_article_page(client, settings):
    settings.PAGECACHE_RACE_MARGIN = 0
    article = make_article()
    comment = make_comment(article, body="Worth reading")
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "HIT"
    moderation.comment_feature(comment=comment, moderator=make_moderator())
    answer = client.get(url)
    assert answer["X-Page-Cache"] != "HIT" and "Editors’ picks" in answer.content.decode()


# --- Editors' picks: the block and the feed -------------------------------------------------


def test_the_picks_block_sits_above_the_thread_and_links_to_the_comment(client):
    configure(per_page=1)
    article = make_article()
    make_comment(article, body="first")
    pick = make_comment(article, body="The pick of the day")
    moderation.comment_feature(comment=pick, moderator=make_moderator())
    html = client.get(article.get_absolute_url()).content.decode()
    block = html[html.index('<aside class="editors-picks"') : html.index("</aside>")]
    assert html.index("editors-picks") < html.index('<ol class="comment-list')
    assert "The pick of the day" in block
    link = reverse("comments:permalink", args=[pick.pk])
    assert f'<a class="pick-link" href="{link}">See it in the thread</a>' in block
    # the link finds the pick's place: page 2 of the thread, at the comment
    target = client.get(link)["Location"]
    assert target.endswith(f"?cpage=2#comment-{pick.pk}")


def test_no_picks_block_without_picks_and_a_taken_down_pick_leaves_it(client):
    article = make_article()
    pick = make_comment(article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "editors-picks" not in html
    moderator = make_moderator()
    moderation.comment_feature(comment=pick, moderator=moderator)
    moderation.comment_moderate(comment=pick, moderator=moderator, action="remove")
    assert "editors-picks" not in client.get(article.get_absolute_url()).content.decode()


def test_picks_cost_one_fixed_query_whatever_their_number(client, django_assert_num_queries):
    article = make_article()
    moderator = make_moderator()
    for _ in range(5):
        moderation.comment_feature(comment=make_comment(article), moderator=moderator)
    with django_assert_num_queries(ARTICLE_QUERIES + COMMENT_SECTION_QUERIES + 1):
        html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="pick-link"') == 5


def test_the_site_wide_picks_feed_lists_picks_newest_first(client):
    moderator = make_moderator()
    first = make_comment(make_article(), body="Picked first")
    second = make_comment(make_article(), body="Picked second")
    make_comment(make_article(), body="Not picked")
    for comment in (first, second):
        moderation.comment_feature(comment=comment, moderator=moderator)
    xml = client.get(reverse("comments:picks-feed")).content.decode()
    assert xml.index("Picked second") < xml.index("Picked first")
    assert "Not picked" not in xml
    assert reverse("comments:permalink", args=[first.pk]) in xml


def test_the_picks_feed_expires_when_a_comment_is_featured(client, settings):
    settings.PAGECACHE_RACE_MARGIN = 0
    url = reverse("comments:picks-feed")
    comment = make_comment(make_article(), body="Later a pick")
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "HIT"
    moderation.comment_feature(comment=comment, moderator=make_moderator())
    assert "Later a pick" in client.get(url).content.decode()


# --- Editors' picks: the admin --------------------------------------------------------------


def test_the_admin_action_features_and_the_queue_filters_picks(client):
    article = make_article()
    pick, other = make_comment(article, body="Chosen"), make_comment(article, body="Plain")
    client.force_login(make_moderator())
    changelist = reverse("admin:comments_comment_changelist")
    # from the "all" tab, where published comments are listed (the default tab is pending)
    client.post(
        changelist + "?queue=all",
        {"action": "feature", "_selected_action": [pick.pk], "reason": ""},
    )
    pick.refresh_from_db()
    assert pick.featured_at is not None
    listed = client.get(changelist, {"queue": "featured"})
    assert list(listed.context["cl"].result_list) == [pick]
    assert other.body not in [c.body for c in listed.context["cl"].result_list]


def test_a_reporter_in_the_admin_has_no_feature_action(client):
    comment = make_comment(make_article())
    reporter = make_member("Reporter")
    client.force_login(reporter)
    changelist = reverse("admin:comments_comment_changelist")
    client.post(changelist, {"action": "feature", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.featured_at is None
    assert not cache.get(pagecache.SCOPE_PREFIX + "comment-picks")


@pytest.mark.parametrize("picks", [1, 6])
def test_the_picks_feed_costs_one_query_whatever_its_size(client, django_assert_num_queries, picks):
    moderator = make_moderator()
    for _ in range(picks):
        moderation.comment_feature(comment=make_comment(make_article()), moderator=moderator)
    with django_assert_num_queries(2):  # the site (feeds ask), the picks with their articles
        xml = client.get(reverse("comments:picks-feed")).content.decode()
    assert xml.count("<item>") == picks
