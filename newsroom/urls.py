from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from accounts.admin_login import admin_login, admin_password_change
from core import health

# The admin has no login of its own: staff log in through the site's, with its rate limits,
# two-factor step and "next" rules (issue 12). Its password form is the site's too.
admin.site.login = admin_login
admin.site.password_change = admin_password_change

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
handler500 = "core.errors.server_error"

# --- Production topology (issue 6) ------------------------------------------------------
urlpatterns += [path("healthz", health.healthz, name="healthz")]
if settings.NEWSROOM_BENCH:
    from newsroom import bench_views

    urlpatterns += [path("bench/hello/", bench_views.hello, name="bench-hello")]
