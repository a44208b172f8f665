"""A tagged page that puts a CSRF token in its body, for the page-cache tests."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from core import pagecache
from newsroom import urls as project_urls


def form_page(request):
    pagecache.tag(request, "front")
    token = get_token(request)
    return HttpResponse(f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">')


# The project's own URLs too: middleware (two-factor door, CSP exceptions) reverses them.
urlpatterns = [path("form/", form_page), *project_urls.urlpatterns]
