from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("author/<str:username>/", views.AuthorView.as_view(), name="author"),
    path(
        "<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
]
