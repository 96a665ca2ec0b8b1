import logging

from django.apps import AppConfig
from django.core import checks


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    verbose_name = "Văn bản, tệp và chữ ký số"

    def ready(self) -> None:
        from motcua.documents import access, results, signers  # noqa: F401  (register rules, backends)
        from motcua.documents import checks as document_checks
        from motcua.dossiers import events

        checks.register(document_checks.check_documents)
        events.subscribe(results.on_dossier_event)  # after commit: approve → signed result
        from motcua.documents import templating

        events.subscribe(templating.on_dossier_event, in_transaction=True)  # forms issued
        quiet_libraries()


def quiet_libraries() -> None:
    """WeasyPrint and fontTools log every rendering step at INFO; keep them at WARNING unless
    ``LOGGING`` sets a level for them."""
    for name in ("weasyprint.progress", "fontTools.subset", "fontTools.ttLib"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)
