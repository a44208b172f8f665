"""The issue's "done when": a real WordPress export imported, then a reader opens an
imported article at its old addresses and sees its threads and lead picture, and a
moderator finds the imported held comment in the queue."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from tests.e2e.staff import staff_log_in, verify_email
from tests.factories import make_member
from tests.importers.conftest import import_wordpress

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FLOODS = "/2024/03/05/floods-in-the-valley/"
PASSWORD = "import-e2e-moderator"


@pytest.fixture
def site(live_server, settings):
    settings.TIME_ZONE = "Europe/Brussels"  # the export's site time zone
    import_wordpress()
    return live_server.url


def test_imported_article_at_its_old_addresses_with_threads_picture_and_queue(page, site):
    by_name = {c.name: c for c in Comment.objects.all()}
    for old in ("/?p=4", "/archives/4", FLOODS + "comment-page-1/"):
        page.goto(site + old)
        expect(page).to_have_url(site + FLOODS)
        expect(page.get_by_role("heading", level=1)).to_have_text("Floods in the valley")
    # An old comment link: the anchor holds WordPress's comment id; the reader lands on the
    # imported comment, whatever its id here.
    shown = Comment.objects.filter(article__slug="floods-in-the-valley", status="approved")
    moved = next(c for c in shown.order_by("-pk") if c.import_id != str(c.pk))
    page.goto(site + FLOODS + f"comment-page-1/#comment-{moved.import_id}")
    expect(page).to_have_url(site + FLOODS + f"#comment-{moved.pk}")
    expect(page.locator(f"#comment-{moved.pk} > .comment-body")).to_be_in_viewport()
    lead = page.locator("figure.lead-image img")
    expect(lead).to_have_attribute("alt", "A flooded street with parked cars")
    expect(page.locator("figure.lead-image figcaption")).to_contain_text("Photo: Jo Lens")
    assert page.evaluate("document.querySelector('figure.lead-image img').naturalWidth") > 0
    # The thread keeps its shape: each reader's reply sits inside the comment it answers.
    first, second = by_name["Reader 1"], by_name["Reader 2"]
    nested = page.locator(f"#comment-{first.pk} #comment-{second.pk}")
    expect(nested).to_contain_text("Level 2 says hello.")
    deepest = page.locator(f"#comment-{by_name['Reader 6'].pk}")
    expect(deepest).to_contain_text("Reader 5")  # shown one level up, "in reply to"
    expect(page.get_by_text("Waiting for a moderator.")).to_have_count(0)

    verify_email(make_member("Moderator", username="mona", password=PASSWORD))
    staff_log_in(page, site, "mona", PASSWORD)
    page.goto(site + reverse("admin:comments_comment_changelist") + "?awaiting=yes")
    expect(page.locator("#result_list")).to_contain_text("Waiting for a moderator.")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page).to_have_title(re.compile("comment", re.I))
