"""The importers' fixtures: the real WordPress export made by wordpress/make_export.sh (with
the uploads it wrote), the Disqus sample, and helpers that run the commands."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

HERE = Path(__file__).resolve().parent
WXR = HERE / "wordpress" / "export.xml"
UPLOADS = HERE / "wordpress" / "uploads"
DISQUS = HERE / "disqus" / "export.xml"
MAKE_EXPORT = HERE / "wordpress" / "make_export.sh"
WORDPRESS_NEEDS = ("php", "mariadb-install-db", "mariadbd", "mariadb")


@pytest.fixture(autouse=True)
def _site_time_zone(settings):
    """The export's site is in Brussels, as Newsroom's default: its date paths match."""
    settings.TIME_ZONE = "Europe/Brussels"


def run(command: str, *args, **options) -> str:
    out = io.StringIO()
    call_command(command, *map(str, args), stdout=out, **options)
    return out.getvalue()


def import_wordpress(path=WXR, *, media=UPLOADS, **options) -> str:
    if media is not None:
        options["media"] = str(media)
    return run("import_wordpress", path, **options)


def wordpress_missing() -> str:
    """Why a real WordPress export cannot be made here ("" when it can)."""
    path = os.environ.get("PATH", "") + os.pathsep + "/usr/sbin"
    missing = [tool for tool in WORDPRESS_NEEDS if not shutil.which(tool, path=path)]
    if not Path("/usr/share/wordpress/wp-settings.php").exists():
        missing.append("/usr/share/wordpress")
    elif shutil.which("php") and "mysqli" not in _php_modules():
        missing.append("php-mysql")
    if not missing:
        return ""
    return (
        "needs "
        + ", ".join(missing)
        + " (apt-get install wordpress php-cli php-mysql mariadb-server)"
    )


def _php_modules() -> str:
    found = subprocess.run(["php", "-m"], capture_output=True, text=True, timeout=30)
    return found.stdout


def require_wordpress() -> None:
    """Skip (locally) or fail (under CI) when WordPress and MariaDB are not installed."""
    if reason := wordpress_missing():
        if os.environ.get("CI"):
            pytest.fail(reason + ": CI must run the real-export tests")
        pytest.skip(reason=reason)


@pytest.fixture
def imported(db):
    """The real export imported once, with its pictures."""
    return import_wordpress()
