"""Log in, log out and password reset: Django's own views, rate-limited by address."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django_ratelimit.decorators import ratelimit

from learnloop.people.forms import LoginForm

LOGIN_RATE = "10/m"
RESET_RATE = "5/m"


def limited(view: Any, rate: str, key: str = "ip") -> Any:
    return ratelimit(key=key, rate=rate, method="POST", block=True)(view)


urlpatterns = [
    path(
        "login/",
        limited(
            limited(
                auth_views.LoginView.as_view(
                    authentication_form=LoginForm, redirect_authenticated_user=True
                ),
                LOGIN_RATE,
            ),
            LOGIN_RATE,
            key="post:username",
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        limited(
            limited(
                auth_views.PasswordResetView.as_view(
                    success_url=reverse_lazy("password_reset_done"),
                    email_template_name="registration/password_reset_email.txt",
                    subject_template_name="registration/password_reset_subject.txt",
                ),
                RESET_RATE,
            ),
            RESET_RATE,
            key="post:email",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        limited(
            auth_views.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("password_reset_complete")
            ),
            RESET_RATE,
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path("password/done", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
