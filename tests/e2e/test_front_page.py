import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reader_follows_front_page_link_to_the_demo_article(live_server, page):
    call_command("load_demo", force=True)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="NATO-Russia Council step forward").click()
    page.wait_for_url("**/2022/01/12/nato-russia-council-step-forward/")
    assert page.locator("h1").inner_text() == "NATO-Russia Council step forward"
    assert page.locator(".dateline").inner_text() == "Brussels"
    assert "Anna van Densky" in page.locator(".byline").inner_text()
