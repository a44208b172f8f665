from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from comments import posting
from comments.models import Comment, DiscussionSettings, thread_path
from comments.reader import DETAILS_COOKIE
from tests.comments.helpers import (
    form_data,
    make_comment,
    make_moderator,
    post_url,
    prove_email,
)
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def configure(**values) -> DiscussionSettings:
    conf = DiscussionSettings.load()
    for name, value in values.items():
        setattr(conf, name, value)
    conf.save()
    return conf


def refused(response, message: str, text: str = "A thoughtful comment.") -> None:
    """The form comes back with the message and the reader's text, and nothing is stored."""
    html = response.content.decode()
    assert response.status_code in {400, 403, 429}
    assert message in html
    assert text in html
    assert Comment.objects.count() == 0 or not Comment.objects.filter(body=text).exists()


# --- Reader side ----------------------------------------------------------------------


def test_guest_first_comment_awaits_moderation_and_is_shown_to_its_author_alone(client):
    article = make_article()
    response = client.post(post_url(article), form_data(article, body="My first words"))
    comment = Comment.objects.get()
    assert (comment.status, comment.hold_reason) == ("pending", "first comment")
    assert response.url == f"{article.get_absolute_url()}#your-comments"
    page = client.get(response.url).content.decode()
    assert "Your comment is awaiting moderation." in page
    assert "My first words" in page and "comment-pending" in page
    stranger = client.__class__()
    assert "My first words" not in stranger.get(article.get_absolute_url()).content.decode()


def test_trusted_guest_is_published_at_once(client):
    article = make_article()
    make_comment(article, email="known@example.com")
    prove_email(client, "known@example.com")  # typed alone, it would earn nothing
    response = client.post(post_url(article), form_data(article, email="known@example.com"))
    comment = Comment.objects.latest("id")
    assert comment.status == "approved"
    assert response.url.endswith(f"#comment-{comment.pk}")
    assert "Your comment is published." in client.get(response.url).content.decode()


def test_logged_in_reader_sees_commenting_as_and_only_the_comment_box(client):
    user = make_user(display_name="Riley R")
    client.force_login(user)
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert "You are commenting as <strong><bdi>Riley R</bdi></strong>" in html
    assert "Log out</a> · <a" in html and ">Change</a>" in html
    assert 'name="email"' not in html and 'name="name"' not in html


def test_logged_in_comment_is_stored_with_the_user_and_their_email(client):
    user = make_user(email="riley@example.com")
    client.force_login(user)
    article = make_article()
    client.post(post_url(article), form_data(article, name="Spoof", email="spoof@example.com"))
    comment = Comment.objects.get()
    assert (comment.user, comment.email, comment.name) == (user, "riley@example.com", "")


def test_guest_sees_login_link_back_to_the_form(client):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "/accounts/login/?next=" in html and "%23respond" in html
    assert "Fill in your details below or click an icon to log in:" in html


def test_save_details_is_an_unticked_opt_in(client):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'name="save_details" class="form-check-input" id="id_save_details">' in html
    client.post(post_url(article), form_data(article))
    assert not client.cookies.get(DETAILS_COOKIE, None) or not client.cookies[DETAILS_COOKIE].value


def test_saved_details_prefill_the_next_form(client):
    article = make_article()
    data = form_data(article, name="Saved Name", url="https://saved.example", save_details="on")
    client.post(post_url(article), data)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Saved Name"' in html and 'value="https://saved.example"' in html


def test_reply_link_works_without_javascript(client):
    article = make_article()
    parent = make_comment(article)
    html = client.get(f"{article.get_absolute_url()}?replytocom={parent.pk}").content.decode()
    assert f'<input type="hidden" name="parent" value="{parent.pk}"' in html


def test_reply_is_stored_under_its_parent(client):
    article = make_article()
    parent = make_comment(article)
    client.post(post_url(article), form_data(article, parent=parent.pk))
    reply = Comment.objects.latest("id")
    assert (reply.parent, reply.depth, reply.root_id) == (parent, 2, parent.pk)
    assert reply.path == thread_path(reply.pk, parent.path)


def test_reply_below_the_deepest_level_attaches_at_that_level_with_in_reply_to(client):
    configure(thread_depth=2)
    article = make_article()
    top = make_comment(article)
    deepest = make_comment(article, parent=top, name="Deep Dan")
    client.post(post_url(article), form_data(article, parent=deepest.pk))
    reply = Comment.objects.latest("id")
    assert (reply.parent, reply.depth, reply.in_reply_to_name) == (top, 2, "Deep Dan")
    make_comment(article, email="guest@example.com")  # trust the guest so it shows
    reply.status = "approved"
    reply.save()
    html = client.get(article.get_absolute_url()).content.decode()
    # "in reply to" links to the comment answered (issue 16)
    assert f'in reply to <a href="#comment-{deepest.pk}"><bdi>Deep Dan</bdi></a>' in html


