"""Who may download a stored file: :func:`can_download`, extended by other apps.

A rule is a function ``(user, stored_file) -> bool``; a user may download when any rule
says yes. Register more with :func:`download_rule` (e.g. the portal lets a citizen download
files of their own dossiers). The rules that ship: an active superuser; staff who may
``dossier.view`` a dossier the file belongs to (where it sits now or where it was received).
Personal documents never get a public URL.
"""

from __future__ import annotations

from collections.abc import Callable

from motcua.documents.models import StoredFile
from motcua.org import permissions

DownloadRule = Callable[[object, StoredFile], bool]
_RULES: list[DownloadRule] = []


def download_rule(rule: DownloadRule) -> DownloadRule:
    """Decorator: add ``rule`` to the rules :func:`can_download` asks."""
    if rule not in _RULES:
        _RULES.append(rule)
    return rule


def rules() -> tuple[DownloadRule, ...]:
    return tuple(_RULES)


def can_download(user, stored_file: StoredFile) -> bool:
    """True when ``user`` may download ``stored_file``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return any(rule(user, stored_file) for rule in _RULES)


def linked_dossiers(stored_file: StoredFile) -> list:
    """The dossiers a file belongs to: its own, and those of results issued with it."""
    dossiers = [stored_file.dossier] if stored_file.dossier_id else []
    issued = stored_file.issued_documents.filter(dossier__isnull=False).select_related(
        "dossier__current_agency", "dossier__receiving_agency"
    )
    dossiers += [doc.dossier for doc in issued if doc.dossier_id != stored_file.dossier_id]
    return dossiers


@download_rule
def superuser_may_download(user, stored_file: StoredFile) -> bool:
    return bool(user.is_superuser)


@download_rule
def dossier_staff_may_download(user, stored_file: StoredFile) -> bool:
    for dossier in linked_dossiers(stored_file):
        scopes = (dossier.permission_scope(), dossier.receiving_scope())
        if any(permissions.can(user, "dossier.view", scope) for scope in scopes):
            return True
    return False
