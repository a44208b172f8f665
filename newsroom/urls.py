from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsroom import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("articles.urls")),
]

# --- Production topology (issue 6) ------------------------------------------------------
urlpatterns += [path("healthz", health.healthz, name="healthz")]
if settings.NEWSROOM_BENCH:
    from newsroom import bench_views

    urlpatterns += [path("bench/hello/", bench_views.hello, name="bench-hello")]
