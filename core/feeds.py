"""The base of the site's feeds: text that XML 1.0 cannot hold is left out, not fatal.

Django's feed writer refuses control characters with an exception (a 500 for the whole
feed), and writes U+FFFE and U+FFFF into XML that readers then cannot parse. One such
character in one title, name or comment, stored before the rules refused it or typed into
the admin, must not take a feed down.
"""

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.contrib.syndication.views import Feed

# Everything outside XML 1.0's Char production: tab, LF, CR, and U+0020 up, without the
# surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value):
    """value with every string in it (in dicts, lists and tuples too) fit for XML 1.0."""
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(item) for item in value)
    return value


def tag_uri(kind: str, pk: int, minted: datetime) -> str:
    """A feed entry id that never changes (a tag: URI, RFC 4151):
    ``tag:<FEED_TAG_AUTHORITY>,<YYYY-MM-DD>:<kind>:<pk>``, ``minted`` being a time of the
    row that never changes (its creation; the day in UTC, so no time zone setting moves it)."""
    return f"tag:{tag_authority()},{minted.astimezone(UTC):%Y-%m-%d}:{kind}:{pk}"


def tag_authority() -> str:
    """FEED_TAG_AUTHORITY, else the domain of the Site record (the one feed links use),
    without a port. Django keeps the Site in memory: no query per entry."""
    if settings.FEED_TAG_AUTHORITY:
        return settings.FEED_TAG_AUTHORITY
    return urlsplit(f"//{Site.objects.get_current().domain}").hostname


class XmlSafeFeed(Feed):
    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed = xml_safe(feed.feed)
        feed.items = [xml_safe(item) for item in feed.items]
        return feed
