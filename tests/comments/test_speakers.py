"""Issue 16, who is speaking: "Author" and "Staff" badges, avatars or initials, and "in
reply to X" linked to X, all from the thread's one query."""

import re

import pytest
from django.urls import reverse

from accounts.avatars import avatar_store
from comments import moderation
from comments.models import Comment
from comments.render import initials
from tests.comments.helpers import (
    ARTICLE_QUERIES,
    COMMENT_SECTION_QUERIES,
    SPEAKERS_QUERY,
    make_comment,
    make_moderator,
)
from tests.comments.test_posting import configure
from tests.factories import make_article, make_image_bytes, make_user

pytestmark = pytest.mark.django_db


def comment_html(html: str, comment) -> str:
    start = html.index(f'<li id="comment-{comment.pk}"')
    return html[start : html.index("</article>", start)]


def test_the_articles_author_gets_an_author_badge_and_staff_a_staff_badge(client):
    author = make_user(display_name="Anna Writer", is_staff=True)
    article = make_article(authors=[author])
    by_author = make_comment(article, user=author, name="")
    by_staff = make_comment(article, user=make_user(is_staff=True), name="")
    by_reader = make_comment(article, user=make_user(), name="")
    by_guest = make_comment(article, name="Staff")  # a guest typing "Staff" gets no badge
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="comment-badge">Author</span>' in comment_html(html, by_author)
    assert '<span class="comment-badge">Staff</span>' in comment_html(html, by_staff)
    assert "comment-badge" not in comment_html(html, by_reader)
    assert "comment-badge" not in comment_html(html, by_guest)


def test_an_author_of_another_article_is_staff_here(client):
    writer = make_user(is_staff=True)
    make_article(authors=[writer])
    article = make_article()
    comment = make_comment(article, user=writer, name="")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="comment-badge">Staff</span>' in comment_html(html, comment)


def test_an_account_with_an_avatar_shows_it_beside_the_comment(client):
    from PIL import Image

    user = make_user()
    image = Image.open(__import__("io").BytesIO(make_image_bytes(size=(300, 300))))
    user.avatar.name = avatar_store(user=user, image=image)
    user.save()
    comment = make_comment(make_article(), user=user, name="")
    html = client.get(comment.article.get_absolute_url()).content.decode()
    shown = comment_html(html, comment)
    src = re.search(r'<img src="([^"]+)"', shown).group(1)
    assert src.endswith("-48.jpg") and src.startswith("/media/avatars/")
    assert 'alt=""' in shown and "avatar-c" not in shown


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Jane Q Public", "JQ"),
        ("jane", "J"),
        ("  ", "?"),
        ("<b>x</b> y", "Y"),
        ("Émile Zola", "ÉZ"),
    ],
)
def test_initials(name, letters):
    assert initials(name) == letters


def test_guests_and_accounts_without_an_avatar_get_initials_in_a_coloured_circle(client):
    article = make_article()
    guest = make_comment(article, name="Mary Major <script>")
    member = make_comment(article, user=make_user(display_name="Tom Thumb"), name="")
    html = client.get(article.get_absolute_url()).content.decode()
    circle = re.compile(r'<span class="avatar-c[0-5]" aria-hidden="true">(.*?)</span>')
    assert circle.search(comment_html(html, guest)).group(1) == "MM"
    assert circle.search(comment_html(html, member)).group(1) == "TT"
    assert "<script>" not in comment_html(html, guest)


def test_the_same_name_always_gets_the_same_colour(client):
    article = make_article()
    a, b = make_comment(article, name="Ann Lee"), make_comment(article, name="Ann Lee")
    html = client.get(article.get_absolute_url()).content.decode()
    colour = re.compile(r"avatar-c(\d)")
    assert colour.search(comment_html(html, a)).group(1) == colour.search(
        comment_html(html, b)
    ).group(1)


def answered_below_the_deepest_level(name: str):
    """A reply to a comment at the deepest level (2): it attaches one level up, naming the
    comment answered. Returns (article, the comment answered, the reply)."""
    configure(thread_depth=2)
    article = make_article()
    top = make_comment(article)
    deep = make_comment(article, parent=top, name=name)
    reply = make_comment(article, parent=top, in_reply_to_name=name, replied_to=deep)
    return article, deep, reply


def test_in_reply_to_links_to_the_comment_answered(client):
    article, deep, reply = answered_below_the_deepest_level("Deep <Dan>")
    html = client.get(article.get_absolute_url()).content.decode()
    shown = comment_html(html, reply)
    assert f'in reply to <a href="#comment-{deep.pk}"><bdi>Deep &lt;Dan&gt;</bdi></a>' in shown
    assert f'<li id="comment-{deep.pk}"' in html  # the target is on the page


@pytest.mark.parametrize("total", [5, 60])
def test_badges_and_avatars_cost_no_query_per_comment(client, django_assert_num_queries, total):
    author = make_user(is_staff=True)
    article = make_article(authors=[author])
    staff = make_user(is_staff=True)
    for n in range(total):
        user = (author, staff, None)[n % 3]
        make_comment(article, user=user, name="" if user else f"Guest {n}")
    with django_assert_num_queries(ARTICLE_QUERIES + COMMENT_SECTION_QUERIES + SPEAKERS_QUERY):
        html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('<span class="avatar-c') == min(total, 50)
    assert Comment.objects.count() == total


def test_a_picks_in_reply_to_links_to_the_permalink_of_the_comment_answered(client):
    article, deep, reply = answered_below_the_deepest_level("Dan")
    moderation.comment_feature(comment=reply, moderator=make_moderator())
    html = client.get(article.get_absolute_url()).content.decode()
    picks = html[html.index('<aside class="editors-picks"') : html.index("</aside>")]
    target = reverse("comments:permalink", args=[deep.pk])
    assert f'in reply to <a href="{target}"><bdi>Dan</bdi></a>' in picks
