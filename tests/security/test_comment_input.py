"""Hostile input in every comment field, through the real form: a clear answer, no harm.

Covered elsewhere and not repeated here: payloads in stored rows rendered on the page, the
admin queue and the feed (tests/comments/test_xss.py); an over-long body, a tampered,
foreign or missing form token, and a parent from another article, pending, spam, missing
or not a number (tests/comments/test_posting.py).
"""

import threading
from html.parser import HTMLParser

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments import flood, moderation, posting, tokens
from comments.models import Comment, DiscussionSettings
from core.text import is_blank
from tests.comments.helpers import form_data, make_comment, make_moderator, post_url
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
HANDLER = '"><img src=x onerror=alert(1)>'
EMOJI = "Café 🎉 𝕏 𠜎 👩‍💻 🏴󠁧󠁢󠁳󠁣󠁴󠁿"  # 4-byte characters, a ZWJ sequence and a tag flag


@pytest.fixture
def article():
    """An article on a site that publishes every comment at once, so the page shows it."""
    conf = DiscussionSettings.load()
    conf.trusted_after, conf.hold_links = 0, 0
    conf.save()
    return make_article()


def post(client, article, **fields):
    cache.clear()  # each post is a new reader: no flood slot left by the one before
    return client.post(post_url(article), form_data(article, **fields))


def refused(response, message: str, kept: str) -> None:
    html = response.content.decode()
    assert response.status_code in {400, 403, 429}, response.status_code
    assert message in html
    assert kept in html, "the typed text must come back in the form"
    assert not Comment.objects.exists()


