"""Back up the whole site (database rows and uploaded media) to a folder, and restore it.

The rows go through Django's serializers (dumpdata's JSON, with times kept to the
microsecond) and loaddata, so a backup taken on SQLite restores into PostgreSQL and back.
Primary keys are kept (comment paths are built from them); content types and permissions
are referred to by natural key, as migrate recreates them.

A backup holds password hashes and, unless taken with exclude_secrets, secrets in the
clear (SECRET_ROWS), so its folder is 700 and its files 600 whatever the umask.

core names no app: each app registers its part in its AppConfig.ready (register_part): the
rows whose counts a restore checks, tables left out, and how a row loses its secret.
"""

import datetime
import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

DATA = "data.json"
MEDIA = "media"
MANIFEST = "manifest.json"
# Rebuilt by migrate (content types, permissions) or worthless after a restore (sessions,
# rate-limit counts kept during a cache outage).
# Apps add theirs with register_part(excluded=...).
EXCLUDE = {"contenttypes", "auth.permission", "sessions"}
# Rows a migration or post_migrate hook creates, replaced by the backup's own.
RECREATED = [Group]
# Models whose row counts the manifest records and a restore checks: register_part(checked=...).
CHECKED: list[str] = []
# Rows that hold a secret in the clear, left out by exclude_secrets: two-factor
# authenticators (TOTP keys, recovery-code seeds), providers' access and refresh tokens,
# pending email-confirmation keys. Users set up two-factor login again after a restore.
SECRET_ROWS = {"mfa.authenticator", "socialaccount.socialtoken", "account.emailconfirmation"}
EXCLUDED_NOTE = (
    "Secrets left out: two-factor authenticators, provider tokens and email-confirmation "
    "keys are not in it; social apps have an empty secret; preview links got new tokens."
)
RESTORED_NOTE = (
    "This backup was taken with --exclude-secrets: users who had two-factor login set it "
    "up again, enter each social app's client secret in the admin (Social applications), "
    "and old preview links no longer open (make new ones)."
)


class ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds (ECMA-262); a backup keeps microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _blank_client_secret(row) -> None:
    row.secret = ""  # the identity provider's client secret


# label_lower -> fn(row) that takes the secret out of a row an exclude_secrets backup keeps.
SCRUBBERS: dict[str, Callable[[Any], None]] = {"socialaccount.socialapp": _blank_client_secret}


def register_part(
    *,
    checked: Iterable[str] = (),
    excluded: Iterable[str] = (),
    scrub: dict[str, Callable[[Any], None]] | None = None,
) -> None:
    """An app's part of the whole-site backup (called from its AppConfig.ready).

    checked: model labels ("app.Model") whose counts the manifest records and a restore
    compares; excluded: app labels or lowercase model labels left out of the backup;
    scrub: lowercase model label -> fn(row) that blanks the row's secret in place.
    """
    CHECKED.extend(label for label in checked if label not in CHECKED)
    EXCLUDE.update(excluded)
    SCRUBBERS.update(scrub or {})


def _without_secret(row):
    """The row as an exclude_secrets backup keeps it (never saved: only serialized)."""
    scrub = SCRUBBERS.get(row._meta.label_lower)
    if scrub is not None:
        scrub(row)
    return row


def _private_file(path: Path):
    """A new file only its owner can read, whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8")


def _make_private(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)


def _dump(path: Path, *, exclude_secrets: bool) -> None:
    """dumpdata, with exact times: every concrete model outside EXCLUDE, dependencies first."""
    excluded = EXCLUDE | SECRET_ROWS if exclude_secrets else EXCLUDE
    app_list = [
        (config, [m for m in config.get_models() if m._meta.label_lower not in excluded])
        for config in apps.get_app_configs()
        if config.label not in excluded and config.models_module is not None
    ]
    models = [
        m
        for m in serializers.sort_dependencies(app_list, allow_cycles=True)
        if m._meta.managed and not m._meta.proxy
    ]
    rows = itertools.chain.from_iterable(
        m._base_manager.order_by(m._meta.pk.name).iterator() for m in models
    )
    if exclude_secrets:
        rows = map(_without_secret, rows)
    with _private_file(path) as stream:
        serializers.serialize(
            "json", rows, stream=stream, use_natural_foreign_keys=True, cls=ExactEncoder
        )


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in CHECKED}


def site_backup(*, folder: Path, exclude_secrets: bool = False) -> dict:
    """Write the database and media under folder (which must not hold a backup yet)."""
    folder = Path(folder)
    if (folder / MANIFEST).exists():
        raise ValidationError(f"{folder} already holds a backup; choose an empty folder.")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # before anything is written: mkdir's mode went through the umask
    _dump(folder / DATA, exclude_secrets=exclude_secrets)
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, folder / MEDIA, copy_function=shutil.copyfile)
        _make_private(folder / MEDIA)
    manifest = {
        "taken_at": timezone.now().isoformat(),
        "counts": _counts(),
        "secrets": "excluded" if exclude_secrets else "included",
    }
    with _private_file(folder / MANIFEST) as stream:
        stream.write(json.dumps(manifest, indent=2))
    return manifest


def _copy_media_back(source: Path) -> None:
    """Files land as uploads do (FILE_UPLOAD_*PERMISSIONS), not with the backup's 600/700."""
    root = Path(settings.MEDIA_ROOT)
    for path in sorted(source.rglob("*")):
        target = root / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            mode = settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            mode = settings.FILE_UPLOAD_PERMISSIONS
        if mode is not None:
            target.chmod(mode)


def site_restore(*, folder: Path) -> dict:
    """Load a backup into an empty, migrated instance; copy its media back."""
    folder = Path(folder)
    if not (folder / MANIFEST).exists():
        raise ValidationError(f"{folder} holds no backup ({MANIFEST} is missing).")
    manifest = json.loads((folder / MANIFEST).read_text())
    if any(_counts().values()):
        raise ValidationError(
            "This instance already has users, articles or comments: restore only into an "
            "empty one (a fresh database after manage.py migrate)."
        )
    with transaction.atomic():
        for model in RECREATED:
            model.objects.all().delete()
        call_command("loaddata", str(folder / DATA), verbosity=0)
        restored = _counts()
        if restored != manifest["counts"]:
            raise ValidationError(f"Restored {restored}, the backup holds {manifest['counts']}.")
    if (folder / MEDIA).exists():
        _copy_media_back(folder / MEDIA)
    return manifest


def run_command(command, action, *, folder: Path, done: str, note: str, **options) -> None:
    """Shared by the backup and restore commands: run action, report counts or the refusal;
    note is added when the backup left its secrets out."""
    try:
        manifest = action(folder=folder, **options)
    except ValidationError as error:
        raise CommandError(error.messages[0]) from error
    counts = ", ".join(f"{n} {label}" for label, n in manifest["counts"].items())
    command.stdout.write(command.style.SUCCESS(f"{done} {folder}: {counts}."))
    if manifest.get("secrets") == "excluded":
        command.stdout.write(note)
