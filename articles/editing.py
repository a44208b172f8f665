"""Editing sessions: edit locks with takeover, private autosaves, and the side-by-side
view of a refused (stale) save. The hard guarantee is Article.version (models.py); locks
and autosaves only help people not to get there."""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from articles.edit_models import Autosave, EditLock, lock_cutoff
from articles.revisions import COMPARED_FIELDS
from articles.sanitize import clean_html

# The text fields a person types; autosaved, and compared when a save is refused: the
# fields the history compares (one list of labels, articles/revisions.py), the slug after
# the headline.
TEXT_FIELDS = [*COMPARED_FIELDS[:1], ("slug", "Slug"), *COMPARED_FIELDS[1:]]
# Also compared on a refused save (chosen in the form, not typed).
OTHER_FIELDS = [("section", "Section"), ("published_at", "Publish time")]


def _shown(name: str, value) -> str:
    """A field's value as plain text for a side-by-side table (escaped by the template)."""
    if value is None:
        return ""
    if name == "body":
        text = str(value).replace("</p>", "</p>\n").replace("<br>", "\n")
        return "\n".join(line.strip() for line in strip_tags(text).splitlines() if line.strip())
    if name == "published_at":
        return f"{timezone.localtime(value):%d %b %Y %H:%M}"
    return str(value)


def differences(theirs: dict, yours: dict, fields=None) -> list[dict]:
    """[{"name", "label", "theirs", "yours"}] for each field whose values differ."""
    rows = []
    for name, label in fields or TEXT_FIELDS + OTHER_FIELDS:
        if name not in yours:
            continue
        left, right = _shown(name, theirs.get(name)), _shown(name, yours.get(name))
        if left != right:
            rows.append({"name": name, "label": label, "theirs": left, "yours": right})
    return rows


def stored_values(article) -> dict:
    return {name: getattr(article, name) for name, _ in TEXT_FIELDS + OTHER_FIELDS}


def fingerprint(name: str, value) -> str:
    """A short hash of a field's value as compared (a section by its id)."""
    shown = _shown(name, getattr(value, "pk", value))
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


def fingerprints(article) -> str:
    """What a form was opened with, as JSON {field: fingerprint}: on a refused save, a field
    the person left as it was takes the newer saved value instead of undoing it."""
    values = stored_values_ids(article)
    return json.dumps({name: fingerprint(name, value) for name, value in values.items()})


def stored_values_ids(article) -> dict:
    """stored_values with the section as its id (no query)."""
    values = {name: getattr(article, name) for name, _ in TEXT_FIELDS}
    values.update(section=article.section_id, published_at=article.published_at)
    return values


def untouched(opened: str, name: str, yours) -> bool:
    """True when the person's value of ``name`` is still the one the form was opened with."""
    try:
        known = json.loads(opened or "{}")
    except ValueError:
        return False
    return isinstance(known, dict) and known.get(name) == fingerprint(name, yours)


def last_saved_by(article):
    """(user, time) of the article's latest stored revision, or (None, updated_at)."""
    from reversion.models import Version

    version = Version.objects.get_for_object(article).select_related("revision__user").first()
    if version is None:
        return None, article.updated_at
    return version.revision.user, version.revision.date_created


# --- Edit locks --------------------------------------------------------------------------


def lock_open(*, article, user):
    """Take the article's lock for ``user`` unless someone else holds a live one.

    Returns the lock of the other person, or None when ``user`` holds it now."""
    now = timezone.now()
    lock = EditLock.objects.select_related("user").filter(article=article).first()
    if lock is not None and lock.user_id != user.pk and lock.is_live(now):
        return lock
    if lock is not None:
        EditLock.objects.filter(pk=lock.pk).update(
            user=user, heartbeat_at=now, acquired_at=now, taken_from=None
        )
        return None
    try:
        with transaction.atomic():
            EditLock.objects.create(article=article, user=user, heartbeat_at=now)
    except IntegrityError:  # someone took it in the same instant: theirs
        return EditLock.objects.select_related("user").filter(article=article).first()
    return None


def lock_state(*, article, user, action: str) -> dict:
    """A heartbeat's answer. ``action``: "beat" (renew, or take a free lock), "take"
    (take over from whoever holds it) or "release" (let go of one's own)."""
    now = timezone.now()
    if action == "release":
        EditLock.objects.filter(article=article, user=user).delete()
        return {"state": "released"}
    with transaction.atomic():
        lock = EditLock.objects.select_for_update().filter(article=article).first()
        if action == "take" and lock is not None and lock.user_id != user.pk:
            lock.taken_from_id = lock.user_id if lock.is_live(now) else None
            lock.user, lock.heartbeat_at, lock.acquired_at = user, now, now
            lock.save()
        elif lock is not None and lock.user_id != user.pk and lock.is_live(now):
            taken = lock.taken_from_id == user.pk
            return {
                "state": "taken" if taken else "other",
                "holder": lock.user.get_display_name(),
                "since": f"{timezone.localtime(lock.acquired_at):%H:%M}",
                "version": article.version,
            }
        elif lock is None or lock.user_id != user.pk:  # free, or lapsed: take it
            lock_open(article=article, user=user)
        else:
            EditLock.objects.filter(pk=lock.pk).update(heartbeat_at=now)
    return {"state": "mine", "version": article.version}


def lock_taken_from(*, article, user):
    """The live lock someone took over from ``user`` (they may not save over it), or None."""
    return (
        EditLock.objects.live()
        .select_related("user")
        .filter(article=article, taken_from=user)
        .exclude(user=user)
        .first()
    )


# --- Autosaves ---------------------------------------------------------------------------


def autosave_store(*, article, user, data: dict, version: int) -> Autosave:
    """Keep ``user``'s typed text of ``article`` (one autosave per person, overwritten)."""
    fields = {name: str(data.get(name, "")) for name, _ in TEXT_FIELDS if name in data}
    if "body" in fields:
        fields["body"] = clean_html(fields["body"])
    autosave, _ = Autosave.objects.update_or_create(
        article=article,
        user=user,
        defaults={"data": fields, "version": version, "saved_at": timezone.now()},
    )
    editing_cleanup()
    return autosave


def autosave_offer(*, article, user):
    """``user``'s autosave of ``article`` if its text differs from the stored article."""
    autosave = Autosave.objects.filter(article=article, user=user).first()
    if autosave is None:
        return None
    autosave.changes = differences(stored_values(article), autosave.data, TEXT_FIELDS)
    return autosave if autosave.changes else None


def autosave_discard(*, article, user) -> None:
    Autosave.objects.filter(article=article, user=user).delete()


def editing_cleanup(now=None) -> tuple[int, int]:
    """Delete autosaves older than ARTICLES_AUTOSAVE_MAX_DAYS and lapsed locks.
    (An article's autosaves and lock go with it when it is deleted.)"""
    now = now or timezone.now()
    too_old = now - timedelta(days=settings.ARTICLES_AUTOSAVE_MAX_DAYS)
    autosaves, _ = Autosave.objects.filter(saved_at__lt=too_old).delete()
    locks, _ = EditLock.objects.filter(heartbeat_at__lt=lock_cutoff(now)).delete()
    return autosaves, locks
