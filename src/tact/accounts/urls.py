from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("invite/", views.invite, name="invite"),
    path("clusters/<int:cluster_id>/", views.cluster_detail, name="cluster"),
    path(
        "clusters/<int:cluster_id>/roles/<int:role_id>/revoke/",
        views.cluster_role_revoke,
        name="cluster_role_revoke",
    ),
    path("audit/", views.audit_trail, name="audit"),
]
