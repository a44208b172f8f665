from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # --- comments app ---
    path("comments/", include("comments.urls")),
    # --- end comments app ---
    path("", include("articles.urls")),
]
