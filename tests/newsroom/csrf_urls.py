"""A tagged page that puts a CSRF token in its body, for the page-cache tests."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from newsroom import pagecache


def form_page(request):
    pagecache.tag(request, "front")
    token = get_token(request)
    return HttpResponse(f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">')


urlpatterns = [path("form/", form_page)]
