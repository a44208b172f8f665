"""The articles app's cache vocabulary lives in articles/caching.py (accounts' in
accounts/caching.py): scopes are named there, and no view, feed, tag or service spells a
scope string by hand; core/pagecache.py holds the mechanism only."""

import re
from pathlib import Path

import pytest

from articles import caching
from tests.factories import make_article, make_section, make_tag, make_user

ROOT = Path(__file__).resolve().parents[2]
CACHING_MODULES = {ROOT / "articles" / "caching.py", ROOT / "accounts" / "caching.py"}
# A scope spelled out: an f-string "article:{...}" and the like, or a literal handed to
# pagecache.tag / invalidate / fragment. (core/feeds.py's "tag:{authority},..." is a tag URI.)
SCOPE_FSTRING = re.compile(r"""f["'](article|section|author|tag):\{(?!tag_authority)""")
SCOPE_LITERAL = re.compile(r"""pagecache\.(tag|invalidate|fragment)\([^)]*["']""")
NAMED_SCOPES = re.compile(r"""["'](front|feeds|archive|corrections|socialapps)["']\s*[,)]""")


def test_scope_names():
    assert caching.article_scope(12) == "article:12"
    assert caching.section_scope("world") == "section:world"
    assert caching.tag_scope("nato") == "tag:nato"
    assert caching.author_scope("anna") == "author:anna"
    assert caching.FRONT == "front"


@pytest.mark.django_db
def test_article_scopes_are_every_page_the_article_is_on():
    article = make_article(section=make_section(slug="world"), authors=[make_user(username="anna")])
    article.tags.add(make_tag(slug="nato"))
    scopes = caching.article_scopes(article)
    assert scopes[:4] == [f"article:{article.pk}", "front", "archive", "feeds"]
    assert set(scopes[4:]) == {"section:world", "tag:nato", "author:anna"}


def python_files():
    for package in ("articles", "accounts", "core"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path not in CACHING_MODULES and "migrations" not in path.parts:
                yield path


def test_only_the_caching_modules_spell_scopes():
    found = []
    for path in python_files():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if SCOPE_FSTRING.search(line) or SCOPE_LITERAL.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
            elif NAMED_SCOPES.search(line) and "pagecache" in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_shared_page_cache_names_no_app_scope():
    text = (ROOT / "core" / "pagecache.py").read_text()
    for scope in ('"front"', '"feeds"', '"socialapps"', "article:", "section:", "author:"):
        assert scope not in text
