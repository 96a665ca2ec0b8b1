from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    verbose_name = "Danh mục thủ tục hành chính"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from motcua.catalog.models import ProcedureVersion
        from motcua.catalog.search import invalidate_vocabulary

        post_save.connect(invalidate_vocabulary, sender=ProcedureVersion, dispatch_uid="vocab-save")
        post_delete.connect(
            invalidate_vocabulary, sender=ProcedureVersion, dispatch_uid="vocab-delete"
        )
