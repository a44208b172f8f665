import pytest

from tests.security.server import gunicorn, manage, production_env

ADMIN_USERNAME = "boss"
ADMIN_PASSWORD = "a long and unguessable password 42"
ADMIN_EMAIL = "b@x.test"
# Staff log in through the site's login, which asks for a verified address.
VERIFY_ADMIN_EMAIL = (
    "from allauth.account.models import EmailAddress; "
    "from accounts.models import User; "
    f"EmailAddress.objects.create(user=User.objects.get(username={ADMIN_USERNAME!r}), "
    f"email={ADMIN_EMAIL!r}, verified=True, primary=True)"
)


@pytest.fixture(scope="session")
def production_server(tmp_path_factory):
    """gunicorn with DEBUG off on a migrated SQLite file; yields its port."""
    env = production_env(tmp_path_factory.mktemp("production"))
    for args in (
        ("collectstatic", "--noinput"),
        ("migrate", "--noinput"),
        ("createsuperuser", "--noinput", "--username", ADMIN_USERNAME, "--email", ADMIN_EMAIL),
        ("shell", "-c", VERIFY_ADMIN_EMAIL),
    ):
        result = manage(env | {"DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD}, *args)
        assert result.returncode == 0, result.stderr
    with gunicorn(env) as port:
        yield port
