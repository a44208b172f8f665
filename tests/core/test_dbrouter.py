"""Router decisions that need no second database (the PostgreSQL test has the real replica)."""

import time

from django.test import RequestFactory

from core import dbrouter


def request_with(method="get", pin=None):
    request = getattr(RequestFactory(), method)("/")
    if pin is not None:
        request.COOKIES[dbrouter.PIN_COOKIE] = pin
    return request


def test_without_replicas_every_read_uses_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert dbrouter.read_alias_for(request_with(), time.time()) == "default"


def test_safe_request_reads_from_a_replica(settings):
    settings.DATABASE_REPLICAS = ["replica1", "replica2"]
    assert dbrouter.read_alias_for(request_with(), time.time()) in {"replica1", "replica2"}


def test_unsafe_request_reads_from_the_primary(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    assert dbrouter.read_alias_for(request_with("post"), time.time()) == "default"


def test_pinned_client_reads_from_the_primary_until_the_pin_expires(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    now = time.time()
    assert dbrouter.read_alias_for(request_with(pin=str(now + 5)), now) == "default"
    assert dbrouter.read_alias_for(request_with(pin=str(now - 5)), now) == "replica1"


def test_garbage_pin_cookie_is_ignored(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    assert dbrouter.read_alias_for(request_with(pin="yes please"), time.time()) == "replica1"
