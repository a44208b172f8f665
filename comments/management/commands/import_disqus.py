"""manage.py import_disqus EXPORT.xml [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError

from comments.disqus import disqus_import
from comments.management.commands.import_wordpress import show_progress
from core.safexml import XMLRefused


class Command(BaseCommand):
    help = (
        "Import a Disqus export's comments onto the articles their threads were about "
        "(matched by address or identifier). Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("export", help="The XML file Disqus sent.")
        parser.add_argument("--dry-run", action="store_true", help="Write nothing; report.")

    def handle(self, *args, **options) -> None:
        try:
            summary, unmatched = disqus_import(
                options["export"],
                dry_run=options["dry_run"],
                progress=lambda done, total: show_progress(self, "posts", done, total),
            )
        except XMLRefused as error:
            raise CommandError(f"{options['export']}: {error}. Nothing was written.") from None
        except OSError as error:
            raise CommandError(f"{options['export']}: {error.strerror or error}") from None
        self.stdout.write("")
        for thread in unmatched:
            self.stdout.write(self.style.WARNING(f"no article for thread: {thread}"))
        title = "Dry run: nothing was written. Would have:" if options["dry_run"] else "Done."
        self.stdout.write(self.style.SUCCESS(title))
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(f"unmatched    {len(unmatched)} threads")
