"""Hostile and broken XML is refused before anything is read from elsewhere or written."""

import time

import pytest
from django.core.management.base import CommandError

from articles.models import Article
from comments.models import Comment
from core import safexml
from tests.importers.conftest import run

pytestmark = pytest.mark.django_db

HEAD = (
    '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
    "<wp:base_site_url>http://evil.example</wp:base_site_url>"
)


def item(title: str) -> str:
    return (
        f"<item><title>{title}</title><content:encoded>{title}</content:encoded>"
        "<wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type>"
        "<wp:status>publish</wp:status><wp:post_name>x</wp:post_name>"
        "<wp:post_date>2024-01-01 10:00:00</wp:post_date>"
        "<wp:post_date_gmt>2024-01-01 09:00:00</wp:post_date_gmt></item>"
    )


def write(tmp_path, doctype: str, title: str):
    path = tmp_path / "hostile.xml"
    path.write_text(f'<?xml version="1.0"?>\n{doctype}\n{HEAD}{item(title)}</channel></rss>')
    return path


def test_external_entity_is_refused_and_the_file_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOP-SECRET")
    path = write(
        tmp_path,
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>',
        "&xxe;",
    )
    with pytest.raises(CommandError, match="line 2: a DOCTYPE .* Nothing was written"):
        run("import_wordpress", path)
    assert not Article.objects.exists()
    passwd = write(tmp_path, '<!DOCTYPE rss [<!ENTITY x SYSTEM "/etc/passwd">]>', "&x;")
    with pytest.raises(CommandError):
        run("import_wordpress", passwd)
    assert not Article.objects.filter(body__contains="root:").exists()


def test_billion_laughs_is_refused_quickly(tmp_path):
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    path = write(tmp_path, f"<!DOCTYPE rss [{''.join(entities)}]>", "&lol9;")
    started = time.monotonic()
    with pytest.raises(CommandError, match="DOCTYPE"):
        run("import_wordpress", path)
    assert time.monotonic() - started < 2
    assert not Article.objects.exists()


def test_parameter_entities_and_undeclared_entities_are_refused(tmp_path):
    path = tmp_path / "undeclared.xml"
    path.write_text(f'<?xml version="1.0"?>\n{HEAD}{item("&nope;")}</channel></rss>')
    with pytest.raises(safexml.XMLRefused, match="undefined entity"):
        list(safexml.records(path, {"item"}))


def test_a_doctype_in_a_disqus_file_is_refused(tmp_path):
    path = tmp_path / "disqus.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE disqus [<!ENTITY x SYSTEM "/etc/passwd">]>\n'
        '<disqus xmlns="http://disqus.com"><post><message>&x;</message></post></disqus>'
    )
    with pytest.raises(CommandError, match="DOCTYPE"):
        run("import_disqus", path)
    assert not Comment.objects.exists()


def test_records_are_detached_so_memory_stays_flat(tmp_path):
    path = tmp_path / "many.xml"
    path.write_text(f"{HEAD}{item('a') * 2000}</channel></rss>")
    seen = list(safexml.records(path, {"item"}))
    assert len(seen) == 2000
    # The streamed tree kept no finished record: each item is its own root now.
    assert all(not len([c for c in element if c.tag == "item"]) for element in seen)
