"""No lost edits, in real Chromium pages side by side (two and more browser contexts):
the edit lock and its takeover, the stale save refused with both versions shown when the
lock is bypassed (JavaScript off), and a killed browser's text offered back."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_article, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough test password"


def editor(username: str, **names):
    """An editor who can log in wherever staff log in (the admin's own form or the site's,
    which asks for a verified address)."""
    from allauth.account.models import EmailAddress

    user = make_member("Editor", username=username, password=PASSWORD, **names)
    user.email = f"{username}@example.org"
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/")
    page.wait_for_url("**/login/**")
    login = "#id_login" if page.locator("#id_login").count() else "#id_username"
    page.fill(login, username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(live_server.url + "/admin/")


@pytest.fixture(autouse=True)
def _site():
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.clear_cache()
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})


@pytest.fixture(autouse=True)
def _fast_beats(settings):
    # Fast enough for a test, slow enough that the live server's SQLite (one writer at a
    # time, shared by its threads) is not kept busy by the pages' beats.
    settings.ARTICLES_LOCK_BEAT_SECONDS = 2
    settings.ARTICLES_AUTOSAVE_SECONDS = 2


def open_as(browser, live_server, username, url, javascript=True):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, username)
    page.goto(live_server.url + url)
    return context, page


def test_lock_takeover_stale_save_and_autosave_recovery(live_server, browser, page_quality):
    editor("anna", first_name="Anna", last_name="van Densky")
    editor("bert", first_name="Bert")
    editor("carla", first_name="Carla")
    article = make_article(title="Original headline")
    url = reverse("admin:articles_article_change", args=[article.pk])

    # Anna opens the article and types; Bert opens it and sees her lock.
    context_a, anna = open_as(browser, live_server, "anna", url)
    anna.fill("#id_title", "Anna's unsaved headline")
    context_b, bert = open_as(browser, live_server, "bert", url)
    bert.get_by_text("Anna van Densky is editing this article").wait_for()
    page_quality(bert, "change form, locked by another editor")

    # Bert takes over; Anna is told on her next beat and keeps her text.
    bert.get_by_role("button", name="Take over").click()
    bert.get_by_text("is editing this article").wait_for(state="detached")
    anna.get_by_text("Bert took over editing this article").wait_for()
    assert anna.input_value("#id_title") == "Anna's unsaved headline"
    assert anna.locator("input[name=_continue]").is_disabled()
    page_quality(anna, "change form, lock taken over")

    # Carla, without JavaScript, opens the form before Bert saves: the lock only advises.
    context_c, carla = open_as(browser, live_server, "carla", url, javascript=False)
    carla.get_by_text("Bert is editing this article").wait_for()
    bert.fill("#id_title", "Bert's headline")
    bert.click("input[name=_continue]")
    bert.get_by_text("was changed successfully").wait_for()
    context_b.close()

    # Carla's save is built on the old version: refused, both shown, her text kept.
    carla.fill("#id_title", "Carla's headline")
    carla.click("input[name=_continue]")
    carla.get_by_text("Bert saved this article after you opened it").wait_for()
    conflict = carla.locator("#conflict")
    assert "Bert's headline" in conflict.locator("td.theirs").first.inner_text()
    assert "Carla's headline" in conflict.locator("td.yours").first.inner_text()
    assert carla.input_value("#id_title") == "Carla's headline"
    # No JavaScript runs in this page, so no axe-core; the Nu checker still reads it.
    where = "change form, stale save refused (no JavaScript)"
    page_quality.pages[where] = (urlsplit(carla.url).path, carla.content())
    assert Article.objects.get(pk=article.pk).title == "Bert's headline"
    context_c.close()

    # Anna's browser dies after an autosave; reopening offers her text back.
    anna.fill("#id_standfirst", "Typed just before the crash.")
    anna.get_by_text("Autosaved at").wait_for()
    context_a.close()
    context_a, anna = open_as(browser, live_server, "anna", url)
    offer = anna.get_by_role("link", name="(autosaved)")
    assert offer.inner_text().startswith("Restore the text from ")
    anna.get_by_text("Compare with the saved article").click()
    expect(anna.get_by_text("Typed just before the crash.").first).to_be_visible()
    page_quality(anna, "change form, autosave offered")
    offer.click()
    expect(anna.locator("#id_standfirst")).to_have_value("Typed just before the crash.")
    expect(anna.locator("#id_title")).to_have_value("Anna's unsaved headline")
    context_a.close()
