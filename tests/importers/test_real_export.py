"""The committed export is what WordPress itself writes: make a fresh one with Debian's
WordPress (make_export.sh: MariaDB on a free loopback port, WordPress's own functions,
export_wp()) and import it the same way. Skipped locally without WordPress; CI must run it."""

import subprocess

import pytest

from articles.models import Article
from comments.models import Comment
from tests.importers.conftest import MAKE_EXPORT, import_wordpress, require_wordpress

pytestmark = pytest.mark.django_db

EXPORT_TIMEOUT = 180


def test_a_fresh_wordpress_export_imports_like_the_committed_one(tmp_path):
    require_wordpress()
    export, uploads = tmp_path / "export.xml", tmp_path / "uploads"
    subprocess.run(
        ["bash", str(MAKE_EXPORT), str(export), str(uploads)],
        check=True,
        capture_output=True,
        timeout=EXPORT_TIMEOUT,
    )
    assert "<wp:wxr_version>1.2</wp:wxr_version>" in export.read_text(encoding="utf-8")
    out = import_wordpress(export, media=uploads)
    assert "posts        created 6  updated 0  unchanged 0  skipped 2" in out
    floods = Article.objects.get(slug="floods-in-the-valley")
    assert floods.lead_library_image.alt == "A flooded street with parked cars"
    assert Comment.objects.filter(article=floods).count() == 9
    again = import_wordpress(export, media=uploads)
    assert "posts        created 0  updated 0  unchanged 6" in again
