"""PAGECACHE_QUERY_VALUES: a parameter the page cache may vary on, with only some values."""

from django.test import RequestFactory

from core import pagecache


def normalised(settings, query: str) -> bool:
    settings.PAGECACHE_QUERY_PARAMS = ["page", "sort"]
    settings.PAGECACHE_QUERY_VALUES = {"sort": ["oldest", "liked"]}
    return pagecache.normalise_query(RequestFactory().get("/x/?" + query))


def test_a_listed_value_may_be_cached(settings):
    assert normalised(settings, "sort=liked")
    assert normalised(settings, "sort=oldest&utm_source=x")


def test_any_other_value_goes_past_the_cache(settings):
    assert not normalised(settings, "sort=liked2")
    assert not normalised(settings, "sort=")


def test_parameters_without_listed_values_take_any_value(settings):
    assert normalised(settings, "page=7")
