"""Signing in and out, password reset, one's own home, invitations and notifications."""

from django.contrib.auth import views as auth_views
from django.urls import path

from assay.web.views import accounts, identity, me, notifications

urlpatterns = [
    path("me/", me.me, name="me"),
    path("me/signatures/", me.employer_signatures, name="employer-signatures"),
    path("invitation/<str:token>/", accounts.invitation, name="invitation"),
    path("notifications/", notifications.notification_index, name="notifications"),
    path(
        "notifications/read-all",
        notifications.notification_mark_all_read,
        name="notifications-read-all",
    ),
    path(
        "notifications/<int:pk>/read",
        notifications.notification_mark_read,
        name="notification-read",
    ),
    path("accounts/login/", identity.SignInView.as_view(), name="login"),
    path("accounts/sso/start/", identity.SsoStart.as_view(), name="oidc_authentication_init"),
    path(
        "accounts/sso/callback/",
        identity.SsoCallback.as_view(),
        name="oidc_authentication_callback",
    ),
    path("accounts/two-factor/", identity.two_factor_setup, name="two-factor-setup"),
    path("accounts/two-factor/verify/", identity.two_factor_verify, name="two-factor-verify"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Self-service password reset: Django's views, our templates (registration/password_reset_*).
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
