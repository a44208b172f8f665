from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles.backup import site_restore


class Command(BaseCommand):
    help = "Restore a folder written by 'backup' into an empty instance (migrates it first)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = site_restore(folder=folder)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        counts = ", ".join(f"{n} {label}" for label, n in manifest["counts"].items())
        self.stdout.write(self.style.SUCCESS(f"Restored {folder}: {counts}."))
