from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    verbose_name = "Đánh giá mức độ hài lòng"

    def ready(self) -> None:
        from motcua.dossiers import events
        from motcua.ratings import access, services  # noqa: F401  (registers the actions)

        events.subscribe(services.on_dossier_event, in_transaction=True)
