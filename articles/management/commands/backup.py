from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.backup import site_backup


class Command(BaseCommand):
    help = "Back up the database and uploaded media into a new folder (restore with 'restore')."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = site_backup(folder=folder)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        counts = ", ".join(f"{n} {label}" for label, n in manifest["counts"].items())
        self.stdout.write(self.style.SUCCESS(f"Backed up to {folder}: {counts}."))
