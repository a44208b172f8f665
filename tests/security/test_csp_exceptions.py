"""The CSP's two reviewed exceptions apply only where they are needed."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_public_pages_allow_no_inline_style_and_forms_only_to_this_site(client):
    policy = directives(client.get("/"))
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["form-action"] == "'self'"


def test_admin_allows_inline_styles_but_never_inline_scripts(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    policy = directives(client.get("/admin/"))
    assert "'unsafe-inline'" in policy["style-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'nonce-" in policy["script-src"]


def test_social_login_view_may_post_to_the_configured_provider(client):
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="loopback",
        name="Loopback",
        client_id="x",
        settings={"server_url": "http://127.0.0.1:9999/o"},
    )
    app.sites.add(Site.objects.get_current())
    response = client.get("/accounts/oidc/loopback/login/")
    assert response.status_code == 200
    form_action = directives(response)["form-action"].split()
    assert form_action == ["'self'", "https:", "http://127.0.0.1:9999"]
