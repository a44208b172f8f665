"""Whatever a reader types in any field is shown as text, never run."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.comments.helpers import form_data, make_comment, make_moderator, post_url
from tests.factories import make_article

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
ATTR = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def article():
    return make_article()


def assert_inert(html: str) -> None:
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror" not in html
    assert 'href="javascript:' not in html.lower()


@pytest.mark.parametrize("payload", [SCRIPT, ATTR, "javascript:alert(1)"])
def test_body_is_inert(client, article, payload):
    make_comment(article, body=f"look {payload} http://x.example/{payload}")
    html = client.get(article.get_absolute_url()).content.decode()
    assert_inert(html)
    assert "&lt;script&gt;" in html or "&quot;&gt;&lt;img" in html or "javascript:alert" in html


@pytest.mark.parametrize("payload", [SCRIPT, ATTR])
def test_name_is_inert(client, article, payload):
    make_comment(article, name=payload, url="https://ok.example")
    html = client.get(article.get_absolute_url()).content.decode()
    assert_inert(html)


def test_website_must_be_a_web_address(client, article):
    data = form_data(article, url="javascript:alert(1)")
    response = client.post(post_url(article), data)
    assert response.status_code == 400 and not Comment.objects.exists()
    assert_inert(response.content.decode())


def test_website_with_quotes_is_escaped_in_the_href(client, article):
    make_comment(article, url='https://ok.example/"onmouseover="alert(1)')
    html = client.get(article.get_absolute_url()).content.decode()
    assert '"onmouseover="' not in html
    assert "https://ok.example/&quot;onmouseover=&quot;alert(1)" in html


@pytest.mark.parametrize("field", ["body", "name", "email", "url"])
def test_refused_form_echoes_every_field_inert(client, article, field):
    value = {"url": f"https://x.example/{ATTR}", "email": f"{ATTR}@x"}.get(field, ATTR)
    data = form_data(article, age=0, **{field: value})  # too fast: the form comes back
    html = client.post(post_url(article), data).content.decode()
    assert_inert(html)


def test_pending_comment_shown_to_its_author_is_inert(client, article):
    client.post(post_url(article), form_data(article, body=SCRIPT))
    assert_inert(client.get(article.get_absolute_url()).content.decode())


def test_admin_queue_and_email_are_inert(client, article, mailoutbox):
    make_comment(article, status="pending", body=SCRIPT, name=ATTR, email="x@example.com")
    client.force_login(make_moderator())
    assert_inert(client.get(reverse("admin:comments_comment_changelist")).content.decode())


def test_feed_is_inert(client, article):
    make_comment(article, body=SCRIPT, name=ATTR)
    xml = client.get(reverse("comments:feed")).content.decode()
    assert "<script>" not in xml and "<img" not in xml


def test_refused_form_keeps_each_value_escaped_and_each_message_tied_to_its_field(client, article):
    """The form's fields are written out in Python (CommentForm.fields_html): what the
    reader typed comes back in its field, escaped, with its message named by the input."""
    data = form_data(article, body="", name=ATTR, email="not-an-email", subscribe="on")
    html = client.post(post_url(article), data).content.decode()
    assert_inert(html)
    assert 'value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html
    assert (
        '<textarea class="form-control is-invalid" name="body" id="id_body" rows="6"'
        ' maxlength="5000" required aria-describedby="id_body-error comment-counter"'
        ' aria-invalid="true"></textarea>'
    ) in html
    assert '<div class="invalid-feedback" id="id_body-error">Please write a comment.</div>' in html
    assert (
        'name="email" id="id_email" value="not-an-email" maxlength="254" required'
        ' aria-describedby="id_email-error id_email-help" aria-invalid="true">'
    ) in html
    assert 'id="id_subscribe" checked>' in html and 'id="id_save_details">' in html
