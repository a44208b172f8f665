from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application


class Command(BaseCommand):
    help = "Create the test user and the newsroom's client application."

    def add_arguments(self, parser):
        for name in ("username", "password", "email", "first-name", "last-name"):
            parser.add_argument(f"--{name}", required=True)
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", required=True)

    def handle(self, *args, **options):
        user = User.objects.create_user(
            options["username"],
            options["email"],
            options["password"],
            first_name=options["first_name"],
            last_name=options["last_name"],
        )
        Application.objects.create(
            name="Newsroom",
            user=user,
            client_id=options["client_id"],
            client_secret=options["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=options["redirect_uri"],
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