# --- Closed and required ---------------------------------------------------------------


def test_switched_off_comments_show_closed_and_refuse_a_post(client):
    article = make_article(comments_open=False)
    assert "Comments are closed." in client.get(article.get_absolute_url()).content.decode()
    response = client.post(post_url(article), form_data(article))
    refused(response, "Comments are closed on this article.")
    assert response.status_code == 403


@pytest.mark.parametrize("fault", ["none", "no_name", "old_form", "reply"])
def test_comments_closed_since_the_form_was_shown_say_so_first(client, settings, fault):
    """Whatever else is wrong with the form, the reader learns first that comments closed:
    403, the reason in the page, their text kept in the form."""
    article = make_article()
    data = form_data(article, body="Words typed while it was open")
    if fault == "no_name":
        data["name"] = ""
    elif fault == "old_form":
        data = form_data(article, body=data["body"], age=settings.COMMENTS_FORM_MAX_AGE + 60)
    elif fault == "reply":
        data["parent"] = make_comment(article).pk
    article.comments_open = False
    article.save()
    response = client.post(post_url(article), data)
    assert response.status_code == 403
    html = response.content.decode()
    assert '<p class="mb-0">Comments are closed on this article.</p>' in html
    assert ">Words typed while it was open</textarea>" in html
    assert "Please give your name." not in html and "has expired" not in html
    assert not Comment.objects.filter(body=data["body"]).exists()


def test_comments_close_after_the_sites_limit(client):
    configure(close_after_days=14)
    article = make_article(published_at=timezone.now() - timedelta(days=15))
    assert "Comments are closed." in client.get(article.get_absolute_url()).content.decode()
    refused(client.post(post_url(article), form_data(article)), "Comments close 14 days after")


def test_recent_article_stays_open_under_the_limit(client):
    configure(close_after_days=14)
    article = make_article(published_at=timezone.now() - timedelta(days=13))
    assert client.post(post_url(article), form_data(article)).status_code == 302


def test_require_login_refuses_guests(client):
    configure(require_login=True)
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "You must be <a" in html and "logged in</a> to post a comment." in html
    refused(client.post(post_url(article), form_data(article)), "Please log in to comment.")


@pytest.mark.parametrize("missing", ["name", "email"])
def test_name_and_email_are_required_by_default(client, missing):
    article = make_article()
    response = client.post(post_url(article), form_data(article, **{missing: ""}))
    refused(response, "Please give your")


def test_name_and_email_are_optional_when_the_site_says_so(client):
    configure(require_name_email=False)
    article = make_article()
    response = client.post(post_url(article), form_data(article, name="", email=""))
    assert response.status_code == 302
    assert Comment.objects.get().author_name == "Anonymous"


def test_post_to_an_unpublished_article_is_not_found(client):
    article = make_article(status="draft")
    assert client.post(post_url(article), form_data(article)).status_code == 404


# --- Anti-spam -------------------------------------------------------------------------


def test_honeypot_refuses_and_keeps_the_text(client):
    article = make_article()
    response = client.post(post_url(article), form_data(article, homepage_url="http://bot"))
    refused(response, "looks automated")


def test_form_sent_too_fast_is_refused_keeping_the_text(client):
    article = make_article()
    response = client.post(post_url(article), form_data(article, age=0))
    refused(response, "quicker than anyone can type")


def test_form_too_old_is_refused_keeping_the_text_and_a_fresh_token(client, settings):
    article = make_article()
    data = form_data(article, age=settings.COMMENTS_FORM_MAX_AGE + 60)
    response = client.post(post_url(article), data)
    refused(response, "has expired")
    assert data["token"] not in response.content.decode()


def test_flood_second_comment_within_15_seconds_is_refused(client):
    article = make_article()
    client.post(post_url(article), form_data(article, body="first"))
    response = client.post(post_url(article), form_data(article, body="second"))
    refused(response, "You are posting too quickly", text="second")
    assert response.status_code == 429


def test_flood_holds_per_ip_even_with_another_email(client):
    article = make_article()
    client.post(post_url(article), form_data(article, body="first"))
    data = form_data(article, body="other", email="other@example.com", name="Other")
    refused(client.post(post_url(article), data), "You are posting too quickly", text="other")


