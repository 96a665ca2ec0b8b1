from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "motcua.supervision"
    verbose_name = "Giám sát, thống kê"

    def ready(self) -> None:
        from motcua.dossiers import events
        from motcua.supervision import queries, services  # noqa: F401  (registers the action)

        # In the action's transaction: the counters commit or roll back with the event.
        events.subscribe(services.on_dossier_event, in_transaction=True)
