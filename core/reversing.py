"""``reverse()`` remembered per process for the links a page prints many times.

An article page links a dozen articles, sections, tags and authors and has some seventeen
``{% url %}`` tags (core/templatetags/remembered_url.py); Django's ``reverse`` costs some
30 µs each (it resolves the pattern and quotes every argument), about a millisecond of a
page built from scratch. The same name and arguments under the same URLconf, script prefix
and current app always give the same path, so the answer is kept (an LRU, bounded).
Arguments that cannot be a key (a dict, a model) are reversed each time.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

KEPT = 8192  # paths; a slug is some 60 bytes: under a megabyte per process


@lru_cache(maxsize=KEPT)
def _reverse(urlconf, prefix, name, args, kwargs, current_app) -> str:
    del prefix  # part of the key: reverse() reads the current one itself
    return reverse(name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def cached_reverse(name: str, *, args=(), kwargs=None, current_app=None) -> str:
    """``reverse(name, args=args, kwargs=kwargs)``, remembered (see the module)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    items = tuple(sorted(kwargs.items())) if kwargs else ()
    key = (urlconf, get_script_prefix(), name, tuple(args), items, current_app)
    try:
        hash(key)
    except TypeError:
        return reverse(name, urlconf=urlconf, args=args, kwargs=kwargs, current_app=current_app)
    return _reverse(*key)
