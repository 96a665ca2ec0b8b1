"""Public pages (Vietnamese paths): the procedure catalogue and the kiosk."""

from django.urls import path

from motcua.portal import tracking_views, views

app_name = "portal"
urlpatterns = [
    path("thu-tuc-hanh-chinh/", views.catalogue, name="catalogue"),
    path("thu-tuc-hanh-chinh/<str:code>/", views.procedure, name="procedure"),
    path("bieu-mau/<int:pk>/", views.form_file, name="form_file"),
    path("tra-cuu/", tracking_views.track, name="track"),
    path("tra-cuu/<str:code>/", tracking_views.track_token, name="track_token"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/thu-tuc/<str:code>/", views.kiosk_procedure, name="kiosk_procedure"),
]