def test_flood_limit_passes_after_it_expires(client):
    from django.core.cache import cache

    article = make_article()
    client.post(post_url(article), form_data(article, body="first"))
    cache.clear()  # the 15 s keys expire
    assert client.post(post_url(article), form_data(article, body="second")).status_code == 302


def test_flood_control_is_off_at_zero_seconds_even_when_posts_race(client, settings, monkeypatch):
    """COMMENTS_FLOOD_SECONDS=0 turns it off: a zero-second slot used to refuse concurrent
    posts ("Wait 0 seconds") when another worker's slot existed for that instant."""
    from comments import flood

    settings.COMMENTS_FLOOD_SECONDS = 0
    get = flood.cache.get
    # Another worker's zero-second slot exists at this instant: add fails, get finds it.
    monkeypatch.setattr(flood.cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(
        flood.cache, "get", lambda key, *a, **k: 1 if "flood" in key else get(key, *a, **k)
    )
    article = make_article()
    assert client.post(post_url(article), form_data(article, body="first")).status_code == 302
    assert client.post(post_url(article), form_data(article, body="second")).status_code == 302


def test_moderators_are_exempt_from_flood_control(client):
    client.force_login(make_moderator())
    article = make_article()
    client.post(post_url(article), form_data(article, body="first"))
    assert client.post(post_url(article), form_data(article, body="second")).status_code == 302
    assert Comment.objects.count() == 2


def test_duplicate_is_refused(client):
    from django.core.cache import cache

    article = make_article()
    client.post(post_url(article), form_data(article, body="Same words"))
    cache.clear()
    response = client.post(post_url(article), form_data(article, body="Same words"))
    assert "You have already said that." in response.content.decode()
    assert Comment.objects.count() == 1


SAID = "Same words, café and Straße."


@pytest.mark.parametrize(
    "again",
    [
        "SAME WORDS, CAFÉ AND STRASSE.",  # other case (ß folds to ss)
        "Same  words,   café\nand Straße.",  # doubled spaces, a line break
        "Same words, cafe\u0301 and Straße.",  # the accent as a combining mark (NFD)
        "Ｓａｍｅ words, café and Straße.",  # full-width letters (NFKC)
        "Same\u200b words, café and Stra\u00dfe.\u2060",  # invisible characters
    ],
)
def test_the_same_words_in_another_form_are_a_duplicate(again):
    article = make_article()
    posting.comment_create(article=article, body=SAID, name="Ann", email="ann@example.com")
    cache.clear()
    with pytest.raises(ValidationError, match="You have already said that."):
        posting.comment_create(article=article, body=again, name="Ann", email="ann@example.com")
    assert Comment.objects.count() == 1


def test_other_words_or_another_commenter_are_no_duplicate():
    article = make_article()
    posting.comment_create(article=article, body=SAID, name="Ann", email="ann@example.com")
    cache.clear()
    posting.comment_create(article=article, body=SAID + "!", name="Ann", email="ann@example.com")
    cache.clear()
    posting.comment_create(article=article, body=SAID, name="Bo", email="bo@example.com")
    assert Comment.objects.count() == 3


def test_a_duplicate_in_another_form_is_refused_through_the_form(client):
    article = make_article()
    client.post(post_url(article), form_data(article, body="Same words"))
    cache.clear()
    response = client.post(post_url(article), form_data(article, body="same  WORDS"))
    refused(response, "You have already said that.", text="same  WORDS")
    assert Comment.objects.count() == 1


def test_an_old_comment_said_word_for_word_is_still_a_duplicate():
    """Only the latest comments are compared loosely; an exact repeat of any is refused."""
    article = make_article()
    first = make_comment(article, body="Said long ago", email="ann@example.com")
    for number in range(posting.DUPLICATE_WINDOW):
        make_comment(article, body=f"Later {number}", email="ann@example.com")
    with pytest.raises(ValidationError, match="You have already said that."):
        posting.comment_create(article=article, body=first.body, name="A", email="ann@example.com")


def test_too_long_comment_is_refused_and_the_counter_is_shown(client, settings):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'maxlength="5000"' in html and 'id="comment-counter"' in html
    long_text = "x" * (settings.COMMENTS_MAX_LENGTH + 1)
    response = client.post(post_url(article), form_data(article, body=long_text))
    refused(response, "at most 5000 characters", text=long_text)


def test_empty_comment_is_refused(client):
    article = make_article()
    response = client.post(post_url(article), form_data(article, body="   "))
    assert "Please write a comment." in response.content.decode()
    assert Comment.objects.count() == 0


# --- Tampering -------------------------------------------------------------------------


def test_tampered_token_is_refused(client):
    article = make_article()
    data = form_data(article)
    data["token"] = data["token"][:-2] + "xx"
    refused(client.post(post_url(article), data), "The form was changed on its way here")


def test_token_from_another_article_is_refused(client):
    article, other = make_article(), make_article()
    data = form_data(other)
    refused(client.post(post_url(article), data), "This form belongs to another article")


def test_missing_token_is_refused(client):
    article = make_article()
    data = form_data(article)
    del data["token"]
    assert client.post(post_url(article), data).status_code == 400
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("case", ["other_article", "pending", "spam", "missing", "not_a_number"])
def test_parent_tampering_is_refused(client, case):
    article = make_article()
    parents = {
        "other_article": lambda: make_comment(make_article()).pk,
        "pending": lambda: make_comment(article, status="pending").pk,
        "spam": lambda: make_comment(article, status="spam").pk,
        "missing": lambda: 999999,
        "not_a_number": lambda: "abc",
    }
    parent = parents[case]()
    before = Comment.objects.count()
    response = client.post(post_url(article), form_data(article, parent=parent))
    assert response.status_code == 400
    assert Comment.objects.count() == before
    if case != "not_a_number":
        assert "You can only reply to a published comment on this article." in (
            response.content.decode()
        )


def test_get_on_the_post_url_is_not_allowed(client):
    assert client.get(post_url(make_article())).status_code == 405


def test_csrf_is_enforced_for_logged_in_readers():
    from django.test import Client

    article = make_article()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user())
    assert strict.post(post_url(article), form_data(article)).status_code == 403
    assert not Comment.objects.exists()


