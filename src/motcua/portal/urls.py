"""Public pages (Vietnamese paths): the procedure catalogue and the kiosk."""

from django.urls import path

from motcua.portal import views

app_name = "portal"
urlpatterns = [
    path("thu-tuc-hanh-chinh/", views.catalogue, name="catalogue"),
    path("thu-tuc-hanh-chinh/<str:code>/", views.procedure, name="procedure"),
    path("bieu-mau/<int:pk>/", views.form_file, name="form_file"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/thu-tuc/<str:code>/", views.kiosk_procedure, name="kiosk_procedure"),
]
