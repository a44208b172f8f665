"""Error views: a lost database is a 503 with Retry-After, not a 500.

Wired as ``handler500`` so it catches database errors wherever they surface: a
view, a template render, or a middleware such as the session store.
"""

import sys

from django import db
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

OUTAGE_ERRORS = (db.OperationalError, db.InterfaceError)
MAX_CHAIN = 10  # how far down __cause__/__context__ we look for the database error


def is_database_outage(error: BaseException | None) -> bool:
    """True if error, or an error it was raised from, says the database is unreachable."""
    for _ in range(MAX_CHAIN):
        if error is None:
            return False
        if isinstance(error, OUTAGE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
    return False


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The friendly 503 page; renders without the database (no user, no session)."""
    retry_after = settings.DATABASE_OUTAGE_RETRY_AFTER
    body = loader.render_to_string("503.html", {"retry_after": retry_after})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(retry_after)
    return response


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 for a database outage, Django's 500 page for anything else."""
    if is_database_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    return defaults.server_error(request)
