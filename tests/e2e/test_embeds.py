"""Embeds in a real Chromium (issue 15): a reporter pastes a YouTube address into the body
editor; readers get a facade, and no request leaves this site until they click it. The
provider's frame origin is answered by page.route, so nothing leaves the machine either."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.e2e.staff import staff_log_in, verify_email
from tests.e2e.story import WATCH_VIOLATIONS, paste
from tests.factories import make_member
from tests.oembed import oembed_serve


@pytest.fixture
def oembed_server(settings):
    yield from oembed_serve(settings)


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough test password"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
FRAME_ORIGIN = "https://www.youtube-nocookie.com"


@pytest.fixture(autouse=True)
def _site():
    Site.objects.clear_cache()


def test_reporter_pastes_youtube_and_readers_load_it_only_on_click(
    live_server, browser, page, page_quality, oembed_server
):
    make_member("Reporter", username="rita", password=PASSWORD)
    verify_email(get_user_model().objects.get(username="rita"))
    staff_log_in(page, live_server.url, "rita", PASSWORD)
    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page.fill("#id_title", "A song for the summit")
    editor = ".prose-editor [contenteditable=true]"
    page.locator(editor).first.focus()
    page.keyboard.type("Delegates sang along.")
    page.keyboard.press("Enter")

    # Bad input first: iframe code and an unknown provider are refused with a message.
    paste(page, editor, "", f'<iframe src="{FRAME_ORIGIN}/embed/dQw4w9WgXcQ"></iframe>')
    page.wait_for_selector(".embed-message >> text=not HTML code")
    page.get_by_role("button", name="Embed", exact=True).click()
    page.fill("dialog input[name=url]", "javascript:alert(1)")
    page.click("dialog button[type=submit]")
    page.wait_for_selector(".embed-message >> text=Only https://")

    # The YouTube address pasted on its own line becomes an embed block.
    paste(page, editor, VIDEO)
    page.wait_for_selector(".prose-embed >> text=Video at dQw4w9WgXcQ")
    assert page.locator(".embed-message").count() == 0
    page_quality(page, "article add form with an embed block")
    page.click("input[name=_save]")
    page.wait_for_selector("text=was added successfully")
    article = Article.objects.get(title="A song for the summit")
    assert 'data-embed="youtube"' in article.body and VIDEO in article.body
    assert "<iframe" not in article.body
    assert oembed_server.requests, "the poster is fetched when the embed is saved"
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )

    # A reader: every request recorded; the provider's frame origin answered locally.
    reader = browser.new_context().new_page()
    reader.context.add_init_script(WATCH_VIOLATIONS)
    requests: list[str] = []
    reader.on("request", lambda request: requests.append(request.url))
    route_hits: list[tuple[str, int]] = []  # (url, requests recorded before it)

    def provider(route):
        route_hits.append((route.request.url, len(requests)))
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>v</title>")

    reader.route(f"{FRAME_ORIGIN}/**", provider)
    reader.goto(live_server.url + article.get_absolute_url())
    reader.wait_for_load_state("networkidle")
    facade = reader.locator("figure.embed-youtube")
    assert facade.locator(".embed-title").inner_text() == "Video at dQw4w9WgXcQ"
    assert facade.locator("img.embed-poster").count() == 1
    page_quality(reader, "article page with an embed facade")
    site = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in requests} == {site}
    assert route_hits == []
    before_click = len(requests)

    reader.get_by_role("button", name="Load content from YouTube").click()
    frame = reader.locator("iframe.embed-frame")
    frame.wait_for()
    assert frame.get_attribute("src") == f"{FRAME_ORIGIN}/embed/dQw4w9WgXcQ"
    # The provider's (routed) page loaded in the frame: the route has answered by then.
    reader.frame_locator("iframe.embed-frame").locator("title").wait_for(state="attached")
    assert route_hits and all(count >= before_click for _, count in route_hits)
    assert any(url.startswith(FRAME_ORIGIN) for url in requests[before_click:])
    assert reader.evaluate("window.__cspViolations") == []  # frame-src allows the provider
    reader.context.close()


def test_without_javascript_the_facade_is_a_link(live_server, browser):
    from tests.factories import make_article

    article = make_article(
        body=f'<figure data-embed="youtube" data-url="{VIDEO}" data-title="A song"></figure>'
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + article.get_absolute_url())
    assert page.get_by_role("button", name="Load content from YouTube").count() == 0
    link = page.locator("figure.embed-youtube a.embed-original")
    assert link.get_attribute("href") == VIDEO
    assert link.text_content() == "Open on YouTube: A song"
    assert {urlsplit(url).netloc for url in requests} == {urlsplit(live_server.url).netloc}
    context.close()
