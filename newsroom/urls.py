from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),  # account page, profile, privacy (issue 5)
    path("accounts/", include("allauth.urls")),
    # --- comments app ---
    path("comments/", include("comments.urls")),
    # --- end comments app ---
    path("", include("articles.urls")),
]

# Uploads (images, avatars) in development only; in production the proxy serves MEDIA_ROOT.
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Security: a database outage answers 503 with Retry-After instead of 500.
handler500 = "newsroom.errors.server_error"
