from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("articles.urls")),
]

# Security: a database outage answers 503 with Retry-After instead of 500.
handler500 = "newsroom.errors.server_error"
