"""The 400, 403, CSRF-failure and 503 pages are valid HTML (the Nu HTML checker)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views.defaults import permission_denied as permission_denied_view

from core.errors import service_unavailable
from tests.quality import nu_messages, require_checkers


@pytest.fixture
def checkers():
    require_checkers()


def bad_host() -> bytes:
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    return response.content


def csrf_failure() -> bytes:
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    return response.content


def permission_denied() -> bytes:
    response = permission_denied_view(RequestFactory().get("/"), PermissionDenied())
    assert response.status_code == 403
    return response.content


def outage() -> bytes:
    response = service_unavailable(RequestFactory().get("/"))
    assert response.status_code == 503
    return response.content


@pytest.mark.django_db
@pytest.mark.parametrize("render", [bad_host, csrf_failure, permission_denied, outage])
def test_error_page_is_valid_html(checkers, render):
    assert nu_messages(render().decode()) == []
