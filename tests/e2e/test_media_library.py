"""Pictures in the body, in a real Chromium: a reporter drops a JPEG with GPS into the
editor, gives its alt text, reuses a library picture; the published page shows both with
srcset, no served file has GPS, and the Nu checker and axe find nothing (page_quality)."""

import base64
import io
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.urls import reverse
from PIL import Image as PILImage

from articles import media, services
from articles.models import Article, Image
from tests.articles.test_images import GPS_IFD, exif_with_gps
from tests.e2e.staff import staff_log_in, verify_email
from tests.e2e.story import DROP, served_urls
from tests.factories import make_image_bytes, make_image_file, make_member, make_ready_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough test password"


@pytest.fixture(autouse=True)
def _site():
    Site.objects.clear_cache()
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})


def test_reporter_drops_a_picture_reuses_one_and_readers_see_both(live_server, page, page_quality):
    rita = make_member("Reporter", username="rita", password=PASSWORD)
    editor = make_member("Editor", username="ed")
    library = media.image_upload(
        file=make_image_file(size=(1000, 700)), by=editor, title="Quay at dawn", alt="A quay"
    )
    article = make_ready_draft(title="Harbour strike", authors=[rita], created_by=rita)
    verify_email(get_user_model().objects.get(username="rita"))
    staff_log_in(page, live_server.url, "rita", PASSWORD)

    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    # The editor's menu is built by a module and its icons come from a web font: check the
    # page once both are there, as the reporter sees it.
    page.wait_for_selector("button[data-name='libraryImage:choose']")
    page.evaluate("document.fonts.ready.then(() => true)")
    page_quality(page, "article change form with the picture buttons")
    body = page.get_by_role("textbox", name="Body")
    box = body.bounding_box()
    raw = make_image_bytes(size=(1200, 800), exif=exif_with_gps())
    assert PILImage.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)  # the file has GPS
    page.evaluate(DROP, [base64.b64encode(raw).decode(), box["x"] + 20, box["y"] + 10])

    # The dialog asks for alt text first: an upload without it is refused in the dialog.
    dialog = page.get_by_role("dialog", name="Add a picture")
    dialog.get_by_role("button", name="Upload").click()
    assert "Give alt text" in dialog.get_by_role("alert").inner_text()
    dialog.get_by_label("Alt text", exact=True).fill("Dockers at the closed harbour gate")
    dialog.get_by_label("Caption").fill("The gate on Monday")
    dialog.get_by_role("button", name="Upload").click()
    page.wait_for_selector(".prose-editor figure.library-image")

    page.get_by_role("button", name="From library: choose a picture used before").click()
    chooser = page.get_by_role("dialog", name="Choose from the library")
    chooser.get_by_role("button", name="Quay at dawn").click()
    # (wait_for_function polls with eval, which the admin's CSP forbids)
    page.locator(".prose-editor figure.library-image").nth(1).wait_for()
    # The reused picture's caption, edited in place.
    page.locator(".prose-editor figure.library-image").nth(1).get_by_role(
        "button", name="Edit caption"
    ).click()
    captioner = page.get_by_role("dialog", name="Edit the caption")
    captioner.get_by_label("Caption").fill("The quay, last week")
    captioner.get_by_role("button", name="Save caption").click()
    page.locator(".prose-editor figcaption", has_text="The quay, last week").wait_for()
    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")

    article.refresh_from_db()
    dropped = Image.objects.exclude(pk=library.pk).get()
    assert dropped.alt == "Dockers at the closed harbour gate" and dropped.uploaded_by == rita
    assert f'<figure data-image="{dropped.pk}"><figcaption>The gate on Monday' in article.body
    assert f'data-image="{library.pk}"><figcaption>The quay, last week' in article.body
    assert set(article.images.all()) == {dropped, library}
    assert "<p>Body" in article.body  # dropped into the words: placed beside, not inside

    services.article_publish(article=Article.objects.get(pk=article.pk), by=editor)
    page.goto(live_server.url + Article.objects.get(pk=article.pk).get_absolute_url())
    page_quality(page, "article page with two body pictures")
    pictures = page.locator(".article-body figure.body-image img")
    assert pictures.count() == 2
    for i in range(2):
        assert pictures.nth(i).get_attribute("srcset")
        assert pictures.nth(i).get_attribute("loading") == "lazy"
    assert page.locator(".article-body img[alt='Dockers at the closed harbour gate']").count()
    html = page.content()
    urls = served_urls(html)
    assert len(urls) >= 6  # both pictures, WebP and JPEG, the lead image
    for url in urls:
        data = page.request.get(urljoin(live_server.url, url)).body()
        image = PILImage.open(io.BytesIO(data))
        assert not image.getexif().get_ifd(GPS_IFD), url
        assert b"PhoneMaker" not in data, url
    page_quality.assert_valid_html()
