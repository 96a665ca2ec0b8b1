"""Mounts the API: /api/v1/… with its OpenAPI document at /api/docs."""

from django.urls import path
from ninja import NinjaAPI

from motcua.api import catalog

api = NinjaAPI(
    title="Một Cửa API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    description="API của hệ thống một cửa điện tử / One-stop shop API.",
)
api.add_router("/v1/", catalog.router)

urlpatterns = [path("", api.urls)]
