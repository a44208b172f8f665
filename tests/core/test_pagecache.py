"""Page cache: anonymous GETs from the cache, exact invalidation by scope, validators, bypass."""

import queue
import threading

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import override_settings
from django.urls import reverse
from django.utils.http import http_date

from core import pagecache
from tests.factories import guest_cookie, make_article, make_section, make_user

pytestmark = pytest.mark.django_db

STATE = "X-Page-Cache"


@pytest.fixture(autouse=True)
def _no_race_margin(settings):
    """Tests invalidate and re-read within microseconds; the margin is for real clocks."""
    settings.PAGECACHE_RACE_MARGIN = 0
    pagecache.forget_local()


def rename(article, title):
    type(article).objects.filter(pk=article.pk).update(title=title)


def test_second_anonymous_get_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    article = make_article(title="Original headline")
    assert client.get(article.get_absolute_url())[STATE] == "MISS"
    rename(article, "Changed behind the cache's back")
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url())
    assert response[STATE] == "HIT"
    assert "Original headline" in response.content.decode()


def test_invalidating_the_article_scope_rebuilds_the_article_page(client):
    article = make_article(title="Original headline")
    client.get(article.get_absolute_url())
    rename(article, "Corrected headline")
    pagecache.invalidate(f"article:{article.pk}")
    response = client.get(article.get_absolute_url())
    assert response[STATE] == "REBUILT"
    assert "Corrected headline" in response.content.decode()


def test_invalidating_one_article_leaves_other_pages_cached(client):
    section = make_section(slug="europe")
    first, second = make_article(section=section), make_article(section=section)
    pages = [
        reverse("articles:front"),
        section.get_absolute_url(),
        first.get_absolute_url(),
        second.get_absolute_url(),
    ]
    for url in pages:
        assert client.get(url)[STATE] == "MISS"
    pagecache.invalidate(f"article:{first.pk}")
    states = {url: client.get(url)[STATE] for url in pages}
    assert states == {
        pages[0]: "HIT",
        pages[1]: "HIT",
        pages[2]: "REBUILT",
        pages[3]: "HIT",
    }


@pytest.mark.parametrize(
    ("scope", "expected_rebuilt"),
    [("front", "front"), ("section:europe", "section"), ("author:anna", "author")],
)
def test_each_listing_scope_rebuilds_only_its_own_listing(client, scope, expected_rebuilt):
    section = make_section(slug="europe")
    author = make_user(username="anna")
    make_article(section=section, authors=[author])
    urls = {
        "front": reverse("articles:front"),
        "section": section.get_absolute_url(),
        "author": reverse("articles:author", kwargs={"username": "anna"}),
    }
    for url in urls.values():
        client.get(url)
    pagecache.invalidate(scope)
    states = {name: client.get(url)[STATE] for name, url in urls.items()}
    assert states == {name: "REBUILT" if name == expected_rebuilt else "HIT" for name in urls}


def test_expired_entry_is_rebuilt_by_the_one_request_holding_the_lock(client, settings):
    settings.PAGECACHE_TTL = -1  # entries are stored already past their freshness
    article = make_article(title="First version")
    key = pagecache.page_key(client.get(article.get_absolute_url()).wsgi_request)
    rename(article, "Second version")
    assert cache.add(pagecache.LOCK_PREFIX + key, 1)  # another worker is rebuilding
    stale = client.get(article.get_absolute_url())
    assert stale[STATE] == "STALE"
    assert "Second version" not in stale.content.decode()
    cache.delete(pagecache.LOCK_PREFIX + key)
    rebuilt = client.get(article.get_absolute_url())
    assert rebuilt[STATE] == "REBUILT"
    assert "Second version" in rebuilt.content.decode()


def test_stale_copy_is_served_while_a_bumped_page_is_being_rebuilt(client):
    article = make_article(title="Before the comment")
    response = client.get(article.get_absolute_url())
    key = pagecache.page_key(response.wsgi_request)
    pagecache.invalidate(f"article:{article.pk}")
    cache.add(pagecache.LOCK_PREFIX + key, 1)
    assert client.get(article.get_absolute_url())[STATE] == "STALE"


