"""Rating pages under /danh-gia/ (Vietnamese paths)."""

from django.urls import path

from motcua.ratings import staff_views, views

app_name = "ratings"
urlpatterns = [
    path("cam-on/", views.thanks, name="thanks"),
    path("don-vi/", staff_views.unit, name="unit"),
    path("tong-hop/", staff_views.overview, name="overview"),
    path("quay/<int:counter_id>/", views.tablet, name="tablet"),
    path("quay/<int:counter_id>/trang-thai/", views.tablet_status, name="tablet_status"),
    path("quay/<int:counter_id>/cam-on/", views.tablet_thanks, name="tablet_thanks"),
    path("quay/<int:counter_id>/phien/", staff_views.session, name="session"),
    path("quay/<int:counter_id>/kich-hoat/", staff_views.pair, name="pair"),
    path("<str:code>/", views.rate, name="rate"),
]
