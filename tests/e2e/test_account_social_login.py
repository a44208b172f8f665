"""A reader logs in through a real OpenID Connect provider started on loopback.

The provider is a second Django process (tests/oidc_provider, django-oauth-toolkit) with an
RSA key made here; nothing in the redirect dance is patched.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.sites.models import Site

from accounts.models import User
from tests.factories import make_article, make_user
from tests.mailbox import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
CLIENT_ID = "newsroom-test-client"
CLIENT_SECRET = "newsroom-test-secret-123"  # noqa: S105
IDP_USER = {"username": "olga", "password": "idp-password-42", "email": "olga@idp.example"}


def rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"identity provider exited:\n{log.read_text()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"identity provider did not listen on {port}:\n{log.read_text()}")


@pytest.fixture
def oidc_provider(live_server, tmp_path):
    """Start the loopback identity provider; yield its base URL."""
    key_file = tmp_path / "idp-key.pem"
    key_file.write_text(rsa_key_pem())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "IDP_DB": str(tmp_path / "idp.sqlite3"),
        "IDP_RSA_KEY_FILE": str(key_file),
        "PYTHONPATH": str(BASE_DIR),
    }
    django = [sys.executable, "-m", "django"]
    run = {"env": env, "cwd": BASE_DIR, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([*django, "migrate", "--noinput"], **run)
    callback = f"{live_server.url}/accounts/oidc/loopback/login/callback/"
    subprocess.run(
        [
            *django,
            "idp_setup",
            *("--username", IDP_USER["username"], "--password", IDP_USER["password"]),
            *("--email", IDP_USER["email"], "--first-name", "Olga", "--last-name", "Idp"),
            *("--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET),
            *("--redirect-uri", callback),
        ],
        **run,
    )
    port = free_port()
    log = tmp_path / "idp.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*django, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=BASE_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def loopback_app(oidc_provider):
    """The provider as an admin would configure it: a SocialApp for OpenID Connect."""
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="loopback",
        name="Loopback ID",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": f"{oidc_provider}/o", "oauth_pkce_enabled": True},
    )
    app.sites.add(Site.objects.get_current())
    return app


def test_reader_logs_in_with_the_provider_icon_and_lands_back(live_server, page, loopback_app):
    article = make_article(title="Loopback story")
    start = live_server.url + article.get_absolute_url()
    page.goto(start)
    page.get_by_role("link", name="Log in", exact=True).click()
    page.get_by_role("link", name="Loopback ID").click()  # the provider's icon
    page.get_by_role("button", name="Continue").click()  # allauth: a POST starts the dance
    page.wait_for_url("http://127.0.0.1:*/login/**")  # the identity provider's own page
    page.fill("#id_username", IDP_USER["username"])
    page.fill("#id_password", IDP_USER["password"])
    page.get_by_role("button", name="Sign in to Loopback ID").click()
    page.wait_for_url(start)
    assert page.locator(".header-name").inner_text() == "Olga Idp"
    account = SocialAccount.objects.get(provider="loopback")
    assert account.user.email == IDP_USER["email"]
    assert User.objects.get(pk=account.user_id).display_name == "Olga Idp"


def test_logged_in_reader_links_the_provider_to_their_account(live_server, page, loopback_app):
    reader = make_user(username="ann", display_name="Ann Reader")
    EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "ann")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.goto(live_server.url + "/accounts/me/")
    page.get_by_role("link", name="Manage linked accounts").click()
    page.get_by_role("link", name="Loopback ID").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("http://127.0.0.1:*/login/**")
    page.fill("#id_username", IDP_USER["username"])
    page.fill("#id_password", IDP_USER["password"])
    page.get_by_role("button", name="Sign in to Loopback ID").click()
    page.wait_for_url("**/accounts/3rdparty/")
    assert SocialAccount.objects.get(provider="loopback").user_id == reader.pk
    page.goto(live_server.url + "/accounts/me/")
    assert page.locator(".social-accounts").inner_text() == f"Loopback ID ({IDP_USER['email']})"
    assert User.objects.count() == 1  # linked, not a second account


def test_login_page_shows_no_icons_without_providers(live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator(".provider-list a").count() == 0


def test_login_page_shows_one_icon_per_configured_provider(live_server, page):
    for provider, name in [("github", "GitHub"), ("google", "Google")]:
        app = SocialApp.objects.create(provider=provider, name=name, client_id="x", secret="y")
        app.sites.add(Site.objects.get_current())
    page.goto(live_server.url + "/accounts/login/?next=/somewhere/")
    links = page.locator(".provider-list a")
    assert links.count() == 2
    assert sorted(links.nth(i).get_attribute("data-provider") for i in range(2)) == [
        "github",
        "google",
    ]
    assert "next=%2Fsomewhere%2F" in links.first.get_attribute("href")


def test_reader_logs_in_from_the_comment_forms_icon_and_lands_back_at_the_form(
    live_server, page, loopback_app, settings
):
    settings.COMMENTS_MIN_SECONDS = 0  # Playwright types faster than any person
    article = make_article(title="Comment here")
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("#respond").get_by_role("link", name="Loopback ID").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("http://127.0.0.1:*/login/**")
    page.fill("#id_username", IDP_USER["username"])
    page.fill("#id_password", IDP_USER["password"])
    page.get_by_role("button", name="Sign in to Loopback ID").click()
    page.wait_for_url(f"{live_server.url}{article.get_absolute_url()}#respond")
    assert "You are commenting as Olga Idp" in page.locator(".logged-in-as").inner_text()
    page.get_by_role("textbox", name="Comment").fill("Signed in through the icon.")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    assert "Signed in through the icon." in page.locator("#comments").inner_text()
    comment = article.comments.get()
    assert comment.user.email == IDP_USER["email"]
    assert comment.body == "Signed in through the icon."
