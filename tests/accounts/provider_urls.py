"""The test site's URLs: the whole portal plus django-oauth-toolkit under ``/o/``.

Used as ROOT_URLCONF only by the OIDC tests, once ``oauth2_provider`` is installed."""

from __future__ import annotations

from django.urls import include, path

from motcua.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    *site_urlpatterns,
]
