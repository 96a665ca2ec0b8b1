"""Public pages (Vietnamese paths): the procedure catalogue and the kiosk."""

from django.urls import path

import motcua.portal.account_views as account_views  # citizen accounts
from motcua.portal import (
    mine_actions,
    mine_views,
    store_views,
    submit_views,
    tracking_views,
    views,
)

app_name = "portal"
urlpatterns = [
    path("thu-tuc-hanh-chinh/", views.catalogue, name="catalogue"),
    path("thu-tuc-hanh-chinh/<str:code>/", views.procedure, name="procedure"),
    path("bieu-mau/<int:pk>/", views.form_file, name="form_file"),
    path("tra-cuu/", tracking_views.track, name="track"),
    path("tra-cuu/<str:code>/", tracking_views.track_token, name="track_token"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/thu-tuc/<str:code>/", views.kiosk_procedure, name="kiosk_procedure"),
    # citizen accounts
    path("tai-khoan/dang-ky/", account_views.signup, name="account_signup"),
    path("tai-khoan/xac-nhan/", account_views.confirm, name="account_confirm"),
    path("tai-khoan/dat-mat-khau/", account_views.set_password, name="account_set_password"),
    path("tai-khoan/dang-nhap/", account_views.login, name="account_login"),
    path("tai-khoan/dang-xuat/", account_views.logout, name="account_logout"),
    path("tai-khoan/ho-so-ca-nhan/", account_views.profile, name="account_profile"),
    path(
        "tai-khoan/ho-so-ca-nhan/lien-he/",
        account_views.change_contact,
        name="account_change_contact",
    ),
    path("tai-khoan/quen-mat-khau/", account_views.forgot_password, name="account_forgot"),
    path(
        "tai-khoan/dang-nhap/<slug:provider>/",
        account_views.external_login,
        name="account_external_login",
    ),
    path("tai-khoan/oidc/callback/", account_views.oidc_callback, name="account_oidc_callback"),
    path(
        "tai-khoan/dinh-danh-thu-nghiem/",
        account_views.demo_identity,
        name="account_demo_identity",
    ),
    # online submission and my dossiers
    path("nop-ho-so/da-nop/<str:reference>/", submit_views.done, name="submit_done"),
    path("nop-ho-so/<str:code>/", submit_views.submit, name="submit"),
    path("ho-so-cua-toi/", mine_views.mine, name="mine"),
    path("ho-so-cua-toi/ban-nhap/<str:key>/xoa/", mine_actions.delete_draft, name="draft_delete"),
    path("ho-so-cua-toi/<str:code>/", mine_views.mine_detail, name="mine_detail"),
    path("ho-so-cua-toi/<str:code>/mau-<str:number>.pdf", mine_views.form_pdf, name="mine_form"),
    path("ho-so-cua-toi/<str:code>/<slug:form>/", mine_actions.act, name="mine_act"),
    # my documents: the personal data store
    path("tai-lieu-cua-toi/", store_views.my_documents, name="store"),
    path("tai-lieu-cua-toi/<uuid:uid>/tai-ve/", store_views.download, name="store_download"),
]
