"""manage.py import_wordpress EXPORT.xml [--media DIR] [--dry-run] [--include-private]"""

from django.core.management.base import BaseCommand, CommandError

from comments.wordpress import wordpress_import
from core.safexml import XMLRefused


class ImportCommand(BaseCommand):
    """What both importers' commands share: the file, --dry-run, progress, the report."""

    def add_arguments(self, parser) -> None:
        parser.add_argument("export", help="The exported XML file.")
        parser.add_argument("--dry-run", action="store_true", help="Write nothing; report.")

    def run_import(self, options, run):
        """``run(progress=…)``'s result; a refused or unreadable file is a CommandError."""
        self.stdout.write(f"Checking {options['export']} whole before writing anything…")
        try:
            return run(progress=self.progress)
        except XMLRefused as error:
            raise CommandError(f"{options['export']}: {error}. Nothing was written.") from None
        except OSError as error:
            raise CommandError(f"{options['export']}: {error.strerror or error}") from None

    def report(self, summary, options, notes=()) -> None:
        self.stdout.write("")
        for warning in summary.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        for note in notes:
            self.stdout.write(self.style.WARNING(note))
        title = "Dry run: nothing was written. Would have:" if options["dry_run"] else "Done."
        self.stdout.write(self.style.SUCCESS(title))
        for line in summary.lines():
            self.stdout.write(line)

    def progress(self, done: int, total: int) -> None:
        """A one-line progress bar, rewritten in place."""
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "." * (width - filled)
        self.stdout.write(f"\rposts [{bar}] {done}/{total}", ending="")
        self.stdout.flush()


class Command(ImportCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR): authors, categories, tags, posts, "
        "pictures and comments, with redirects from the old addresses. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--media", help="A copy of wp-content/uploads (for the pictures).")
        parser.add_argument(
            "--include-private",
            action="store_true",
            help="Also import private and trashed posts (as unpublished).",
        )

    def handle(self, *args, **options) -> None:
        summary = self.run_import(
            options,
            lambda progress: wordpress_import(
                options["export"],
                media=options["media"],
                include_private=options["include_private"],
                dry_run=options["dry_run"],
                progress=progress,
            ),
        )
        self.report(summary, options)
