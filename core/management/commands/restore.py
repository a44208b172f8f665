from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.backup import RESTORED_NOTE, run_command, site_restore


class Command(BaseCommand):
    help = "Restore a folder written by 'backup' into an empty instance (migrates it first)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        call_command("migrate", interactive=False, verbosity=0)
        run_command(self, site_restore, folder=folder, done="Restored", note=RESTORED_NOTE)
