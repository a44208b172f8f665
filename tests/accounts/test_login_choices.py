"""The login choices snippet the comment form includes: links and one icon per provider."""

import re

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def render(next_url="/2022/01/12/story/#respond"):
    request = RequestFactory().get("/2022/01/12/story/")
    return render_to_string("accounts/_login_choices.html", {"next": next_url}, request=request)


def add_app(provider, name, **extra):
    app = SocialApp.objects.create(provider=provider, name=name, client_id="x", secret="y", **extra)
    app.sites.add(Site.objects.get_current())


def test_no_icons_when_no_provider_is_configured():
    html = render()
    assert "provider-link" not in html
    assert "/accounts/login/?next=/2022/01/12/story/%23respond" in html


def test_one_icon_per_configured_provider_each_keeping_next():
    add_app("github", "GitHub")
    add_app("openid_connect", "Loopback ID", provider_id="loopback")
    html = render()
    assert html.count('class="btn btn-sm btn-outline-secondary provider-link"') == 2
    expected = (
        "/accounts/github/login/?process=login&amp;next=%2F2022%2F01%2F12%2Fstory%2F%23respond"
    )
    assert expected in html
    assert "/accounts/oidc/loopback/login/" in html
    assert "img/providers/github.svg" in html and "img/providers/openid.svg" in html


def test_next_is_escaped():
    html = render('"><script>alert(1)</script>')
    assert "<script>alert(1)" not in html


@pytest.mark.usefixtures("fragments_only")
def test_the_kept_provider_list_follows_the_social_apps(django_assert_num_queries):
    """Kept as a fragment (allauth builds every provider per call); a saved, removed or
    re-sited app expires it."""
    add_app("github", "GitHub")
    assert "GitHub" in render()
    with django_assert_num_queries(0):
        assert "GitHub" in render(next_url="/elsewhere/")
    assert "next=%2Felsewhere%2F" in render(next_url="/elsewhere/")  # next is per page
    add_app("google", "Google")
    assert "Google" in render()
    app = SocialApp.objects.get(provider="google")
    app.sites.clear()
    assert "Google" not in render()
    SocialApp.objects.filter(provider="github").get().delete()
    assert "GitHub" not in render()


def test_past_the_cache_providers_are_built_again_only_when_an_app_changed(
    django_assert_num_queries, monkeypatch
):
    """Without fragments (a cold page) the apps' rows are read each time, in one query, and
    allauth's providers are built again only when those rows changed."""
    from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

    built = []
    real = DefaultSocialAccountAdapter.list_providers
    monkeypatch.setattr(
        DefaultSocialAccountAdapter,
        "list_providers",
        lambda self, request: built.append(1) or real(self, request),
    )
    add_app("openid_connect", "Loopback ID", provider_id="loopback")
    assert "Loopback ID" in render()
    with django_assert_num_queries(1):
        assert "Loopback ID" in render()
    assert len(built) == 1
    SocialApp.objects.filter(provider_id="loopback").update(name="Renamed ID")
    assert "Renamed ID" in render()
    assert len(built) == 2
    SocialApp.objects.get(provider_id="loopback").sites.clear()
    assert "Renamed ID" not in render()


def test_the_comment_form_shows_each_providers_icon_with_its_name(client):
    """The comment form's "click an icon to log in" list: the same icons as the login page,
    served by the site, each link still named by its provider's name."""
    add_app("github", "GitHub")
    add_app("openid_connect", "Loopback ID", provider_id="loopback")
    html = client.get(make_article().get_absolute_url()).content.decode()
    start = html.index('<ul class="login-icons')
    icons = html[start : html.index("</ul>", start)]
    github = re.search(r'<a [^>]*href="/accounts/github/login/[^"]*"[^>]*>(.*?)</a>', icons)
    assert github, icons
    assert re.fullmatch(
        r'<img src="/static/img/providers/github(\.[0-9a-f]+)?\.svg" alt="" width="20" '
        r'height="20" class="me-1">GitHub',
        github.group(1),
    )
    assert re.search(r'<img src="/static/img/providers/openid(\.[0-9a-f]+)?\.svg" alt=""', icons)
    assert ">Loopback ID</a>" in icons
    assert "http://" not in icons and "https://" not in icons  # no outside assets
