from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "motcua.worktime"
    verbose_name = "Thời gian làm việc"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from motcua.worktime import signals  # noqa: F401  (connects the cache invalidation)
