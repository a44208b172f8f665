"""Issue 15's whole story in one real Chromium: a reporter drops a JPEG with GPS into the
body, gives its alt text, reuses a library picture and pastes a YouTube address; readers get
both pictures with srcset, no served file carries GPS, the embed is a facade, nothing is
asked of a third-party origin until the click, and the Nu checker and axe find nothing.

The helpers are those of tests/e2e/test_media_library.py and tests/e2e/test_embeds.py
(tests/e2e/story.py); the provider's frame origin is answered by page.route and its oEmbed
endpoint by a loopback server (tests/oembed.py), so nothing leaves the machine."""

import base64
import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.urls import reverse
from PIL import Image as PILImage
from playwright.sync_api import expect

from articles import media, services
from articles.models import Article, Image
from tests.articles.test_images import GPS_IFD, exif_with_gps
from tests.e2e.staff import staff_log_in, verify_email
from tests.e2e.story import DROP, WATCH_VIOLATIONS, paste, served_urls
from tests.factories import make_image_bytes, make_image_file, make_member, make_ready_draft
from tests.oembed import oembed_serve

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough test password"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
FRAME_ORIGIN = "https://www.youtube-nocookie.com"
EDITOR = ".prose-editor [contenteditable=true]"


@pytest.fixture(autouse=True)
def _site():
    Site.objects.clear_cache()
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})


@pytest.fixture
def oembed_server(settings):
    yield from oembed_serve(settings)


def test_reporter_adds_two_pictures_and_an_embed_and_readers_get_them_privately(
    live_server, browser, page, page_quality, oembed_server
):
    rita = make_member("Reporter", username="rita", password=PASSWORD)
    editor = make_member("Editor", username="ed")
    library = media.image_upload(
        file=make_image_file(size=(1000, 700)), by=editor, title="Quay at dawn", alt="A quay"
    )
    article = make_ready_draft(title="Harbour strike", authors=[rita], created_by=rita)
    verify_email(get_user_model().objects.get(username="rita"))
    staff_log_in(page, live_server.url, "rita", PASSWORD)
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    expect(page.locator("button[data-name='libraryImage:choose']")).to_be_visible()

    # 1. A JPEG with GPS, dropped into the body; the dialog asks for its alt text.
    raw = make_image_bytes(size=(1200, 800), exif=exif_with_gps())
    assert PILImage.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)  # the file has GPS
    box = page.get_by_role("textbox", name="Body").bounding_box()
    page.evaluate(DROP, [base64.b64encode(raw).decode(), box["x"] + 20, box["y"] + 10])
    dialog = page.get_by_role("dialog", name="Add a picture")
    dialog.get_by_label("Alt text", exact=True).fill("Dockers at the closed harbour gate")
    dialog.get_by_role("button", name="Upload").click()
    figures = page.locator(".prose-editor figure.library-image")
    expect(figures).to_have_count(1)

    # 2. A picture from the library, used before.
    page.get_by_role("button", name="From library: choose a picture used before").click()
    page.get_by_role("dialog", name="Choose from the library").get_by_role(
        "button", name="Quay at dawn"
    ).click()
    expect(figures).to_have_count(2)

    # 3. A YouTube address pasted on a line of its own, at the end of the body.
    page.locator(EDITOR).first.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    paste(page, EDITOR, VIDEO)
    expect(page.locator(".prose-embed")).to_contain_text("Video at dQw4w9WgXcQ")
    expect(page.locator(".embed-message")).to_have_count(0)
    page_quality(page, "article change form with two pictures and an embed")
    page.click("input[name=_continue]")
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    article.refresh_from_db()
    dropped = Image.objects.exclude(pk=library.pk).get()
    assert dropped.alt == "Dockers at the closed harbour gate" and dropped.uploaded_by == rita
    assert set(article.images.all()) == {dropped, library}
    assert 'data-embed="youtube"' in article.body and VIDEO in article.body
    assert "<iframe" not in article.body
    assert oembed_server.requests, "the poster is fetched when the embed is saved"
    services.article_publish(article=Article.objects.get(pk=article.pk), by=editor)

    # A reader: every request recorded; the provider's frame origin answered locally.
    reader = browser.new_context().new_page()
    reader.set_default_timeout(15_000)
    reader.context.add_init_script(WATCH_VIOLATIONS)
    requests: list[str] = []
    reader.on("request", lambda request: requests.append(request.url))
    route_hits: list[tuple[str, int]] = []  # (url, requests recorded before it)

    def provider(route):
        route_hits.append((route.request.url, len(requests)))
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>v</title>")

    reader.route(f"{FRAME_ORIGIN}/**", provider)
    reader.goto(live_server.url + Article.objects.get(pk=article.pk).get_absolute_url())

    pictures = reader.locator(".article-body figure.body-image img")
    expect(pictures).to_have_count(2)
    for i in range(2):
        expect(pictures.nth(i)).to_have_attribute("srcset", re.compile(r"\d+w"))
    expect(
        reader.locator(".article-body img[alt='Dockers at the closed harbour gate']")
    ).to_have_count(1)
    facade = reader.locator("figure.embed-youtube")
    expect(facade.locator(".embed-title")).to_have_text("Video at dQw4w9WgXcQ")
    expect(facade.locator("img.embed-poster")).to_have_count(1)
    # Every picture loaded (the lazy ones scrolled to), still nothing but this site asked.
    for img in reader.locator("img").all():
        img.scroll_into_view_if_needed()
        expect(img).to_have_js_property("complete", True)
    reader.wait_for_load_state("networkidle")
    page_quality(reader, "article page with two body pictures and an embed facade")
    site = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in requests} == {site}
    assert route_hits == []

    # No served file carries GPS (both pictures in WebP and JPEG, the poster, the lead).
    urls = served_urls(reader.content())
    assert len(urls) >= 7
    for url in urls:
        data = reader.request.get(urljoin(live_server.url, url)).body()
        assert not PILImage.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), url
        assert b"PhoneMaker" not in data, url

    # The click: only now the provider's frame is asked for.
    before_click = len(requests)
    with reader.expect_request(lambda request: request.url.startswith(FRAME_ORIGIN)):
        reader.get_by_role("button", name="Load content from YouTube").click()
    frame = reader.locator("iframe.embed-frame")
    expect(frame).to_have_attribute("src", f"{FRAME_ORIGIN}/embed/dQw4w9WgXcQ")
    expect(reader.frame_locator("iframe.embed-frame").locator("title")).to_have_count(1)
    assert route_hits and all(count >= before_click for _, count in route_hits)
    assert reader.evaluate("window.__cspViolations") == []  # frame-src allows the provider
    reader.context.close()
    page_quality.assert_valid_html()
