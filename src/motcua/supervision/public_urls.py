"""Public statistics under /thong-ke/ (no login)."""

from django.urls import path

from motcua.supervision import public_views

app_name = "public_stats"
urlpatterns = [
    path("", public_views.stats_page, name="stats"),
    path("du-lieu.csv", public_views.stats_csv, name="csv"),
    path("du-lieu.json", public_views.stats_json, name="json"),
]
