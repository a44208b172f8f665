"""Edit locks: opening the change form takes a lock that a heartbeat keeps alive; a second
person sees who is editing and may take over; the first is told on their next beat or
save, and their text is kept. Locks only advise: the version check is the guarantee."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, EditLock
from tests.articles.test_stale_save import editor_form_data
from tests.factories import make_article, make_member

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def lock_url(article) -> str:
    return reverse("admin:articles_article_lock", args=[article.pk])


@pytest.fixture
def anna():
    return make_member("Editor", username="anna", first_name="Anna", last_name="van Densky")


@pytest.fixture
def bert():
    return make_member("Editor", username="bert", first_name="Bert")


def opened_by(user, article) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(change_url(article)).status_code == 200
    return client


def test_opening_the_change_form_takes_the_lock(anna):
    article = make_article()
    opened_by(anna, article)
    assert EditLock.objects.get(article=article).user == anna


def test_second_person_sees_who_is_editing_and_a_take_over_button(anna, bert):
    article = make_article()
    opened_by(anna, article)
    html = opened_by(bert, article).get(change_url(article)).content.decode()
    assert "Anna van Densky is editing this article" in html
    assert "Take over" in html
    assert EditLock.objects.get(article=article).user == anna  # not taken by looking


def test_a_lapsed_lock_goes_to_the_next_person(anna, bert, settings):
    article = make_article()
    opened_by(anna, article)
    lapsed = timezone.now() - timedelta(seconds=settings.ARTICLES_LOCK_SECONDS + 1)
    EditLock.objects.filter(article=article).update(heartbeat_at=lapsed)
    html = opened_by(bert, article).get(change_url(article)).content.decode()
    assert "is editing this article" not in html
    assert EditLock.objects.get(article=article).user == bert


def test_heartbeat_keeps_the_lock_and_tells_the_other_who_holds_it(anna, bert):
    article = make_article()
    first = opened_by(anna, article)
    EditLock.objects.update(heartbeat_at=timezone.now() - timedelta(seconds=60))
    assert first.post(lock_url(article), {"action": "beat"}).json()["state"] == "mine"
    assert EditLock.objects.get().heartbeat_at > timezone.now() - timedelta(seconds=5)
    second = opened_by(bert, article)
    answer = second.post(lock_url(article), {"action": "beat"}).json()
    assert answer["state"] == "other" and answer["holder"] == "Anna van Densky"


def test_take_over_tells_the_first_person_on_their_next_beat(anna, bert):
    article = make_article()
    first = opened_by(anna, article)
    second = opened_by(bert, article)
    assert second.post(lock_url(article), {"action": "take"}).json()["state"] == "mine"
    answer = first.post(lock_url(article), {"action": "beat"}).json()
    assert answer["state"] == "taken" and answer["holder"] == "Bert"
    assert EditLock.objects.get().user == bert  # the beat did not take it back


def test_after_a_takeover_the_first_persons_save_is_refused_and_their_text_kept(anna, bert):
    article = make_article(title="Original")
    first = opened_by(anna, article)
    opened_by(bert, article).post(lock_url(article), {"action": "take"})
    response = first.post(change_url(article), editor_form_data(article, title="Anna's text"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bert took over editing this article" in html
    assert response.context["adminform"].form["title"].value() == "Anna's text"
    assert Article.objects.get(pk=article.pk).title == "Original"


def test_take_over_without_javascript_is_a_form_that_returns_to_the_article(anna, bert):
    article = make_article()
    opened_by(anna, article)
    response = opened_by(bert, article).post(lock_url(article), {"action": "take", "next": "1"})
    assert response.status_code == 302 and response["Location"] == change_url(article)
    assert EditLock.objects.get().user == bert


def test_release_lets_go_of_ones_own_lock_only(anna, bert):
    article = make_article()
    opened_by(anna, article)
    opened_by(bert, article).post(lock_url(article), {"action": "release"})
    assert EditLock.objects.get().user == anna
    opened_by(anna, article).post(lock_url(article), {"action": "release"})
    assert not EditLock.objects.exists()


def test_lock_endpoint_refuses_those_who_cannot_change_the_article(anna):
    article = make_article()  # published: a reporter may not change it
    reporter = make_member("Reporter")
    client = Client()
    client.force_login(reporter)
    assert client.post(lock_url(article), {"action": "take"}).status_code in {403, 404}
    assert not EditLock.objects.filter(user=reporter).exists()


def test_lock_endpoint_needs_post_and_a_csrf_token(anna):
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)
    assert client.get(lock_url(article)).status_code == 405
    assert client.post(lock_url(article), {"action": "take"}).status_code == 403


def test_lock_endpoint_refuses_an_unknown_action(anna):
    article = make_article()
    assert opened_by(anna, article).post(lock_url(article), {"action": "x"}).status_code == 400


def test_the_lock_shows_in_the_article_list(anna, bert):
    article = make_article()
    opened_by(anna, article)
    html = opened_by(bert, article).get(reverse("admin:articles_article_changelist"))
    assert "Anna van Densky" in html.content.decode()


def test_a_read_only_view_takes_no_lock(anna):
    reporter = make_member("Reporter")
    article = make_article(status=Article.Status.REVIEW, authors=[reporter])
    html = opened_by(reporter, article).get(change_url(article)).content.decode()
    assert not EditLock.objects.exists()
    assert "edit-session" not in html


@pytest.mark.parametrize(
    ("state", "queries"),
    [
        # 19 for the form as before this feature (with the checklist's body images and the
        # editorial notes, one query each), plus the lock (read, renew) and the person's
        # autosave (one read)
        ("own lock", 22),
        ("another's lock", 21),  # the lock read (with its holder), no renewal
        ("own autosave", 22),  # compared with the article in memory: no query more
    ],
)
def test_change_form_query_count_is_pinned(anna, bert, django_assert_num_queries, state, queries):
    article = make_article()
    if state == "another's lock":
        opened_by(bert, article)
    client = opened_by(anna, article)
    if state == "own autosave":
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        client.post(url, {"version": article.version, "title": "Typed"})
    with django_assert_num_queries(queries):
        html = client.get(change_url(article)).content.decode()
    assert ("(autosaved)" in html) == (state == "own autosave")


def test_a_beat_takes_a_lapsed_lock_afresh(anna, bert, settings):
    article = make_article()
    opened_by(anna, article)
    second = opened_by(bert, article)
    second.post(lock_url(article), {"action": "take"})
    lapsed = timezone.now() - timedelta(seconds=settings.ARTICLES_LOCK_SECONDS + 1)
    EditLock.objects.update(heartbeat_at=lapsed, acquired_at=lapsed)
    first = Client()
    first.force_login(anna)
    assert first.post(lock_url(article), {"action": "beat"}).json()["state"] == "mine"
    lock = EditLock.objects.get()
    assert lock.user == anna and lock.taken_from is None
    assert lock.acquired_at > timezone.now() - timedelta(seconds=5)
