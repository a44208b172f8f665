"""URLconf for the error-handler tests: the site's URLs plus views that fail on purpose."""

from django.db import InterfaceError, OperationalError
from django.urls import path

from newsroom.urls import handler500
from newsroom.urls import urlpatterns as site_urlpatterns


def database_gone(request):
    raise OperationalError("connection to server at 127.0.0.1 port 1 failed")


def database_wrapped(request):
    try:
        raise InterfaceError("connection already closed")
    except InterfaceError as error:
        raise RuntimeError("while rendering the thread") from error


def plain_bug(request):
    raise ValueError("a plain bug")


urlpatterns = [
    path("fail/database/", database_gone),
    path("fail/wrapped/", database_wrapped),
    path("fail/bug/", plain_bug),
    *site_urlpatterns,
]
__all__ = ["handler500", "urlpatterns"]