def test_guest_posts_from_a_cached_page_without_a_csrf_token():
    """A guest has no session to forge; the signed form token guards the post instead."""
    from django.test import Client

    article = make_article()
    strict = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" not in strict.get(article.get_absolute_url()).content.decode()
    assert strict.post(post_url(article), form_data(article)).status_code == 302
    assert Comment.objects.count() == 1


def test_guest_post_without_the_signed_form_token_is_refused():
    from django.test import Client

    article = make_article()
    data = {k: v for k, v in form_data(article).items() if k != "token"}
    assert Client(enforce_csrf_checks=True).post(post_url(article), data).status_code == 400
    assert not Comment.objects.exists()


def test_permalink_url_of_unknown_comment_is_404(client):
    assert client.get(reverse("comments:permalink", args=[424242])).status_code == 404


def test_email_is_never_published(client):
    article = make_article()
    make_comment(article, email="private@example.com", url="https://public.example")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "private@example.com" not in html and "https://public.example" in html
    assert "private@example.com" not in client.get(reverse("comments:feed")).content.decode()


def test_no_social_icons_when_no_social_login_is_configured(client):
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert html.count('class="list-inline-item"') == 1  # the site's own login only


def test_ip_and_user_agent_are_recorded(client):
    article = make_article()
    client.post(post_url(article), form_data(article), HTTP_USER_AGENT="TestBrowser/1.0")
    comment = Comment.objects.get()
    assert (comment.ip_address, comment.user_agent) == ("127.0.0.1", "TestBrowser/1.0")


def test_behind_a_proxy_the_last_forwarded_hop_is_the_readers_ip(client, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    article = make_article()
    client.post(post_url(article), form_data(article), HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert Comment.objects.get().ip_address == "203.0.113.7"


def test_forwarded_header_is_ignored_unless_a_proxy_is_trusted(client):
    article = make_article()
    client.post(post_url(article), form_data(article), HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert Comment.objects.get().ip_address == "127.0.0.1"


@pytest.mark.parametrize(("require_approval", "counted"), [(True, False), (False, True)])
def test_the_trusted_commenter_count_is_queried_only_when_that_rule_decides(
    client, require_approval, counted
):
    """Manual approval holds every comment first (WordPress's order): counting the
    commenter's approved comments would be a query for nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    configure(require_approval=require_approval)
    article = make_article()
    prove_email(client, "guest@example.com")  # an unproven guest is never counted
    with CaptureQueriesContext(connection) as captured:
        response = client.post(post_url(article), form_data(article))
    assert response.status_code == 302 and Comment.objects.get().status == "pending"
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"] and "approved" in q["sql"]]
    assert bool(counts) is counted