class Markup(HTMLParser):
    """The tags and attributes inside the page's comment bodies, and their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.tags, self.text = 0, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "div" and ("class", "comment-content") in attrs:
            self.depth = 1
        elif self.depth:
            self.tags.append((tag, dict(attrs)))
            self.depth += tag not in {"br"}

    def handle_endtag(self, tag):
        if self.depth and tag != "br":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def comment_markup(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    return parser


def assert_inert(markup: Markup) -> None:
    """Only paragraphs, line breaks and nofollow links to web addresses come out of a body."""
    for tag, attrs in markup.tags:
        assert tag in {"p", "br", "a"}, tag
        assert not any(name.startswith("on") for name in attrs), attrs
        if tag == "a":
            assert attrs["href"].lower().startswith(("http://", "https://")), attrs
            assert set(attrs) == {"href", "rel"} and "nofollow" in attrs["rel"]


# --- Payloads --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        SCRIPT,
        HANDLER,
        "<svg onload=alert(1)>",
        "javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "https://ok.example/<script>x</script>",
        "https://ok.example/\"onmouseover='alert(1)'",
    ],
)
def test_body_payloads_are_stored_as_typed_and_shown_as_text(client, article, payload):
    assert post(client, article, body=f"see {payload} now").status_code == 302
    assert Comment.objects.get().body == f"see {payload} now"
    html = client.get(article.get_absolute_url()).content.decode()
    markup = comment_markup(html)
    assert_inert(markup)
    assert payload in "".join(markup.text)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "https://ok.example/\x00",
    ],
)
def test_website_must_be_a_web_address(client, article, url):
    response = post(client, article, url=url)
    assert response.status_code == 400 and not Comment.objects.exists()
    assert "Enter a valid URL." in response.content.decode() or "Null characters" in (
        response.content.decode()
    )


def test_markup_that_truncation_would_open_is_escaped_where_text_is_cut(client, article):
    """The admin list cuts at 80 characters, the account panel at 120, __str__ at 40:
    each cut is of the plain text, escaped afterwards, so half a tag stays text."""
    body = "x" * 76 + "<script>alert(1)</script>" + "y" * 40 + "<img src=x onerror=alert(1)>"
    member = make_user()
    client.force_login(member)
    assert post(client, article, body=body).status_code == 302
    html = client.get(reverse("accounts:account")).content.decode()
    assert "x" * 76 + "&lt;script&gt;" in html  # the panel shows the first 120 characters
    assert "<scri" not in html and "<img src=x" not in html
    client.force_login(make_moderator())
    queue = reverse("admin:comments_comment_changelist")
    html = client.get(queue, {"queue": "all"}).content.decode()  # published: not pending
    assert "x" * 76 + "&lt;scr" in html
    assert "<scr" not in html.split("x" * 76, 1)[1][:10]


# --- Lengths: refused with a message, never cut ----------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "N" * 101, "at most 100 characters"),
        ("email", "e" * 250 + "@example.com", "at most 254 characters"),
        ("url", "https://ok.example/" + "p" * 190, "at most 200 characters"),
    ],
)
def test_over_long_fields_are_refused_with_the_text_kept(client, article, field, value, message):
    refused(post(client, article, **{field: value}), message, kept=value)


def test_over_long_body_with_4_byte_characters_counts_characters_not_bytes(
    client, article, settings
):
    fits = "🎉" * settings.COMMENTS_MAX_LENGTH  # 20,000 bytes of UTF-8, 5,000 characters
    assert post(client, article, body=fits).status_code == 302
    assert Comment.objects.get().body == fits
    Comment.objects.all().delete()
    refused(post(client, article, body=fits + "🎉"), "at most 5000 characters", kept=fits + "🎉")


# --- Control, invisible and direction-changing characters ------------------------------


@pytest.mark.parametrize("field", ["body", "name"])
def test_nul_is_refused(client, article, field):
    refused(post(client, article, **{field: "a\x00b"}), "Null characters are not allowed.", "a")


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x0b", "\x7f", "\x85"])
def test_control_characters_in_the_body_are_refused_with_the_text_kept(client, article, char):
    """They would stop the comments feed (XML 1.0 cannot carry them) once approved."""
    body = f"bell{char}ring"
    response = post(client, article, body=body)
    refused(response, "contains control characters", kept="ring")


BLANK = [
    "\u200b",  # zero-width space
    "\u2060",  # word joiner
    "\ufeff",  # byte-order mark
    "\u200c",  # zero-width non-joiner
    "\u200d\u200d",  # zero-width joiners
    "\u00ad",  # soft hyphen
    "\u3164",  # Hangul filler (a letter that shows nothing)
    "\u2800",  # braille pattern blank
    " \u200b \n\u2060\t\ufeff ",  # mixed with whitespace
]


@pytest.mark.parametrize("body", BLANK)
def test_a_body_of_invisible_characters_is_refused_as_empty(client, article, body):
    response = post(client, article, body=body)
    assert response.status_code == 400
    assert "Please write a comment." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", BLANK)
def test_the_service_refuses_a_body_of_invisible_characters(article, body):
    with pytest.raises(ValidationError, match="Please write a comment.") as refusal:
        posting.comment_create(article=article, body=body, name="Ann", email="a@example.com")
    assert refusal.value.code == "empty"


def test_an_edit_to_invisible_characters_is_refused_as_empty(article):
    comment = make_comment(article, body="Words")
    with pytest.raises(ValidationError, match="Please write a comment."):
        moderation.comment_moderator_edit(
            comment=comment, moderator=make_moderator(), body="\u200b"
        )
    comment.refresh_from_db()
    assert comment.body == "Words"


@pytest.mark.parametrize("name", BLANK)
def test_a_name_of_invisible_characters_is_refused_as_missing(client, article, name):
    refused(post(client, article, name=name), "Please give your name.", kept="A thoughtful")


@pytest.mark.parametrize("name", ["\u3164", "\u200d", " \u2800 "])
def test_the_service_refuses_a_blank_name_like_a_missing_one(article, name):
    with pytest.raises(ValidationError, match="Please give your name and email."):
        posting.comment_create(article=article, body="Hello", name=name, email="a@example.com")


def test_a_blank_name_counts_as_none_where_names_are_optional(client, article):
    conf = DiscussionSettings.load()
    conf.require_name_email = False
    conf.save()
    assert post(client, article, name="\u3164\u200d", email="").status_code == 302
    assert Comment.objects.get().name == ""
    assert "Anonymous" in client.get(article.get_absolute_url()).content.decode()


def test_invisible_characters_around_real_words_are_kept(client, article):
    body = "\u200bWords\u2060 with joiners 👩‍💻"
    assert post(client, article, body=body).status_code == 302
    assert Comment.objects.get().body == body


def test_tabs_and_line_breaks_are_kept_in_the_body(client, article):
    body = "one\ttab\r\nnext line\r\n\r\nnew paragraph"
    assert post(client, article, body=body).status_code == 302
    assert Comment.objects.get().body == body
    assert client.get(reverse("comments:feed")).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["Eve\r\nBcc: victim@example.com", "Eve\nSubject: hi", "Eve\rX-Header: 1"],
)
def test_cr_lf_in_the_name_become_one_line(client, article, name, mailoutbox):
    assert post(client, article, name=name).status_code == 302
    stored = Comment.objects.get().name
    assert "\r" not in stored and "\n" not in stored
    assert stored == " ".join(name.split())
    for message in mailoutbox:
        assert "victim" not in message.recipients()
        assert "\n" not in message.subject and "\r" not in message.subject


@pytest.mark.parametrize(
    "email", ["a@example.com\r\nBcc: victim@example.com", "a@example.com\nx", "a\r@example.com"]
)
def test_cr_lf_in_the_email_are_refused(client, article, email):
    refused(post(client, article, email=email), "Enter a valid email address.", "A thoughtful")


@pytest.mark.parametrize(
    "name",
    [
        "Editor\u202e",  # right-to-left override
        "\u202eroticE",
        "Ed\u2066itor\u2069",  # isolates
        "Ed\u200bitor",  # zero-width space
        "Ed\u200citor",  # zero-width non-joiner
        "\ufeffEditor",  # byte-order mark
        "Ed\u00aditor",  # soft hyphen
        "Ed\x1bitor",  # escape
    ],
)
def test_invisible_and_direction_changing_characters_in_names_are_refused(client, article, name):
    response = post(client, article, name=name)
    refused(response, "invisible or direction-changing characters", kept="A thoughtful comment.")


def test_emoji_and_4_byte_characters_are_stored_and_shown_whole(client, article):
    name = "Zoë 🦊 👩‍💻"
    assert post(client, article, body=EMOJI, name=name).status_code == 302
    comment = Comment.objects.get()
    assert (comment.body, comment.name) == (EMOJI, name)
    html = client.get(article.get_absolute_url()).content.decode()
    assert EMOJI in html and name in html
    feed = client.get(reverse("comments:feed")).content.decode()
    assert EMOJI in feed and name in feed


def test_right_to_left_text_in_the_body_stays_inside_its_paragraph(client, article):
    body = "\u202eevil right-to-left text"
    assert post(client, article, body=body).status_code == 302
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"<p>{body}</p>" in html  # a paragraph ends every embedding (Unicode bidi rule)


# --- Threads ---------------------------------------------------------------------------


def test_removed_parent_is_refused(client, article):
    parent = make_comment(article, status=Comment.Status.REMOVED)
    response = post(client, article, parent=parent.pk)
    assert response.status_code == 400
    assert "You can only reply to a published comment on this article." in (
        response.content.decode()
    )
    assert Comment.objects.count() == 1


def test_parent_refused_by_the_service_too(article):
    """The service checks the parent itself: a caller other than the form cannot misplace it."""
    other = make_comment(make_article())
    with pytest.raises(flood.ValidationError):
        posting.comment_create(
            article=article, body="x", parent=other, name="A", email="a@example.com"
        )


def test_depth_never_goes_beyond_the_limit_even_after_it_is_lowered(client, article):
    chain = [make_comment(article)]
    for _ in range(4):
        chain.append(make_comment(article, parent=chain[-1]))
    assert chain[-1].depth == 5
    conf = DiscussionSettings.load()
    conf.thread_depth = 2
    conf.save()
    for parent in chain:
        assert post(client, article, parent=parent.pk, body=f"re {parent.pk}").status_code == 302
    replies = Comment.objects.exclude(pk__in=[c.pk for c in chain])
    assert sorted(r.depth for r in replies) == [2] * 5
    assert {r.parent_id for r in replies} == {chain[0].pk}
    for reply in replies:
        assert reply.path.startswith(chain[0].path + "/") and reply.path.count("/") == 1


def test_replayed_form_is_refused_as_flood_then_as_duplicate(client, article):
    """The form token is not single-use by design: every guest of a cached article page
    shares it. A replayed post is stopped by the flood slot, then by the duplicate check."""
    data = form_data(article, body="Once only")
    assert client.post(post_url(article), data).status_code == 302
    assert client.post(post_url(article), data).status_code == 429
    cache.clear()
    response = client.post(post_url(article), data)
    assert "You have already said that." in response.content.decode()
    assert Comment.objects.count() == 1


def test_token_forged_with_another_key_is_refused(client, article):
    forged = signing.dumps(
        {"a": article.pk, "t": 0}, key="not-the-secret-key", salt=tokens.FORM_SALT
    )
    response = post(client, article, token=forged)
    refused(response, "The form was changed on its way here", kept="A thoughtful comment.")


def test_token_from_the_future_is_refused(client, article):
    future = tokens.form_token(article.pk, issued_at=4_000_000_000)
    refused(post(client, article, token=future), "quicker than anyone can type", "A thoughtful")


@pytest.mark.parametrize("case", ["no token", "wrong token", "other origin"])
def test_logged_in_reader_without_a_valid_csrf_token_is_refused(article, case):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user())
    strict.get(article.get_absolute_url())  # sets the CSRF cookie
    data = form_data(article)
    headers = {}
    if case == "wrong token":
        data["csrfmiddlewaretoken"] = "x" * 64
    elif case == "other origin":
        data["csrfmiddlewaretoken"] = strict.cookies["csrftoken"].value
        headers["Origin"] = "https://evil.example"
    assert strict.post(post_url(article), data, headers=headers).status_code == 403
    assert not Comment.objects.exists()


# --- Flood control: one slot, taken atomically -----------------------------------------


def test_flood_slot_is_taken_by_exactly_one_of_many_simultaneous_posts():
    """cache.add is the lock; of 16 threads let go at once exactly one gets the slot."""
    barrier, results = threading.Barrier(16, timeout=10), []

    def attempt():
        barrier.wait()
        try:
            flood.acquire(user=None, email="same@example.com", ip="192.0.2.1")
            results.append("taken")
        except flood.ValidationError as error:
            results.append(error.code)

    workers = [threading.Thread(target=attempt) for _ in range(16)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=10)
    assert sorted(results) == ["flood"] * 15 + ["taken"]


def test_a_refused_comment_gives_its_flood_slot_back(client, article):
    assert post(client, article, body="Same words").status_code == 302
    cache.clear()
    response = client.post(post_url(article), form_data(article, body="Same words"))
    assert "You have already said that." in response.content.decode()
    response = client.post(post_url(article), form_data(article, body="Other words"))
    assert response.status_code == 302  # not "posting too quickly"
    assert Comment.objects.count() == 2


def test_flood_control_falls_back_to_the_database_when_redis_is_down(
    client, article, dead_redis_cache
):
    with override_settings(CACHES=dead_redis_cache):
        first = client.post(post_url(article), form_data(article, body="first"))
        second = client.post(post_url(article), form_data(article, body="second"))
    assert first.status_code == 302
    assert second.status_code == 429
    assert "You are posting too quickly" in second.content.decode()
    assert list(Comment.objects.values_list("body", flat=True)) == ["first"]


# --- Property: whatever is typed reads back as typed and renders inert -----------------

TYPED = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n<>\"'&:/"),
    min_size=1,
    max_size=200,
).filter(lambda text: not is_blank(text.strip()))  # what shows nothing is refused as empty


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=TYPED, name=st.sampled_from(["Ann", "Zoë 🦊", "<b>x</b>", "a&amp;b"]))
def test_any_text_reads_back_exactly_and_renders_inert(client, article, body, name):
    Comment.objects.all().delete()
    response = post(client, article, body=body, name=name)
    assert response.status_code == 302, response.content.decode()[:2000]
    comment = Comment.objects.get()
    assert comment.body == body.strip()
    assert comment.name == " ".join(name.split())
    markup = comment_markup(client.get(article.get_absolute_url()).content.decode())
    assert_inert(markup)
    shown = "".join(markup.text)
    for word in body.split():
        assert word in shown.replace("\n", " ")
