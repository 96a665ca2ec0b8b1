from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "motcua.portal"
    verbose_name = "Cổng công dân"

    def ready(self) -> None:
        from motcua.dossiers import events
        from motcua.portal import access, applicant  # noqa: F401  (handlers, download rules)

        events.subscribe(applicant.on_dossier_event, in_transaction=True)
