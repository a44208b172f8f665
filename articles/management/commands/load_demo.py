"""Load the demo newsroom: sections, articles and one user per role. Idempotent."""

import datetime
import io
import os
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify

from articles import demo_content
from articles.models import Article, Byline, Correction, Section, Tag

DEMO_PASSWORD = os.environ.get("NEWSROOM_DEMO_PASSWORD", "newsroom-demo")
BRUSSELS = ZoneInfo("Europe/Brussels")


class Command(BaseCommand):
    help = "Load the demo newsroom (runs on the embedded SQLite database unless --force)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo into a non-SQLite database too. Users get no usable password.",
        )

    def handle(self, *args, force: bool = False, **options):
        embedded = connection.vendor == "sqlite"
        if not embedded and not force:
            raise CommandError(
                "Refusing to load the demo into a non-SQLite database; pass --force to insist."
            )
        # Known passwords only on a development database: never on production.
        known_passwords = embedded and settings.DEBUG
        with transaction.atomic():
            users = self.load_users(known_passwords)
            self.load_articles(users)
            if embedded:
                # Feeds and sitemap.xml build absolute links from the Site's domain.
                port = os.environ.get("PORT", "8000")
                Site.objects.update_or_create(
                    pk=settings.SITE_ID,
                    defaults={"domain": f"127.0.0.1:{port}", "name": settings.SITE_NAME},
                )
        # Other apps add their demo content with their own load_demo_<app> command.
        for name in sorted(get_commands()):
            if name.startswith("load_demo_"):
                call_command(name, verbosity=options.get("verbosity", 1))
        self.stdout.write(self.style.SUCCESS("Demo newsroom loaded."))
        if known_passwords:
            logins = "reader, reporter, editor, moderator, admin"
            self.stdout.write(f"Demo logins: {logins} / password {DEMO_PASSWORD}")

    def load_users(self, known_passwords: bool) -> dict:
        users = {}
        for username, first, last, group, is_staff, is_superuser in demo_content.USERS:
            user, _ = get_user_model().objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@newsroom.example",
                    "is_staff": is_staff,
                    "is_superuser": is_superuser,
                    "bio": demo_content.BIOS.get(username, ""),
                },
            )
            if known_passwords:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save(update_fields=["password"])
            if group:
                user.groups.add(Group.objects.get_or_create(name=group)[0])
            users[username] = user
        return users

    def load_articles(self, users: dict) -> None:
        sections = {}
        for position, (name, slug) in enumerate(demo_content.SECTIONS):
            sections[slug], _ = Section.objects.update_or_create(
                slug=slug, defaults={"name": name, "position": position}
            )
        for data in demo_content.ARTICLES:
            when = datetime.datetime(*data["published_at"], tzinfo=BRUSSELS)
            live = {
                "status": Article.Status.PUBLISHED,
                "published_at": when,
                "first_published_at": when,
                "is_featured": data.get("is_featured", False),
            }
            article = self.load_article(data, sections, users, live)
            self.load_extras(article, demo_content.EXTRAS.get(data["slug"], {}), users)
        # A submitted draft, so the editor's review queue is not empty.
        data = demo_content.DRAFT_IN_REVIEW
        review = {"status": Article.Status.REVIEW, "created_by": users[data["author"]]}
        self.load_article(data, sections, users, review)

    def load_article(self, data: dict, sections: dict, users: dict, state: dict) -> Article:
        article, _ = Article.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "standfirst": data["standfirst"],
                "dateline": data["dateline"],
                "section": sections[data["section"]],
                "body": data["body"].strip(),
                **state,
            },
        )
        Byline.objects.get_or_create(
            article=article, author=users[data["author"]], defaults={"position": 0}
        )
        return article

    def load_extras(self, article: Article, extras: dict, users: dict) -> None:
        """Tags, a drawn lead image, co-authors and a correction for one demo article."""
        tags = [
            Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
            for name in extras.get("tags", [])
        ]
        article.tags.set(tags)
        for position, username in enumerate(extras.get("coauthors", []), start=1):
            Byline.objects.get_or_create(
                article=article, author=users[username], defaults={"position": position}
            )
        if "image" in extras:
            alt, caption, color = extras["image"]
            if not article.lead_image:
                article.lead_image.save(f"{article.slug}.jpg", drawn_image(color), save=False)
            article.lead_image_alt, article.lead_image_caption = alt, caption
            article.lead_image_credit = "Newsroom illustration"
            article.save()
        if "correction" in extras:
            Correction.objects.get_or_create(
                article=article,
                text=extras["correction"],
                defaults={"created_at": article.published_at + datetime.timedelta(days=1)},
            )


def drawn_image(color: tuple[int, int, int]) -> ContentFile:
    """A simple 1200×675 picture (bands of one colour) so the demo needs no photo files."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 675), color)
    draw = ImageDraw.Draw(image)
    for band in range(0, 675, 75):
        shade = tuple(min(255, c + band // 5) for c in color)
        draw.rectangle([0, band, 1200, band + 37], fill=shade)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue())
