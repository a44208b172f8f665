"""A reader edits their profile with an avatar, downloads their data and deletes the account."""

import io
import json

import pytest
from allauth.account.models import EmailAddress
from PIL import Image
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def log_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/?next=/accounts/me/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(live_server.url + "/accounts/me/")


def test_reader_sets_avatar_downloads_data_and_deletes_account(live_server, page, tmp_path):
    user = make_user(username="ann")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    log_in(page, live_server, user)

    photo = tmp_path / "me.png"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "green").save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())
    page.get_by_role("link", name="Edit profile").click()
    page.fill("#id_display_name", "Ann Reader")
    page.set_input_files("#id_avatar_upload", str(photo))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your profile is saved.").wait_for()
    assert page.locator(".header-name").inner_text() == "Ann Reader"
    assert page.locator("header img.avatar").get_attribute("src").endswith("-48.jpg")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    data = json.loads(download_info.value.path().read_text())
    assert data["profile"]["display_name"] == "Ann Reader"

    page.get_by_label('Keep my comments, shown as "anonymous"').check()
    page.get_by_label("Yes, delete my account. This cannot be undone.").check()
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("Your account is deleted.").wait_for()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    assert not User.objects.filter(username="ann").exists()
