"""The editorial journey in a real Chromium: reporter writes and submits, editor publishes.
Every page of it, admin and public, passes the Nu checker and axe-core (page_quality)."""

from datetime import timedelta

import feedparser
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.e2e.staff import staff_log_in, verify_email
from tests.factories import make_image_bytes, make_member, make_ready_draft, make_section

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough test password"


def log_in(page, live_server, username, check=None):
    """check (page_quality) checks the login page and the index; pass it once a journey,
    where those pages first show."""
    verify_email(get_user_model().objects.get(username=username))
    staff_log_in(page, live_server.url, username, PASSWORD, check)


def log_out(page, live_server, check=None):
    page.click("#logout-form button")
    page.wait_for_load_state()
    if check:
        check(page, "admin logged out")


@pytest.fixture(autouse=True)
def _site():
    """The admin login and the feeds need the Site row that an earlier flush may have removed."""
    Site.objects.clear_cache()
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})


def test_reporter_submits_editor_publishes_and_readers_see_it(
    live_server, page, tmp_path, page_quality
):
    make_member("Reporter", username="rita", first_name="Rita", password=PASSWORD)
    make_member("Editor", username="ed", password=PASSWORD)
    section = make_section(name="Europe", slug="europe")
    photo = tmp_path / "council.jpg"
    photo.write_bytes(make_image_bytes(size=(900, 600)))

    # The reporter writes the article in the admin, with an image, and submits it.
    log_in(page, live_server, "rita", page_quality)
    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page_quality(page, "article add form")
    page.fill("#id_title", "Council meets in Brussels")
    page.fill("#id_standfirst", "Allies and Russia sit down at one table.")
    page.select_option("#id_section", str(section.pk))
    page.locator(".prose-editor [contenteditable=true]").first.focus()
    page.keyboard.type("Ambassadors met on Wednesday.")
    page.set_input_files("#id_lead_image", str(photo))
    page.fill("#id_lead_image_alt", "The council table")
    page.click("input[name=_submit_review]")
    page.wait_for_selector("text=was submitted for review")
    page_quality(page, "after submitting for review")
    article = Article.objects.get(title="Council meets in Brussels")
    assert article.slug == "council-meets-in-brussels"  # filled in from the headline
    assert article.status == Article.Status.REVIEW
    assert "Ambassadors met on Wednesday." in article.body

    # Her attempt to publish (a forged publish button) is refused by the service.
    log_out(page, live_server, page_quality)
    article.status = Article.Status.DRAFT
    article.save()
    log_in(page, live_server, "rita")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    assert page.locator("input[name=_publish]").count() == 0
    page_quality(page, "article change form, reporter")
    page.evaluate(
        """() => {
            const form = document.querySelector('#article_form');
            const forged = document.createElement('input');
            forged.type = 'hidden'; forged.name = '_publish'; forged.value = '1';
            form.appendChild(forged);
            form.requestSubmit();
        }"""
    )
    page.wait_for_selector("text=Only editors can publish articles.")
    page_quality(page, "article change form, publishing refused")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    page.click("input[name=_submit_review]")
    page.wait_for_selector("text=was submitted for review")
    log_out(page, live_server)

    # The editor finds it in the review queue and publishes it.
    log_in(page, live_server, "ed")
    page_quality(page, "admin index, editor")
    page.get_by_role("link", name="1 article waiting for review").click()
    page_quality(page, "review queue")
    page.get_by_role("link", name="Council meets in Brussels").click()
    page_quality(page, "article change form, editor")
    page.click("input[name=_publish]")
    page.wait_for_selector("text=was published")
    page_quality(page, "after publishing")
    article.refresh_from_db()
    assert article.is_published()

    # Readers see it on the front page, on its own page with the image, and in the feed.
    page.goto(live_server.url + "/")
    page_quality(page, "front page")
    page.get_by_role("link", name="Council meets in Brussels").first.click()
    page.wait_for_url("**" + article.get_absolute_url())
    assert page.locator("h1").inner_text() == "Council meets in Brussels"
    image = page.locator(".lead-image img")
    assert image.get_attribute("alt") == "The council table"
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    page_quality(page, "article page")
    # The feed is XML, neither HTML for Nu nor a page for axe: feedparser reads it instead
    # (tests/security/test_feed_xml.py keeps it well-formed XML).
    feed = feedparser.parse(page.request.get(live_server.url + "/feed/rss/").body())
    assert [entry.title for entry in feed.entries] == ["Council meets in Brussels"]
    page_quality.assert_valid_html()


def test_editor_schedules_and_the_article_goes_live_at_its_time(live_server, page):
    make_member("Editor", username="ed", password=PASSWORD)
    article = make_ready_draft(title="Embargoed until soon", status=Article.Status.REVIEW)
    log_in(page, live_server, "ed")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    when = timezone.localtime(timezone.now() + timedelta(seconds=10))
    page.fill("#id_published_at_0", when.strftime("%d/%m/%Y"))
    page.fill("#id_published_at_1", when.strftime("%H:%M:%S"))
    page.click("input[name=_schedule]")
    page.wait_for_selector("text=was scheduled")
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    assert article.published_at == when.replace(microsecond=0)

    # Before its time it is nowhere; from its time it is on the front page, with nothing
    # else running (the page is reloaded until then, for at most about 30 seconds).
    page.goto(live_server.url + "/")
    if timezone.now() < article.published_at:  # the page was served before the publish time
        assert page.get_by_text("Embargoed until soon").count() == 0
    for _ in range(60):
        page.goto(live_server.url + "/")
        if page.get_by_text("Embargoed until soon").count():
            break
        page.wait_for_timeout(500)
    assert page.get_by_role("link", name="Embargoed until soon").count() == 1
