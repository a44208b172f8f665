"""manage.py import_disqus EXPORT.xml [--dry-run]"""

from comments.disqus import disqus_import
from comments.management.commands.import_wordpress import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a Disqus export's comments onto the articles their threads were about "
        "(matched by address or identifier). Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        summary, unmatched = self.run_import(
            options,
            lambda progress: disqus_import(
                options["export"], dry_run=options["dry_run"], progress=progress
            ),
        )
        self.report(summary, options, [f"no article for thread: {t}" for t in unmatched])
        self.stdout.write(f"unmatched    {len(unmatched)} threads")
