from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "motcua.postal"
    verbose_name = "Dịch vụ bưu chính công ích"

    def ready(self) -> None:
        from motcua.postal import services  # noqa: F401  (registers the action and the scope)
