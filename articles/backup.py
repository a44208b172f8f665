"""Back up the whole site (database rows and uploaded media) to a folder, and restore it.

The rows go through Django's serializers (dumpdata's JSON, with times kept to the
microsecond) and loaddata, so a backup taken on SQLite restores into PostgreSQL and back.
Primary keys are kept (comment paths are built from them); content types and permissions
are referred to by natural key, as migrate recreates them.
"""

import datetime
import itertools
import json
import shutil
from pathlib import Path

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
EXCLUDE = {"contenttypes", "auth.permission", "sessions", "accounts.ratelimitfallbackentry"}
# Rows a migration or post_migrate hook creates, replaced by the backup's own.
RECREATED = [Group]
CHECKED = ["accounts.User", "articles.Article", "reversion.Version", "comments.Comment"]


class ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds (ECMA-262); a backup keeps microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _dump(path: Path) -> None:
    """dumpdata, with exact times: every concrete model outside EXCLUDE, dependencies first."""
    app_list = [
        (config, [m for m in config.get_models() if m._meta.label_lower not in EXCLUDE])
        for config in apps.get_app_configs()
        if config.label not in EXCLUDE and config.models_module is not None
    ]
    models = [
        m
        for m in serializers.sort_dependencies(app_list, allow_cycles=True)
        if m._meta.managed and not m._meta.proxy
    ]
    rows = itertools.chain.from_iterable(
        m._base_manager.order_by(m._meta.pk.name).iterator() for m in models
    )
    with path.open("w", encoding="utf-8") as stream:
        serializers.serialize(
            "json", rows, stream=stream, use_natural_foreign_keys=True, cls=ExactEncoder
        )


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in CHECKED}


def site_backup(*, folder: Path) -> dict:
    """Write the database and media under folder (which must not hold a backup yet)."""
    folder = Path(folder)
    if (folder / MANIFEST).exists():
        raise ValidationError(f"{folder} already holds a backup; choose an empty folder.")
    folder.mkdir(parents=True, exist_ok=True)
    _dump(folder / DATA)
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, folder / MEDIA)
    manifest = {"taken_at": timezone.now().isoformat(), "counts": _counts()}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


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
        shutil.copytree(folder / MEDIA, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return manifest


def run_command(command, action, *, folder: Path, done: str) -> None:
    """Shared by the backup and restore commands: run action, report counts or the refusal."""
    try:
        manifest = action(folder=folder)
    except ValidationError as error:
        raise CommandError(error.messages[0]) from error
    counts = ", ".join(f"{n} {label}" for label, n in manifest["counts"].items())
    command.stdout.write(command.style.SUCCESS(f"{done} {folder}: {counts}."))
