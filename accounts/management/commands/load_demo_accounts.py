"""Give the demo users verified primary email addresses, so they can log in on the site."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAMES = ["reader", "reporter", "editor", "moderator", "admin"]


class Command(BaseCommand):
    help = "Mark the demo users' email addresses verified (called by load_demo). Idempotent."

    def handle(self, *args, **options):
        for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES):
            if user.email:
                EmailAddress.objects.update_or_create(
                    user=user,
                    email=user.email,
                    defaults={"verified": True, "primary": True},
                )
