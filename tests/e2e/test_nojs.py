"""With JavaScript off a reader can read everything, comment, reply at any depth, page
through a long thread, log in and log out: the script is only an enhancement."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment, DiscussionSettings
from tests.comments.helpers import make_comment
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTICLE = "/2022/01/12/nato-russia-council-step-forward/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def site(live_server, settings):
    # The anti-spam timers judge humans by speed; a test types faster than any human.
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    Site.objects.clear_cache()
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})
    call_command("load_demo", force=True, verbosity=0)
    return live_server


def discussion(**fields) -> None:
    """Save the discussion settings (e.g. publish without moderation) and drop the cached copy."""
    DiscussionSettings.objects.update_or_create(pk=1, defaults=fields)
    cache.delete(DiscussionSettings.CACHE_KEY)


@pytest.fixture
def nojs(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def post_comment(page, body: str, *, name: str = "Ada Guest") -> None:
    page.get_by_role("textbox", name="Comment").fill(body)
    name_box = page.get_by_role("textbox", name="Name")
    if name_box.count():
        name_box.fill(name)
        page.get_by_role("textbox", name="Email").fill("ada@example.com")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()


def test_javascript_is_really_off(site, nojs):
    nojs.goto(site.url + ARTICLE)
    # comments.js would write the counter; without JS the server's text stays.
    assert nojs.locator("#comment-counter").inner_text().startswith("Up to 5000 characters")


def test_reader_reads_front_article_and_every_comment(site, nojs):
    nojs.goto(site.url + "/")
    nojs.get_by_role("link", name="NATO-Russia Council step forward").first.click()
    nojs.wait_for_url(site.url + ARTICLE)
    article = Article.objects.get(slug="nato-russia-council-step-forward")
    assert nojs.get_by_role("heading", level=1).inner_text() == article.title
    assert "Ambassadors of the 30 NATO Allies" in nojs.locator(".article-body").inner_text()
    approved = Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
    shown = nojs.locator(".comment-list .comment-content").all_inner_texts()
    assert len(shown) == approved.count() == 4
    # the demo's editors' pick is in the page, not made by a script (issue 16)
    assert nojs.locator(".editors-picks .comment-content").count() == 1
    for comment in approved:
        assert comment.body.split("\n")[0] in "\n".join(shown)
    # The section link and the archive work as plain links.
    nojs.locator(".article-kicker a").click()
    nojs.wait_for_url(site.url + "/section/europe/")


def test_guest_posts_a_comment(site, nojs):
    discussion(trusted_after=0)
    nojs.goto(site.url + ARTICLE)
    post_comment(nojs, "Posted with scripts switched off.")
    comment = Comment.objects.get(body="Posted with scripts switched off.")
    assert comment.status == Comment.Status.APPROVED and comment.parent is None
    assert "Posted with scripts switched off." in nojs.locator(".comment-list").inner_text()


def test_guest_replies_at_every_depth(site, nojs):
    discussion(trusted_after=0, thread_depth=5)
    article = Article.objects.get(slug="nato-russia-council-step-forward")
    deepest = Comment.objects.filter(article=article).order_by("-depth").first()
    assert deepest.depth == 3
    for depth in (4, 5):
        nojs.goto(site.url + ARTICLE)
        nojs.locator(f"#comment-{deepest.pk} > .comment-body .comment-reply-link").click()
        nojs.wait_for_url(re.compile(rf"replytocom={deepest.pk}"))
        assert nojs.locator("input[name='parent']").input_value() == str(deepest.pk)
        post_comment(nojs, f"A reply at depth {depth}.")
        reply = Comment.objects.get(body=f"A reply at depth {depth}.")
        assert (reply.parent_id, reply.depth) == (deepest.pk, depth)
        nested = nojs.locator(f"#comment-{deepest.pk} .children #comment-{reply.pk}")
        assert nested.count() == 1
        deepest = reply


def test_reader_pages_through_a_long_thread(site, nojs):
    discussion(per_page=2)
    article = Article.objects.get(slug="nato-russia-council-step-forward")
    for n in range(4):
        make_comment(article, body=f"Later top-level comment {n}.")
    roots = Comment.objects.filter(article=article, parent=None).count()
    assert roots == 6
    nojs.goto(site.url + ARTICLE)
    seen = []
    for number in (1, 2, 3):
        if number > 1:
            nojs.get_by_role("navigation", name="Comment pages").get_by_role(
                "link", name=str(number), exact=True
            ).click()
            nojs.wait_for_url(re.compile(rf"cpage={number}"))
        current = nojs.get_by_role("navigation", name="Comment pages").locator(
            "[aria-current=page]"
        )
        assert current.inner_text() == str(number)
        seen += nojs.locator(".comment-list > li").evaluate_all("els => els.map(e => e.id)")
    assert len(seen) == len(set(seen)) == roots


def test_reader_logs_in_and_out(site, nojs):
    user = make_user(username="nora", display_name="Nora Reader")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    nojs.goto(site.url + ARTICLE)
    nojs.get_by_role("banner").get_by_role("link", name="Log in").click()
    nojs.locator("#id_login").fill("nora")
    nojs.locator("#id_password").fill(PASSWORD)
    nojs.get_by_role("button", name="Log in", exact=True).click()
    nojs.wait_for_url(site.url + ARTICLE)
    header = nojs.get_by_role("banner")
    assert "Nora Reader" in header.inner_text()
    assert "You are commenting as Nora Reader" in nojs.locator(".logged-in-as").inner_text()
    header.get_by_role("button", name="Log out").click()
    nojs.wait_for_load_state()
    assert nojs.get_by_role("banner").get_by_role("link", name="Log in").count() == 1
    assert "Nora Reader" not in nojs.get_by_role("banner").inner_text()
