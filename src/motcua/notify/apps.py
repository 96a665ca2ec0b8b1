from importlib import import_module

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class NotifyConfig(AppConfig):
    name = "motcua.notify"
    verbose_name = "Thông báo cho công dân"

    def ready(self) -> None:
        from motcua.dossiers import events
        from motcua.notify import base, channels, services  # noqa: F401  (registers channels)

        for module in settings.NOTIFY_PLUGIN_MODULES:  # real providers register themselves
            import_module(module)
        events.subscribe(services.on_dossier_event, in_transaction=True)
        checks.register(base.check_channels)
