"""The client's address behind NEWSROOM_TRUSTED_PROXIES proxies, read from the right."""

import pytest
from django.test import RequestFactory

from core.clientip import client_ip


def request_from(remote: str = "10.0.0.1", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, None, "10.0.0.1"),
        (0, "203.0.113.7", "10.0.0.1"),  # no trusted proxy: the header is the client's
        (1, None, "10.0.0.1"),  # straight to the app (a health check): the peer
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's forged entry is left
        (1, "6.6.6.6,203.0.113.7 ", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 198.51.100.2", "203.0.113.7"),  # CDN, then nginx
        (2, "203.0.113.7", "203.0.113.7"),  # fewer entries than hops: the leftmost
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "[2001:db8::1]", "2001:db8::1"),
        (1, "6.6.6.6, not-an-ip", "10.0.0.1"),  # garbage from the proxy: the peer
    ],
)
def test_client_ip_reads_the_trusted_hops_entry(settings, hops, forwarded, expected):
    settings.NEWSROOM_TRUSTED_PROXIES = hops
    assert client_ip(request_from(forwarded=forwarded)) == expected


def test_allauth_counts_the_same_address(settings):
    """allauth's rate limits key on the adapter's client IP: it follows the same setting."""
    from allauth.account.adapter import get_adapter

    settings.NEWSROOM_TRUSTED_PROXIES = 1
    request = request_from(forwarded="6.6.6.6, 203.0.113.7")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.7"
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    assert get_adapter(request).get_client_ip(request) == "10.0.0.1"


def test_allauths_own_setting_follows_ours():
    from django.conf import settings

    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.NEWSROOM_TRUSTED_PROXIES
