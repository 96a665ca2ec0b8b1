"""Staff pages under /can-bo/ (Vietnamese paths)."""

from django.urls import path
from django.views.generic import RedirectView

from motcua.backoffice import auth, desk, dossier, prints, queues, register_pdf

app_name = "backoffice"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="backoffice:queue"), name="home"),
    path("dang-nhap/", auth.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth.LogoutView.as_view(), name="logout"),
    path("tiep-nhan/", desk.desk, name="desk"),
    path("ho-so/", queues.queue, name="queue"),
    path("ho-so/<str:code>/", dossier.dossier_page, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier.act, name="act"),
    path("ho-so/<str:code>/in/<str:number>/", prints.print_form, name="print"),
    path("ho-so/<str:code>/in/<str:number>/pdf/", prints.print_pdf, name="print_pdf"),
    path("ho-so/<str:code>/ket-qua.pdf", prints.result_pdf, name="result_pdf"),
    path("ho-so/<str:code>/ket-qua/<str:result>.pdf", prints.result_pdf, name="result_code_pdf"),
    path("so-theo-doi/", queues.register, name="register"),
    path("so-theo-doi/pdf/", register_pdf.register_pdf, name="register_pdf"),
    path("so-theo-doi/in/<uuid:uid>/", register_pdf.register_job, name="register_job"),
    path(
        "so-theo-doi/in/<uuid:uid>/tai-ve/",
        register_pdf.register_job_download,
        name="register_job_download",
    ),
    path("quay/", queues.counter, name="counter"),
]