def test_cached_page_carries_cache_control_etag_and_last_modified(client, settings):
    settings.PAGECACHE_MAX_AGE = 45
    article = make_article()
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    assert "public" in response["Cache-Control"] and "max-age=45" in response["Cache-Control"]
    assert response["ETag"].startswith('"') and response["Last-Modified"]


def test_matching_etag_gets_304_with_no_body(client):
    article = make_article()
    etag = client.get(article.get_absolute_url())["ETag"]
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_if_modified_since_after_storing_gets_304(client):
    article = make_article()
    last_modified = client.get(article.get_absolute_url())["Last-Modified"]
    response = client.get(article.get_absolute_url(), headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_old_etag_gets_the_new_page_after_invalidation(client):
    article = make_article(title="Before")
    etag = client.get(article.get_absolute_url())["ETag"]
    rename(article, "After")
    pagecache.invalidate(f"article:{article.pk}")
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "After" in response.content.decode()
    assert response["ETag"] != etag


def test_logged_in_reader_bypasses_the_cache_and_gets_a_private_page(client):
    article = make_article(title="Before")
    client.get(article.get_absolute_url())
    rename(article, "Fresh for members")
    client.force_login(make_user(first_name="Ada", last_name="Reader"))
    response = client.get(article.get_absolute_url())
    assert STATE not in response
    assert "Fresh for members" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_logged_in_pages_never_enter_the_cache(client):
    article = make_article()
    client.force_login(make_user(first_name="Ada", last_name="Reader"))
    client.get(article.get_absolute_url())
    client.logout()
    client.cookies.clear()
    response = client.get(article.get_absolute_url())
    assert response[STATE] == "MISS"
    assert "Ada Reader" not in response.content.decode()


def test_post_reaches_the_view(client):
    article = make_article()
    client.get(article.get_absolute_url())
    response = client.post(article.get_absolute_url())
    assert response.status_code == 405
    assert STATE not in response


def test_untagged_pages_are_not_cached(client):
    client.get(reverse("account_login"))
    assert STATE not in client.get(reverse("account_login"))


def test_not_found_pages_are_not_cached(client):
    response = client.get(reverse("articles:section", kwargs={"slug": "nowhere"}))
    assert response.status_code == 404
    assert STATE not in response


def test_query_string_is_part_of_the_key(client):
    for n in range(25):
        make_article(title=f"Story {n}")
    assert client.get(reverse("articles:front"))[STATE] == "MISS"
    assert client.get(reverse("articles:front") + "?page=2")[STATE] == "MISS"
    assert client.get(reverse("articles:front") + "?page=2")[STATE] == "HIT"


def test_a_bump_during_the_render_keeps_the_page_out_of_the_cache(client, settings):
    settings.PAGECACHE_RACE_MARGIN = 60  # any bump in the last minute counts as concurrent
    article = make_article()
    pagecache.invalidate(f"article:{article.pk}")
    response = client.get(article.get_absolute_url())
    assert response[STATE] == "RACE"
    assert "no-cache" in response["Cache-Control"]
    assert client.get(article.get_absolute_url())[STATE] == "RACE"


def test_invalidate_inside_a_transaction_bumps_again_after_commit(
    django_capture_on_commit_callbacks,
):
    pagecache.invalidate("front")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            pagecache.invalidate("front")
            during = pagecache.scope_versions(["front"])["front"]
    assert len(callbacks) == 1
    assert pagecache.scope_versions(["front"])["front"] != during


def test_redis_down_serves_pages_uncached(client, dead_redis_cache):
    article = make_article(title="Still readable")
    with override_settings(CACHES=dead_redis_cache):
        response = client.get(article.get_absolute_url())
        pagecache.invalidate(f"article:{article.pk}")  # logs, does not raise
    assert response.status_code == 200
    assert "Still readable" in response.content.decode()


@pytest.mark.parametrize("articles", [3, 30])
def test_front_page_hit_costs_no_queries_however_many_articles(
    client, django_assert_num_queries, articles
):
    for n in range(articles):
        make_article(title=f"Story {n}")
    client.get(reverse("articles:front"))
    with django_assert_num_queries(0):
        assert client.get(reverse("articles:front"))[STATE] == "HIT"


def test_last_modified_is_the_store_time(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    entry = cache.get(pagecache.page_key(response.wsgi_request))
    assert response["Last-Modified"] == http_date(entry["stored_at"])


def test_hit_fetches_entry_and_versions_in_one_round_trip(client, monkeypatch):
    article = make_article()
    client.get(article.get_absolute_url())
    calls = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: calls.append(keys) or real_get_many(keys))
    assert client.get(article.get_absolute_url())[STATE] == "HIT"
    assert len(calls) == 1


def test_untagged_page_becomes_cached_once_its_view_tags_it(client):
    article = make_article(status="draft")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404  # not published: the view never tags
    type(article).objects.filter(pk=article.pk).update(status="published")
    assert client.get(url)[STATE] == "MISS"  # lookup skipped for a while, but stored
    pagecache.forget_local()
    assert client.get(url)[STATE] == "HIT"


def test_concurrent_requests_for_an_expired_page_rebuild_it_once(settings, rf):
    """Eight threads hit one expired page at once: one runs the view, seven get the stale copy."""
    settings.PAGECACHE_TTL = -1  # every stored entry is already past its freshness
    view_calls, others_done = [], threading.Event()
    stale_answers = []

    def view(request):
        view_calls.append(request)
        pagecache.tag(request, "front")
        if len(view_calls) > 1:  # the rebuild: hold it until every other thread has answered
            assert others_done.wait(timeout=10), "the other requests never finished"
        return HttpResponse(f"render {len(view_calls)}")

    middleware = pagecache.PageCacheMiddleware(view)
    assert middleware(rf.get("/hot/"))[STATE] == "MISS"
    answers = queue.Queue()

    def reader():
        response = middleware(rf.get("/hot/"))
        answers.put(response)
        if response[STATE] == "STALE":
            stale_answers.append(response)
            if len(stale_answers) == 7:
                others_done.set()

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    states = sorted(answers.get(timeout=1)[STATE] for _ in range(8))
    assert states == ["REBUILT"] + ["STALE"] * 7
    assert len(view_calls) == 2  # the first fill and exactly one rebuild
    assert {response.content for response in stale_answers} == {b"render 1"}


def test_tracking_parameters_share_the_plain_pages_entry(client):
    article = make_article()
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url() + "?utm_source=social&fbclid=abc123")
    assert response[STATE] == "HIT"


