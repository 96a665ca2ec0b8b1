"""Mounts the API: /api/v1/… with its OpenAPI document at /api/docs."""

from django.urls import path
from ninja import NinjaAPI

from motcua.api import catalog, dossiers
from motcua.dossiers.errors import DossierError

api = NinjaAPI(
    title="Một Cửa API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    description="API của hệ thống một cửa điện tử / One-stop shop API.",
)
api.add_router("/v1/", catalog.router)
api.add_router("/v1/", dossiers.router)


@api.exception_handler(DossierError)
def dossier_error(request, exc: DossierError):
    """Errors speak to people: a machine code, a Vietnamese message, per-field details."""
    return api.create_response(
        request,
        {"code": exc.code, "message": exc.message, "details": exc.details},
        status=exc.status,
    )


urlpatterns = [path("", api.urls)]
