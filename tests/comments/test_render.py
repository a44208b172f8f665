"""The thread built in Python (comments/render.py): well-formed nesting, every value escaped."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from comments import render
from comments.threads import ThreadPage, mark_nesting
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
VOID = {"br", "img", "input", "meta", "link", "hr"}


class Nesting(HTMLParser):
    """Records each comment's chain of open elements, and fails on a mismatched close."""

    def __init__(self):
        super().__init__()
        self.stack, self.parents = [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and attrs.get("id", "").startswith("comment-"):
            above = [a for t, a in self.stack if t == "li" and a]
            self.parents[attrs["id"]] = above[-1] if above else None
        if tag not in VOID:
            self.stack.append((tag, attrs.get("id", "") if tag == "li" else ""))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag, (tag, self.stack)
        self.stack.pop()


def page(comments, *, number=1, closed=""):
    thread = ThreadPage(
        comments=mark_nesting(comments), count=0, number=number, num_pages=1, newest_first=False
    )
    thread.closed = closed
    return str(render.thread_html(thread))


def test_replies_nest_under_their_parents_and_every_list_is_closed():
    article = make_article()
    a = make_comment(article, body="a")
    a1 = make_comment(article, parent=a, body="a1")
    a11 = make_comment(article, parent=a1, body="a11")
    b = make_comment(article, body="b")
    parser = Nesting()
    parser.feed(page([a, a1, a11, b]))
    assert parser.stack == []
    assert parser.parents == {
        f"comment-{a.pk}": None,
        f"comment-{a1.pk}": f"comment-{a.pk}",
        f"comment-{a11.pk}": f"comment-{a1.pk}",
        f"comment-{b.pk}": None,
    }


def test_every_stored_value_is_escaped():
    article = make_article()
    hostile = '"><script>alert(1)</script>'
    comment = make_comment(
        article,
        name=hostile,
        url=f"https://x.example/{hostile}",
        body=f"{hostile}\n\nhttp://y.example/{hostile}",
        in_reply_to_name=hostile,
    )
    html = page([comment])
    assert "<script>" not in html and '"><script' not in html
    assert html.count("&lt;script&gt;") == 5  # name, in reply to, body twice, url
    Nesting().feed(html)


def test_names_and_bodies_are_isolated_so_they_cannot_reorder_the_text_around_them():
    """A right-to-left override (U+202E) or isolate in a stored name or body stays inside
    its own element: names in <bdi>, bodies in a dir="auto" block."""
    rlo = "\u202e"
    comment = make_comment(
        make_article(),
        name=f"{rlo}Eve",
        url="https://eve.example",
        body=f"{rlo}evil text",
        in_reply_to_name=f"\u2067Bob{rlo}",
    )
    html = page([comment])
    assert (
        f'<bdi><a href="https://eve.example" rel="nofollow ugc noopener">{rlo}Eve</a></bdi>' in html
    )
    assert f"in reply to <bdi>\u2067Bob{rlo}</bdi>" in html
    assert f'<div class="comment-content" dir="auto"><p>{rlo}evil text</p></div>' in html
    plain = page([make_comment(make_article(), name=f"{rlo}Ann")])
    assert f'<h3 class="comment-author"><bdi>{rlo}Ann</bdi></h3>' in plain
    Nesting().feed(html)


@pytest.mark.parametrize(
    "template",
    ["comments/_own.html", "comments/comment_delete.html", "comments/moderate_confirm.html"],
)
def test_bodies_and_names_shown_by_templates_are_isolated_too(template, rf):
    rlo = "\u202e"
    comment = make_comment(make_article(), name=f"{rlo}Eve", body=f"{rlo}evil text")
    if template == "comments/_own.html":
        comment.status = "pending"  # the only text of theirs it shows is what others cannot see
    request = rf.get("/")
    request.user = AnonymousUser()
    context = {"own": [comment], "comment": comment, "action": "approve"}
    html = render_to_string(template, context, request=request)
    assert re.search(rf'<(div|blockquote) class="[^"]*" dir="auto"><p>{rlo}evil text</p>', html)
    if template == "comments/moderate_confirm.html":
        assert f"by <bdi>{rlo}Eve</bdi>" in html


def test_the_account_panel_isolates_each_comment(rf):
    user = make_user()
    make_comment(make_article(), user=user, name="", body="\u202eevil text")
    html = render_to_string("comments/_account_panel.html", {"user": user})
    assert "<bdi>\u202eevil text</bdi>" in html


def test_the_commenting_as_name_is_isolated(client):
    client.force_login(make_user(display_name="سارة"))
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert "You are commenting as <strong><bdi>سارة</bdi></strong>" in html


def test_a_logged_in_commenter_is_named_by_their_account_and_never_linked():
    user = make_user(display_name="Riley <R>")
    comment = make_comment(make_article(), user=user, name="", url="https://spam.example")
    html = page([comment])
    assert "Riley &lt;R&gt;" in html and "spam.example" not in html


def test_time_in_the_site_zone_edited_marker_and_reply_links_keep_the_page():
    comment = make_comment(
        make_article(),
        created_at=datetime(2022, 1, 12, 13, 5, tzinfo=UTC),
        edited_at=datetime(2022, 1, 12, 13, 9, tzinfo=UTC),
    )
    comment.created_at = datetime(2022, 1, 12, 13, 5, tzinfo=UTC)
    html = page([comment], number=3)
    # The attribute in UTC to the minute (as precise as what it stands for), the text local.
    assert '<time datetime="2022-01-12T13:05Z">12 January 2022, 14:05</time>' in html
    assert "(edited)" in html
    assert f'href="?cpage=3&amp;replytocom={comment.pk}#respond"' in html
    assert "Reply</a>" not in page([comment], closed="Comments are closed.")


def test_removed_comment_is_a_placeholder_without_its_text():
    comment = make_comment(make_article(), body="gone words", status="removed")
    html = page([comment])
    assert "This comment was removed." in html and "gone words" not in html


def test_an_empty_thread_says_so():
    assert "No comments yet." in page([])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one\r\ntwo", "<p>one<br>\ntwo</p>"),
        ("one\n\n\n two", "<p>one</p>\n<p>two</p>"),
        (
            "see www.x.example/a).",
            '<p>see <a href="http://www.x.example/a" rel="nofollow ugc noopener">'
            "www.x.example/a</a>).</p>",
        ),
        ("<b>&", "<p>&lt;b&gt;&amp;</p>"),
        ("  \n\n ", ""),
    ],
)
def test_body_paragraphs_line_breaks_and_links(text, expected):
    assert render.body_html(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "plain words, no address.",
        "WWW.X.EXAMPLE/shouting",
        "wWw.x.example mixed case",
        "see Www.x.example.",
        "HTTPS://x.example/a",
        "ftp://x.example is not a web address",
        "w. and W. and ww. but no address",
        "news.www.x.example inside a word",
        "www.",
        "",
    ],
)
def test_the_quick_link_test_never_misses_an_address_the_full_search_finds(text):
    """_may_link skips URL_RE only where it cannot match: a missed "www." in any case would
    print an address as plain text."""
    assert render._may_link(text) or not render.URL_RE.search(text)
    if render.URL_RE.search(text):
        assert "<a href=" in render.body_html(text)


def test_page_links_mark_the_current_page_and_keep_the_order():
    thread = SimpleNamespace(pages=[1, 2, 3], number=2, order="newest")
    assert render.pages_html(thread) == (
        '<nav aria-label="Comment pages"><ul class="pagination pagination-sm">'
        '<li class="page-item"><a class="page-link" href="?cpage=1&amp;sort=newest#comments">'
        "1</a></li>"
        '<li class="page-item active"><span class="page-link" aria-current="page">2</span></li>'
        '<li class="page-item"><a class="page-link" href="?cpage=3&amp;sort=newest#comments">'
        "3</a></li></ul></nav>"
    )
    assert render.pages_html(SimpleNamespace(pages=[], number=1, order="oldest")) == ""
