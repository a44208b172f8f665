from pathlib import Path

from django.core.management.base import BaseCommand

from core.backup import EXCLUDED_NOTE, run_command, site_backup


class Command(BaseCommand):
    help = (
        "Back up the database and uploaded media into a new folder (restore with 'restore'). "
        "The folder is readable by its owner only: it holds password hashes and secrets."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--exclude-secrets",
            action="store_true",
            help="Leave out two-factor authenticators, provider tokens and social apps' "
            "client secrets: after a restore users set up two-factor login again.",
        )

    def handle(self, *args, folder: Path, exclude_secrets: bool, **options):
        run_command(
            self,
            site_backup,
            folder=folder,
            done="Backed up to",
            note=EXCLUDED_NOTE,
            exclude_secrets=exclude_secrets,
        )
