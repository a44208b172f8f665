"""The constant page the benchmark compares every other page with (only when NEWSROOM_BENCH=1)."""

from django.http import HttpRequest, HttpResponse


def hello(request: HttpRequest) -> HttpResponse:
    """Django's own floor on this machine: middleware and routing, no template, no query."""
    return HttpResponse("hello", content_type="text/plain")
