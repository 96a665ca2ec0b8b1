"""Staff pages of supervision under /giam-sat/."""

from django.urls import path
from django.views.generic import RedirectView

from motcua.supervision import dashboard_views, index_views, views

app_name = "supervision"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="supervision:report"), name="home"),
    path("bao-cao/", views.report_page, name="report"),
    path("bao-cao/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("bao-cao/pdf/", views.report_pdf, name="report_pdf"),
    path("bao-cao/ho-so/", views.dossiers_page, name="dossiers"),
    path("chi-so-766/", index_views.index_page, name="index766"),
    path("chi-so-766/xep-hang/", index_views.ranking_page, name="ranking"),
    path("dieu-hanh/", dashboard_views.dashboard_page, name="dashboard"),
    path("kiem-tra/", dashboard_views.inspection_page, name="inspection"),
]
