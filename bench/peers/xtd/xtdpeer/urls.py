from django.urls import include, path
from django.views.decorators.cache import cache_page

from xtdpeer import views

urlpatterns = [
    path("hello/", views.hello),
    path("story/<slug:slug>/", views.story, name="story"),
    # The cached page: Django's per-view cache, as a Django site without Newsroom's page cache
    # would cache it (in the worker's memory: no network hop, kinder to xtd than Redis).
    path("story/<slug:slug>/cached/", cache_page(300)(views.story), name="story-cached"),
    path("comments/", include("django_comments_xtd.urls")),
]
