"""Public verification pages, mounted at /xac-thuc/ (Vietnamese paths)."""

from django.urls import path

from motcua.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.verify, name="verify"),
    path("tep/<uuid:uid>/", views.download, name="download"),
    path("<str:code>/", views.verify, name="verify_code"),
]
