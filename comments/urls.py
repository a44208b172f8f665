from django.urls import path

from comments import feeds, views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post, name="post"),
    path("reader/<int:article_id>/", views.reader_part, name="reader"),
    path("<int:pk>/", views.permalink, name="permalink"),
    # WordPress's comment links on an imported site (articles.legacy sends comment-page-N/
    # here; the browser keeps the #comment-<WordPress id> it carried).
    path("wordpress/<int:article_id>/", views.wordpress_comment, name="wordpress"),
    path(
        "wordpress/<int:article_id>/<int:old_id>/",
        views.wordpress_comment_find,
        name="wordpress-find",
    ),
    path("react/", views.react, name="react"),
    # The thread links here as the permalink + "report/" (comments.render.thread_html).
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("moderate/<str:token>/", views.moderate, name="moderate"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("feed/", feeds.LatestCommentsFeed(), name="feed"),
    path("feed/picks/", feeds.EditorsPicksFeed(), name="picks-feed"),
    path("live/<int:article_id>/", views.live, name="live"),
    path("feed/<int:article_id>/", feeds.ArticleCommentsFeed(), name="article-feed"),
]
