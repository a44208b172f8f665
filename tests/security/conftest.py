import pytest

from tests.security.server import gunicorn, manage, production_env

ADMIN_USERNAME = "boss"
ADMIN_PASSWORD = "a long and unguessable password 42"


@pytest.fixture(scope="session")
def production_server(tmp_path_factory):
    """gunicorn with DEBUG off on a migrated SQLite file; yields its port."""
    env = production_env(tmp_path_factory.mktemp("production"))
    for args in (
        ("collectstatic", "--noinput"),
        ("migrate", "--noinput"),
        ("createsuperuser", "--noinput", "--username", ADMIN_USERNAME, "--email", "b@x.test"),
    ):
        result = manage(env | {"DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD}, *args)
        assert result.returncode == 0, result.stderr
    with gunicorn(env) as port:
        yield port
