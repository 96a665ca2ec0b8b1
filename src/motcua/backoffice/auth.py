"""Staff sign-in and sign-out (Django's auth views with Vietnamese pages)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class LoginView(auth_views.LoginView):
    """Đăng nhập cán bộ: back to the page asked for, else the work queues."""

    template_name = "backoffice/login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("backoffice:queue")


class LogoutView(auth_views.LogoutView):
    """Đăng xuất (POST only, as Django requires)."""

    next_page = reverse_lazy("backoffice:login")
