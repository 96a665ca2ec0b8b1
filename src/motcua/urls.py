"""URL map of the whole site."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from motcua.core import views as core_views

admin.site.site_header = "Một Cửa — Quản trị hệ thống"
admin.site.site_title = "Một Cửa"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("motcua.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("", include("motcua.portal.urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("quan-tri/", admin.site.urls),
    path("xac-thuc/", include("motcua.documents.urls")),
    path("danh-gia/", include("motcua.ratings.urls")),
    path("giam-sat/", include("motcua.supervision.urls")),
    path("thong-ke/", include("motcua.supervision.public_urls")),
    prefix_default_language=False,
)
