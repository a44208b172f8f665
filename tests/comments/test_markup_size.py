"""The thread's markup, byte for byte, and its size per comment (comments/render.py).

A 2,000-comment article's first thread page holds some 270 comments, and a client that
does not take gzip gets every byte of each: bench/thread_markup.py measures them; these
tests keep the markup from growing unnoticed and keep a faster render byte-identical."""

from datetime import UTC, datetime

from django.test import override_settings

from bench.thread_markup import measure
from comments.render import picks_html, thread_html
from comments.threads import ThreadPage, ThreadRow, mark_nesting

# Bytes a comment on bench/thread_markup.py's page of 270 (bodies some 436 bytes of it):
# 1,192 with issue 16's markup, 900 before issue 16 added avatars, likes and report links.
BYTES_PER_COMMENT = 1005


def row(pk, depth, **fields) -> ThreadRow:
    values = {
        "parent_id": None,
        "status": "approved",
        "body": "Words.",
        "name": "",
        "url": "",
        "user_id": None,
        "in_reply_to_name": "",
        "created_at": datetime(2022, 1, 12, 13, 5, 30, tzinfo=UTC),
        "edited_at": None,
        "username": None,
        "display_name": None,
        "first_name": None,
        "last_name": None,
        "reaction_count": 0,
        "replied_to_id": None,
        "featured_at": None,
        "is_staff": None,
        "avatar": None,
    }
    return ThreadRow(pk=pk, depth=depth, **(values | fields))


def account(user_id, name, **fields) -> dict:
    names = {"username": f"u{user_id}", "display_name": name, "first_name": "", "last_name": ""}
    return {"user_id": user_id, **names, **fields}


ROWS = [
    row(
        11,
        1,
        name="Ann Lee",
        url="https://ann.example",
        body="See www.x.example/a.",
        reaction_count=2,
    ),
    row(
        12,
        2,
        parent_id=11,
        replied_to_id=11,
        body="One\n\nTwo <b>",
        edited_at=datetime(2022, 1, 12, 14, 0, tzinfo=UTC),
        **account(7, "Bo Writer", avatar="avatars/7/ab-96.jpg"),
    ),
    row(
        13,
        2,
        parent_id=11,
        replied_to_id=12,
        in_reply_to_name="Bo Writer",
        **account(8, "Cy", is_staff=True),
    ),
    row(14, 1, status="removed", body="gone"),
]

EXPECTED = (
    '<ol class="comment-list list-unstyled">'
    '<li id="comment-11"><article class="comment-body"><header class="comment-meta">'
    '<span class="avatar-c2" aria-hidden="true">AL</span><h3 class="comment-author"><bdi>'
    '<a href="https://ann.example" rel="nofollow ugc noopener">Ann Lee</a></bdi></h3>'
    '<a href="/comments/11/"><time datetime="2022-01-12T13:05Z">12 January 2022, 14:05</time></a>'
    '</header><div class="comment-content" dir="auto"><p>See <a href="http://www.x.example/a" '
    'rel="nofollow ugc noopener">www.x.example/a</a>.</p></div><p><a class="comment-reply-link" '
    'href="?cpage=2&amp;replytocom=11#respond">Reply</a> <button form="react" name="comment" '
    'value="11">Like 2</button> <a href="/comments/11/report/">Report</a></p></article>'
    '<ol class="children">'
    '<li id="comment-12"><article class="comment-body"><header class="comment-meta">'
    '<img src="/media/avatars/7/ab-48.jpg" width="32" height="32" alt="" loading="lazy">'
    '<h3 class="comment-author"><bdi>Bo Writer</bdi></h3><span class="comment-badge">Author</span> '
    '<a href="/comments/12/"><time datetime="2022-01-12T13:05Z">12 January 2022, 14:05</time></a>'
    ' <span class="comment-edited">(edited)</span></header>'
    '<div class="comment-content" dir="auto"><p>One</p>\n<p>Two &lt;b&gt;</p></div>'
    '<p><a class="comment-reply-link" href="?cpage=2&amp;replytocom=12#respond">Reply</a> '
    '<button form="react" name="comment" value="12">Like 0</button> '
    '<a href="/comments/12/report/">Report</a></p></article></li>'
    '<li id="comment-13"><article class="comment-body"><header class="comment-meta">'
    '<span class="avatar-c5" aria-hidden="true">C</span><h3 class="comment-author"><bdi>Cy</bdi>'
    '</h3><span class="comment-badge">Staff</span> <a href="/comments/13/"><time '
    'datetime="2022-01-12T13:05Z">12 January 2022, 14:05</time></a> <span class="in-reply-to">'
    'in reply to <a href="#comment-12"><bdi>Bo Writer</bdi></a></span></header>'
    '<div class="comment-content" dir="auto"><p>Words.</p></div><p><a class="comment-reply-link" '
    'href="?cpage=2&amp;replytocom=13#respond">Reply</a> <button form="react" name="comment" '
    'value="13">Like 0</button> <a href="/comments/13/report/">Report</a></p></article></li>'
    "</ol></li>"
    '<li id="comment-14"><p class="comment-removed fst-italic text-body-secondary">'
    "This comment was removed.</p></li></ol>"
)


def page(*, closed="", rows=ROWS) -> ThreadPage:
    thread = ThreadPage(
        comments=mark_nesting(list(rows)), count=3, number=2, num_pages=2, newest_first=False
    )
    thread.closed, thread.author_ids = closed, frozenset({7})
    return thread


@override_settings(TIME_ZONE="Europe/Brussels", MEDIA_URL="/media/", ACCOUNTS_AVATAR_SIZES=[48, 96])
def test_the_thread_markup_byte_for_byte():
    assert str(thread_html(page())) == EXPECTED


def test_a_closed_thread_has_no_reply_links_and_keeps_likes_and_reports():
    html = str(thread_html(page(closed="Comments are closed.")))
    assert "comment-reply-link" not in html and "replytocom" not in html
    assert html.count("<button ") == 3 and html.count(">Report</a>") == 3


@override_settings(TIME_ZONE="Europe/Brussels", MEDIA_URL="/media/", ACCOUNTS_AVATAR_SIZES=[48, 96])
def test_a_pick_links_to_its_place_and_its_reply_to_a_permalink():
    thread = page()
    thread.picks = [ROWS[2]]
    html = str(picks_html(thread))
    assert '<h4 class="comment-author"><bdi>Cy</bdi></h4>' in html
    assert 'in reply to <a href="/comments/12/"><bdi>Bo Writer</bdi></a>' in html
    assert '<a class="pick-link" href="/comments/13/">See it in the thread</a>' in html
    assert "<button" not in html  # likes and reports are in the thread, not repeated above it


@override_settings(TIME_ZONE="Europe/Brussels")
def test_bytes_per_comment_on_a_benchmark_like_page_stay_below_the_bound():
    per_comment, _ = measure(270, renders=1)
    assert per_comment <= BYTES_PER_COMMENT, f"{per_comment:.1f} bytes a comment"
