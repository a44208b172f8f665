from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.account, name="account"),
    path("me/profile/", views.profile_edit, name="profile"),
    path("me/workflow-email/", views.workflow_email, name="workflow-email"),
    path("me/export.json", views.account_export, name="export"),
    path("me/delete/", views.account_delete, name="delete"),
    path("avatar/<str:initials>.svg", views.initials_avatar, name="initials"),
    path("privacy/", views.guest_privacy_request, name="privacy"),
    path("privacy/<str:token>/", views.guest_privacy, name="guest-privacy"),
]
