"""Mounts the API: /api/v1/… with its OpenAPI document at /api/docs."""

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

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


def _error(request, status: int, code: str, message: str, details=None, **extra):
    body = {"code": code, "message": message, "details": details or {}, **extra}
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def invalid_request(request, exc: ValidationError):
    """A body or parameter that does not fit the schema: which fields (``details``, machine
    codes by field path), and the validator's own list under ``detail`` as before."""
    details = {
        ".".join(str(part) for part in error.get("loc", ())[1:]) or "body": error.get("type", "")
        for error in exc.errors
    }
    message = _("Dữ liệu gửi lên không hợp lệ. Xem các trường được nêu trong “details”.")
    return _error(request, 422, "invalid", message, details, detail=exc.errors)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc: AuthenticationError):
    message = _(
        "Cần đăng nhập, hoặc gửi mã truy cập còn hiệu lực trong tiêu đề “Authorization: Bearer …”."
    )
    return _error(request, 401, "unauthenticated", message, detail="Unauthorized")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    messages = {
        403: _("Bạn không có quyền thực hiện yêu cầu này."),
        405: _("Phương thức không được hỗ trợ cho địa chỉ này."),
        429: _("Có quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."),
    }
    message = messages.get(exc.status_code, _("Yêu cầu không thực hiện được."))
    return _error(request, exc.status_code, "http_error", message, detail=str(exc))


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    message = _("Không tìm thấy địa chỉ hoặc dữ liệu được yêu cầu.")
    return _error(request, 404, "not_found", message, detail="Not Found")


urlpatterns = [path("", api.urls)]
