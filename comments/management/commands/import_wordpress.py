"""manage.py import_wordpress EXPORT.xml [--media DIR] [--dry-run] [--include-private]"""

from django.core.management.base import BaseCommand, CommandError

from comments.wordpress import wordpress_import
from core.safexml import XMLRefused


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR): authors, categories, tags, posts, "
        "pictures and comments, with redirects from the old addresses. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("export", help="The WXR file WordPress wrote.")
        parser.add_argument("--media", help="A copy of wp-content/uploads (for the pictures).")
        parser.add_argument("--dry-run", action="store_true", help="Write nothing; report.")
        parser.add_argument(
            "--include-private",
            action="store_true",
            help="Also import private and trashed posts (as unpublished).",
        )

    def handle(self, *args, **options) -> None:
        try:
            summary = wordpress_import(
                options["export"],
                media=options["media"],
                include_private=options["include_private"],
                dry_run=options["dry_run"],
                progress=lambda done, total: show_progress(self, "posts", done, total),
            )
        except XMLRefused as error:
            raise CommandError(f"{options['export']}: {error}. Nothing was written.") from None
        except OSError as error:
            raise CommandError(f"{options['export']}: {error.strerror or error}") from None
        self.stdout.write("")
        for warning in summary.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        title = "Dry run: nothing was written. Would have:" if options["dry_run"] else "Done."
        self.stdout.write(self.style.SUCCESS(title))
        for line in summary.lines():
            self.stdout.write(line)


def show_progress(command: BaseCommand, kind: str, done: int, total: int) -> None:
    """A one-line progress bar, rewritten in place."""
    width = 30
    filled = width * done // max(total, 1)
    bar = "#" * filled + "." * (width - filled)
    command.stdout.write(f"\r{kind} [{bar}] {done}/{total}", ending="")
    command.stdout.flush()
