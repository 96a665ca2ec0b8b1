from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "motcua.org"
    verbose_name = "Tổ chức"
