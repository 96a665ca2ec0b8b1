from importlib import import_module

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        from motcua.accounts.identity import base, demo, oidc  # noqa: F401  (registers)

        for module in settings.IDENTITY_PLUGIN_MODULES:  # more providers register themselves
            import_module(module)
        checks.register(base.check_providers)
