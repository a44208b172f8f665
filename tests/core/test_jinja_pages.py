"""The article page is written in Jinja2, the other pages in the template engine
(docs/decisions.md, "The article page in Jinja2"): both give readers the same shell,
header and footer, and Jinja2 escapes everything a person typed, as the template engine does."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse

from articles import services
from articles.models import Tag
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_member, make_section, make_user

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script>&\''


def shell(html: str) -> tuple[str, str, str, str]:
    """The page's head up to its title, the body up to the page's own content, the header
    and the footer (the log-in links' way back and the masked CSRF token made the same)."""
    html = re.sub(r"\?next=[^\"]*", "?next=PAGE", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "TOKEN", html)
    head = html.split("<title>")[0]
    body = html.split("<body>")[1].split('<main id="main" class="container my-4">')[0]
    header = re.search(r"<header class=\"site-header.*?</header>", html, re.S).group(0)
    footer = re.search(r"<footer class=\"site-footer.*?</footer>", html, re.S).group(0)
    return head, body, header, footer


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_article_page_and_a_template_engine_page_share_shell_header_and_footer(
    client, logged_in
):
    if logged_in:
        client.force_login(make_member("Editor", display_name="Ed Itor"))
    article = make_article()
    jinja = client.get(article.get_absolute_url()).content.decode()
    engine = client.get(reverse("articles:search")).content.decode()  # the template engine's
    assert shell(jinja) == shell(engine)
    assert ("Ed Itor" in shell(jinja)[2]) is logged_in
    assert ('name="csrfmiddlewaretoken"' in jinja) is logged_in  # the logout form's token


def test_everything_typed_is_escaped_on_the_jinja_page(client):
    editor = make_member("Editor")
    author = make_user(display_name=HOSTILE)
    article = make_article(
        title=HOSTILE,
        standfirst=HOSTILE,
        dateline=HOSTILE,
        section=make_section(name=HOSTILE),
        authors=[author],
    )
    article.tags.add(Tag.objects.create(name=HOSTILE, slug="hostile"))
    services.correction_add(article=article, by=editor, text=HOSTILE)
    make_comment(article, name=HOSTILE, body=HOSTILE)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(") >= 9  # title, meta, h1, lead, byline, tag…


def test_a_message_shows_on_the_jinja_page_and_is_escaped(rf: RequestFactory):
    from django.template import engines

    request = rf.get("/")
    request.session = {}
    request.user = make_user()
    storage = FallbackStorage(request)
    storage.add(constants.ERROR, HOSTILE)
    request._messages = storage
    html = engines["jinja2"].get_template("includes/_messages.html").render({}, request)
    assert 'class="alert alert-danger"' in html
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_a_page_rendered_without_a_request_still_gets_its_shell():
    """A template engine page rendered with no request (as some error views may) keeps
    the shared header and footer rather than failing in them."""
    from django.template.loader import render_to_string

    html = render_to_string("404.html", {})
    assert '<header class="site-header' in html and 'href="/accounts/login/?next="' in html
    assert '<footer class="site-footer' in html
