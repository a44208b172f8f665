from pathlib import Path

from django.core.management.base import BaseCommand

from articles.backup import run_command, site_backup


class Command(BaseCommand):
    help = "Back up the database and uploaded media into a new folder (restore with 'restore')."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        run_command(self, site_backup, folder=folder, done="Backed up to")
