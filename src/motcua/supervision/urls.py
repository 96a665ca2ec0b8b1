"""Staff pages of supervision under /giam-sat/."""

from django.urls import path
from django.views.generic import RedirectView

from motcua.supervision import dashboard_views, views

app_name = "supervision"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="supervision:report"), name="home"),
    path("bao-cao/", views.report_page, name="report"),
    path("bao-cao/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("bao-cao/ho-so/", views.dossiers_page, name="dossiers"),
    path("chi-so-766/", views.index_page, name="index766"),
    path("dieu-hanh/", dashboard_views.dashboard_page, name="dashboard"),
    path("kiem-tra/", dashboard_views.inspection_page, name="inspection"),
]
