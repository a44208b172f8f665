"""Property-based tests of articles.sanitize.clean_html, the one sanitiser.

For arbitrary text and hostile HTML: nothing executable comes out, only allow-listed
tags and attributes survive, and cleaning is idempotent.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS, clean_html

PROPERTY = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
URL_ATTRIBUTES = {"href", "src"}
# nh3 also keeps its default generic_attributes on every tag (harmless: text values only),
# and adds rel="noopener noreferrer" to links.
GENERIC_ATTRIBUTES = {"lang", "title"}
# What a browser ignores in a URL before reading its scheme: C0 controls, space, tab, newline.
IGNORED_IN_URL = re.compile(r"[\x00-\x20]")

TAGS = sorted(ALLOWED_TAGS) + [
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "base",
    "meta", "link", "noscript", "template", "textarea", "title", "xmp", "body", "frameset",
]  # fmt: skip
ATTRIBUTES = ["href", "src", "title", "alt", "style", "onerror", "onclick", "onload",
              "ONMOUSEOVER", "formaction", "srcdoc", "xlink:href", "rel", "class"]  # fmt: skip
URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:x",
    "java&#x09;script:x", "&#106;avascript:x", "data:text/html,<script>x</script>",
    "DATA:image/svg+xml;base64,PHN2Zz4=", "vbscript:x", "\x01javascript:x",
    "https://example.org/", "/relative", "mailto:a@example.org", "//evil.example/x",
]  # fmt: skip


# Characters a form can deliver: Django decodes request bodies with errors="replace",
# so lone surrogates (category Cs) never reach the sanitiser from a browser.
TYPED = st.characters(exclude_categories=["Cs"], exclude_characters="<>&\x00\r")


def attribute(name: str, value: str, quote: str) -> str:
    return f" {name}={quote}{value}{quote}"


attributes = st.builds(
    attribute,
    st.sampled_from(ATTRIBUTES),
    st.one_of(st.sampled_from(URLS), st.text(max_size=20)),
    st.sampled_from(['"', "'", ""]),
)
start_tags = st.builds(
    lambda tag, attrs, close: f"<{tag}{''.join(attrs)}{close}>",
    st.sampled_from(TAGS),
    st.lists(attributes, max_size=3),
    st.sampled_from(["", "/", " /"]),
)
end_tags = st.builds(lambda tag: f"</{tag}>", st.sampled_from(TAGS))
fragments = st.one_of(
    start_tags,
    end_tags,
    st.text(max_size=30),
    st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "&lt;", "&#60;", "<", ">", '"', "'"]),
)
hostile_html = st.lists(fragments, max_size=12).map("".join)
anything = st.one_of(st.text(alphabet=st.characters(exclude_categories=["Cs"])), hostile_html)


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def parsed_tags(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = Collector()
    collector.feed(markup)
    collector.close()
    return collector.tags


def scheme_of(url: str) -> str:
    return urlsplit(IGNORED_IN_URL.sub("", url)).scheme.lower()


@PROPERTY
@given(anything)
def test_output_has_no_script_tag(markup):
    assert "<script" not in clean_html(markup).lower()


@PROPERTY
@given(anything)
def test_output_has_only_allow_listed_tags_and_attributes(markup):
    for tag, attrs in parsed_tags(clean_html(markup)):
        assert tag in ALLOWED_TAGS
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES
        allowed |= {"rel"} if tag == "a" else set()
        for name, _ in attrs:
            assert name in allowed, (tag, name)
            assert not name.startswith("on")


@PROPERTY
@given(anything)
def test_output_urls_are_never_javascript_or_data(markup):
    for _, attrs in parsed_tags(clean_html(markup)):
        for name, value in attrs:
            if name in URL_ATTRIBUTES:
                assert scheme_of(value or "") in ALLOWED_SCHEMES | {""}, value


@PROPERTY
@given(anything)
def test_cleaning_twice_changes_nothing(markup):
    once = clean_html(markup)
    assert clean_html(once) == once


@PROPERTY
@given(st.text(alphabet=TYPED, max_size=200))
def test_plain_text_reads_back_as_typed(text):
    """Text without markup, shown by a browser, reads exactly as typed (NUL and CR aside,
    which HTML parsing itself replaces and normalises)."""
    assert html.unescape(clean_html(text)) == text


def test_lone_surrogates_are_not_an_error():
    assert clean_html("a\ud800b") == "a\ufffdb"


def test_known_vectors_come_out_harmless():
    """Fixed examples beside the generated ones, so a regression names its vector."""
    cases = {
        # No raw <img> at all: body pictures are library references (articles/body.py).
        '<img src="x" onerror="alert(1)">': "",
        '<figure data-image="7" onclick="x()"><img src="//evil.example/a.png"></figure>': (
            '<figure data-image="7"></figure>'
        ),
        '<figure data-image="7 onerror=x">a</figure>': "<figure>a</figure>",
        '<a href="javascript:alert(1)">x</a>': '<a rel="noopener noreferrer">x</a>',
        '<a href="data:text/html,x">x</a>': '<a rel="noopener noreferrer">x</a>',
        "<script>alert(1)</script>ok": "ok",
        "<svg><script>alert(1)</script></svg>": "",
    }
    for markup, expected in cases.items():
        assert clean_html(markup) == expected


def test_markup_the_parser_renests_is_stable_after_one_clean():
    """Found by hypothesis: one nh3 pass left <a> inside <a>, which a second pass split."""
    once = clean_html("<A><OBJECT><A>")
    assert clean_html(once) == once
