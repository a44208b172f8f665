from django.conf import settings
from django.core.management.base import BaseCommand

from articles.editing import editing_cleanup


class Command(BaseCommand):
    help = (
        "Delete autosaves older than ARTICLES_AUTOSAVE_MAX_DAYS and lapsed edit locks "
        "(each autosave also cleans up as it is saved; run this daily from cron as well)."
    )

    def handle(self, *args, **options):
        autosaves, locks = editing_cleanup()
        self.stdout.write(
            f"Deleted {autosaves} autosave(s) older than {settings.ARTICLES_AUTOSAVE_MAX_DAYS} "
            f"days and {locks} lapsed edit lock(s)."
        )
