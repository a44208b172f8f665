from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from articles import feeds, views
from articles.news_sitemap import NewsSitemapView
from articles.sitemaps import SITEMAPS

app_name = "articles"

FEEDS = {
    "": (feeds.SiteFeed, ""),
    "section/<slug:slug>/": (feeds.SectionFeed, "section-"),
    "tag/<slug:slug>/": (feeds.TagFeed, "tag-"),
    "author/<str:username>/": (feeds.AuthorFeed, "author-"),
    "corrections/": (feeds.CorrectionsFeed, "corrections-"),
}

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<str:username>/", views.AuthorView.as_view(), name="author"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("corrections/", views.CorrectionsView.as_view(), name="corrections"),
    path("preview/<int:pk>/", views.StaffPreviewView.as_view(), name="preview"),
    path("preview/link/<str:token>/", views.PreviewLinkView.as_view(), name="preview-link"),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("sitemap-news.xml", NewsSitemapView.as_view(), name="news-sitemap"),
    re_path(r"^(?P<year>[0-9]{4})/$", views.ArchiveView.as_view(), name="archive-year"),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        views.ArchiveView.as_view(),
        name="archive-month",
    ),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        views.ArchiveView.as_view(),
        name="archive-day",
    ),
    path(
        "<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
]

for prefix, (feed, name) in FEEDS.items():
    urlpatterns += [
        path(f"{prefix}feed/rss/", feed(), name=f"{name}feed-rss"),
        path(f"{prefix}feed/atom/", feeds.atom(feed)(), name=f"{name}feed-atom"),
    ]
