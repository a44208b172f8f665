"""make_<thing>(**overrides): rows with sensible defaults for tests."""

import io
import itertools
from datetime import timedelta

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.roles import sync_roles
from articles.models import Article, Byline, Section, Tag

_seq = itertools.count(1)


def make_user(**overrides):
    n = next(_seq)
    overrides.setdefault("username", f"user{n}")
    overrides.setdefault("email", f"user{n}@example.com")
    password = overrides.pop("password", "correct horse battery staple")
    user = get_user_model()(**overrides)
    user.set_password(password)
    user.save()
    return user


def make_member(group: str, **overrides):
    """A staff user in one of the newsroom's groups: Reporter, Editor or Moderator."""
    overrides.setdefault("is_staff", True)
    user = make_user(**overrides)
    if not Group.objects.filter(name=group).exists():
        sync_roles(django_apps)  # a transactional test flushed the migration's groups
    user.groups.add(Group.objects.get(name=group))
    return user


def make_image_bytes(*, size=(64, 48), fmt="JPEG", exif=None, color=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def make_image_file(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_image_bytes(**kwargs), content_type="image/jpeg")


def make_tag(**overrides):
    n = next(_seq)
    overrides.setdefault("name", f"Tag {n}")
    overrides.setdefault("slug", f"tag-{n}")
    return Tag.objects.create(**overrides)


def make_section(**overrides):
    n = next(_seq)
    overrides.setdefault("name", f"Section {n}")
    overrides.setdefault("slug", f"section-{n}")
    return Section.objects.create(**overrides)


def make_article(*, authors=None, **overrides):
    n = next(_seq)
    overrides.setdefault("title", f"Article {n}")
    overrides.setdefault("slug", f"article-{n}")
    overrides.setdefault("standfirst", f"Standfirst {n}")
    overrides.setdefault("body", f"<p>Body {n}</p>")
    overrides.setdefault("dateline", "Brussels")
    overrides.setdefault("status", Article.Status.PUBLISHED)
    overrides.setdefault("published_at", timezone.now() - timedelta(hours=n))
    article = Article.objects.create(**overrides)
    for position, author in enumerate(authors if authors is not None else [make_user()]):
        Byline.objects.create(article=article, author=author, position=position)
    return article


def make_ready_draft(*, authors=None, **overrides):
    """A draft that passes the publish checklist (section, lead image with alt text)."""
    overrides.setdefault("status", Article.Status.DRAFT)
    overrides.setdefault("published_at", None)
    overrides.setdefault("section", make_section())
    overrides.setdefault("lead_image", make_image_file())
    overrides.setdefault("lead_image_alt", "A red square")
    return make_article(authors=authors, **overrides)


def guest_cookie(ids) -> tuple[str, str]:
    """The signed cookie (name, value) by which a guest owns the comments ids, signed the
    way the site signs it (Django's response does the signing)."""
    from django.http import HttpResponse

    from comments.reader import MINE_COOKIE, MINE_SALT

    response = HttpResponse()
    response.set_signed_cookie(MINE_COOKIE, ".".join(map(str, ids)), salt=MINE_SALT)
    return MINE_COOKIE, response.cookies[MINE_COOKIE].value
