from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),  # account page, profile, privacy (issue 5)
    path("accounts/", include("allauth.urls")),
    path("", include("articles.urls")),
]
