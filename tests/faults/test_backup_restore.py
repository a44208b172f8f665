"""manage.py backup / restore: the database and media come back whole into an empty instance."""

import os
import secrets
import shutil
import stat
from io import StringIO
from pathlib import Path

import pytest
import reversion
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import PreviewLink
from comments.models import Comment
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_image_file, make_member, make_ready_draft, make_user

pytestmark = pytest.mark.django_db(transaction=True)
COMPARED = [
    "accounts.User",
    "auth.Group",
    "articles.Article",
    "articles.Byline",
    "articles.Section",
    "reversion.Revision",
    "reversion.Version",
    "comments.Comment",
    "comments.ModerationLog",
]


def snapshot() -> dict[str, list]:
    """Every row of the compared models, field by field, in primary key order."""
    return {
        label: serializers.serialize(
            "python", apps.get_model(label).objects.order_by("pk"), use_natural_foreign_keys=True
        )
        for label in COMPARED
    }


def media_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def build_site() -> None:
    reporter = make_member("Reporter", first_name="Zoë", last_name="Ünal")
    make_user(avatar=make_image_file("face.jpg"))
    with reversion.create_revision():
        article = make_ready_draft(authors=[reporter], title="Backed up ✓ 🎉")
        reversion.set_user(reporter)
    with reversion.create_revision():
        article.standfirst = "Second version"
        article.save()
    other = make_article()
    top = make_comment(other, body="Top 👩‍💻", name="Ann")
    reply = make_comment(other, parent=top, body="Reply")
    make_comment(other, parent=reply, status=Comment.Status.PENDING, body="Deep")
    make_comment(other, status=Comment.Status.REMOVED, body="")


def test_backup_then_restore_into_an_empty_instance_gives_back_every_row_and_file(
    tmp_path, settings
):
    build_site()
    before, files = snapshot(), media_files(Path(settings.MEDIA_ROOT))
    assert len(before["reversion.Version"]) >= 2 and len(files) >= 2
    call_command("backup", str(tmp_path / "backup"))

    call_command("flush", interactive=False, verbosity=0)  # an empty instance
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    assert snapshot()["articles.Article"] == [] and not media_files(Path(settings.MEDIA_ROOT))

    call_command("restore", str(tmp_path / "backup"))
    assert snapshot() == before
    assert media_files(Path(settings.MEDIA_ROOT)) == files
    # New rows continue after the restored ones (sequences were reset).
    assert make_article().pk > max(row["pk"] for row in before["articles.Article"])


def test_restore_refuses_an_instance_that_has_content(tmp_path):
    make_article()
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="restore only into an empty one"):
        call_command("restore", str(tmp_path / "backup"))


def test_backup_refuses_a_folder_that_holds_one_and_restore_a_folder_without(tmp_path):
    call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="already holds a backup"):
        call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="holds no backup"):
        call_command("restore", str(tmp_path / "nothing"))


# --- Issue 12: backups are private, and can leave the secrets out ------------------------
def build_secrets() -> dict[str, str]:
    """A user with two-factor login, a provider's app and token, a preview link: the
    secret values each row holds, by name."""
    user = make_member("Editor", username="twofactor")
    totp = TOTP.activate(user, generate_totp_secret())
    codes = RecoveryCodes.activate(user)
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="idp",
        name="Identity provider",
        client_id="newsroom-client",
        secret=secrets.token_urlsafe(24),
    )
    account = SocialAccount.objects.create(user=user, provider="idp", uid="sub-1")
    token = SocialToken.objects.create(
        app=app, account=account, token=secrets.token_hex(20), token_secret=secrets.token_hex(20)
    )
    email = EmailAddress.objects.create(user=user, email="twofactor@example.com", verified=False)
    confirmation = EmailConfirmation.create(email)
    link = PreviewLink.objects.create(article=make_ready_draft(authors=[user]))
    return {
        "totp secret": totp.instance.data["secret"],
        "recovery seed": codes.instance.data["seed"],
        "recovery code": codes.generate_codes()[0],
        "client secret": app.secret,
        "access token": token.token,
        "refresh token": token.token_secret,
        "email confirmation key": confirmation.key,
        "preview token": link.token,
    }


def written_bytes(folder: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_backup_folder_is_private_whatever_the_umask(tmp_path):
    make_user(avatar=make_image_file("face.jpg"))
    old = os.umask(0)  # the most permissive umask: every mode comes from the backup itself
    try:
        call_command("backup", str(tmp_path / "backup"))
    finally:
        os.umask(old)
    folder = tmp_path / "backup"
    paths = [folder, *folder.rglob("*")]
    assert any(p.is_file() and p.parent != folder for p in paths)  # media was copied too
    modes = {str(p.relative_to(tmp_path)): stat.S_IMODE(p.stat().st_mode) for p in paths}
    expected = {str(p.relative_to(tmp_path)): 0o700 if p.is_dir() else 0o600 for p in paths}
    assert modes == expected


def test_backup_tightens_an_existing_open_folder_to_700(tmp_path):
    """An existing empty folder is tightened to 700 before anything is written into it."""
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o777)
    call_command("backup", str(folder))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_plain_backup_keeps_the_secrets_so_two_factor_survives_a_restore(tmp_path):
    values = build_secrets()
    call_command("backup", str(tmp_path / "backup"))
    data = written_bytes(tmp_path / "backup")
    assert values["totp secret"].encode() in data and values["client secret"].encode() in data


def test_backup_without_secrets_writes_none_of_them(tmp_path):
    values = build_secrets()
    out = StringIO()
    call_command("backup", str(tmp_path / "backup"), "--exclude-secrets", stdout=out)
    data = written_bytes(tmp_path / "backup")
    found = [name for name, value in values.items() if value.encode() in data]
    assert found == []
    assert b"twofactor" in data and b"newsroom-client" in data  # the rows around them stay
    assert "secrets left out" in out.getvalue().lower()


def test_backup_without_secrets_restores_and_users_set_up_two_factor_again(tmp_path, client):
    values = build_secrets()
    before = snapshot()
    call_command("backup", str(tmp_path / "backup"), "--exclude-secrets")
    call_command("flush", interactive=False, verbosity=0)

    out = StringIO()
    call_command("restore", str(tmp_path / "backup"), stdout=out)
    assert snapshot() == before
    user = get_user_model().objects.get(username="twofactor")
    assert not Authenticator.objects.exists()  # TOTP and recovery codes: set up again
    app = SocialApp.objects.get()
    assert (app.client_id, app.secret) == ("newsroom-client", "")  # enter it in the admin
    assert SocialAccount.objects.get().user == user  # the login stays linked to the provider
    assert not SocialToken.objects.exists() and not EmailConfirmation.objects.exists()
    link = PreviewLink.objects.get()
    assert link.token and link.token != values["preview token"]
    assert "two-factor" in out.getvalue() and "secret" in out.getvalue()
    # The restored user signs in with their password; two-factor is not asked any more.
    assert client.login(username="twofactor", password="correct horse battery staple")
    assert client.get(reverse("mfa_index")).status_code == 200


def test_restored_media_get_the_sites_upload_modes_not_the_backups(tmp_path, settings):
    make_user(avatar=make_image_file("face.jpg"))
    call_command("backup", str(tmp_path / "backup"))
    call_command("flush", interactive=False, verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    shutil.rmtree(media)
    call_command("restore", str(tmp_path / "backup"))
    files = [p for p in media.rglob("*") if p.is_file()]
    assert files
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {settings.FILE_UPLOAD_PERMISSIONS}
