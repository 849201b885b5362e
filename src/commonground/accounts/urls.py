from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("verify/resend/", views.verify_email_resend, name="verify-email-resend"),
    path("verify/<str:token>/", views.verify_email, name="verify-email"),
    path("name/", views.name_change, name="name"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("join/<str:org_id>/", views.join, name="join"),
    path("requests/", views.requests, name="requests"),
    path(
        "requests/<int:pk>/approve/",
        views.request_decide,
        {"decision": "approve"},
        name="request-approve",
    ),
    path(
        "requests/<int:pk>/decline/",
        views.request_decide,
        {"decision": "decline"},
        name="request-decline",
    ),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership-end"),
    path("download/", views.download, name="download"),
    path("delete/", views.delete_account, name="delete"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("password/", views.password_change, name="password-change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password-reset/done/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
]