def test_tracking_parameters_never_reach_a_stored_page(client):
    article = make_article()
    first = client.get(article.get_absolute_url() + "?utm_campaign=secret-campaign")
    assert first[STATE] == "MISS"
    assert "secret-campaign" not in first.content.decode()
    assert client.get(article.get_absolute_url())[STATE] == "HIT"


def test_unknown_query_parameters_bypass_the_cache(client):
    article = make_article(title="Still served")
    for n in range(3):
        response = client.get(article.get_absolute_url() + f"?x={n}")
        assert response.status_code == 200 and "Still served" in response.content.decode()
        assert STATE not in response
    assert not cache.get(pagecache.page_key(response.wsgi_request))


@pytest.mark.parametrize("has_csrf_cookie", [False, True])
def test_page_carrying_a_csrf_token_is_never_stored(client, settings, has_csrf_cookie):
    """A stored token would hand one reader's CSRF secret to every other reader."""
    settings.ROOT_URLCONF = "tests.core.csrf_urls"
    if has_csrf_cookie:
        client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    for _ in range(2):
        response = client.get("/form/")
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert response.get(STATE) is None
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert cache.get(pagecache.page_key(response.wsgi_request)) is None


def test_guest_with_own_comments_still_gets_the_cached_page(client):
    """A guest's own comment ids are a signed cookie: comments.js fetches that part."""
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)
    name, value = guest_cookie([1])
    client.cookies[name] = value
    assert client.get(url)[STATE] == "HIT"


@pytest.mark.parametrize("key", ["_auth_user_id", "_messages"])
def test_session_with_a_login_or_flash_messages_bypasses_the_cache(client, key):
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)
    session = client.session
    session[key] = "1" if key == "_auth_user_id" else "[]"
    session.save()
    client.cookies[settings_session_cookie()] = session.session_key
    assert STATE not in client.get(url)


def test_emptied_messages_cookie_does_not_bypass_the_cache(client):
    article = make_article()
    client.get(article.get_absolute_url())
    client.cookies["messages"] = ""
    assert client.get(article.get_absolute_url())[STATE] == "HIT"


def settings_session_cookie() -> str:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME
