"""The README's screenshots, written by the browser so they show the pages as they are now."""

import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.urls import reverse

from comments.models import Comment
from tests.comments.helpers import make_comment
from tests.e2e.staff import staff_log_in, verify_email
from tests.factories import make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARTICLE = "/2022/01/12/nato-russia-council-step-forward/"
PASSWORD = "a long enough test password"
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.fixture
def demo_site(live_server):
    Site.objects.clear_cache()
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})
    call_command("load_demo", force=True)
    return live_server


def shoot(
    browser, url: str, name: str, *, viewport=WIDE, scheme="light", full_page=True, before=None
):
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    if before:
        before(page)
    page.goto(url)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    context.close()
    return path


def test_front_page_screenshot(browser, demo_site):
    path = shoot(browser, demo_site.url + "/", "front", full_page=False)
    assert png_size(path) == (WIDE["width"], WIDE["height"])


def test_article_with_thread_screenshots(browser, demo_site):
    wide = shoot(browser, demo_site.url + ARTICLE, "article")
    phone = shoot(
        browser,
        demo_site.url + ARTICLE + "#comments",
        "article-phone-dark",
        viewport=PHONE,
        scheme="dark",
        full_page=False,
    )
    assert png_size(wide)[0] == WIDE["width"] and png_size(wide)[1] > WIDE["height"]
    assert png_size(phone) == (PHONE["width"], PHONE["height"])


def test_moderation_queue_screenshot(browser, demo_site):
    from articles.models import Article

    verify_email(make_member("Moderator", username="mona", password=PASSWORD))
    article = Article.objects.get(slug="nato-russia-council-step-forward")
    held = {
        "Visit my shop for cheap watches http://spam.example": "Links",
        "I disagree strongly with the premise of this piece.": "First comment",
        "Is there a transcript of the press conference?": "First comment",
    }
    for body in held:
        make_comment(article, body=body, status=Comment.Status.PENDING, name="New reader")

    def log_in(page):
        staff_log_in(page, demo_site.url, "mona", PASSWORD)

    path = shoot(
        browser,
        demo_site.url + reverse("admin:comments_comment_changelist"),
        "moderation",
        full_page=False,
        before=log_in,
    )
    assert png_size(path) == (WIDE["width"], WIDE["height"])


@pytest.mark.parametrize("path", ["/", ARTICLE, "/accounts/login/", "/search/?q=NATO"])
def test_page_fits_a_320px_screen_without_sideways_scrolling(browser, demo_site, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(demo_site.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_printed_article_has_no_navigation_or_form_and_shows_link_targets(browser, demo_site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(demo_site.url + ARTICLE)
    page.emulate_media(media="print")
    assert page.get_by_role("banner").is_hidden()
    assert page.locator("#commentform").is_hidden()
    assert page.locator(".article-body").is_visible()
    after = page.locator(".article-kicker a").evaluate(
        "a => getComputedStyle(a, '::after').content"
    )
    assert after == '" (/section/europe/)"'
    page.emulate_media(media="screen")
    assert page.get_by_role("banner").is_visible()
    context.close()
