"""Load the demo newsroom: sections, articles and one user per role. Idempotent."""

import datetime
import os
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from articles import demo_content
from articles.models import Article, Byline, Section

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
            article, _ = Article.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "title": data["title"],
                    "standfirst": data["standfirst"],
                    "dateline": data["dateline"],
                    "section": sections[data["section"]],
                    "body": data["body"].strip(),
                    "status": Article.Status.PUBLISHED,
                    "published_at": when,
                    "first_published_at": when,
                    "is_featured": data.get("is_featured", False),
                },
            )
            Byline.objects.get_or_create(
                article=article, author=users[data["author"]], defaults={"position": 0}
            )
