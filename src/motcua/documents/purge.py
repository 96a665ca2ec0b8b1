"""Purging files nobody needs any more (dọn tệp không còn dùng).

* Orphan scans (tệp quét mồ côi): the reception desk stores each scan as soon as it passes
  its checks, so that an error elsewhere on the form never makes the officer scan again
  (:func:`motcua.backoffice.digitise.keep_scans`). When the dossier is never received, the
  scan stays behind, attached to nothing. :func:`purge_orphan_scans` deletes such rows once
  they are old enough, and a blob only when no other row uses it (content addressing shares
  one blob between equal files, :mod:`motcua.documents.storage`), checked under the blob's
  lock so that the same content being stored again at that moment keeps its bytes.
* Register prints (Mẫu 07 as PDF) older than :data:`motcua.documents.printjobs.KEEP`.

:func:`purge_stale_files` does both; it runs from ``motcua purge-orphan-scans`` (cron), from
the task :func:`motcua.documents.tasks.purge_stale_files`, and a bounded batch of it each time
an officer asks for a register print.

A file counts as attached when it has a dossier or when any row of any model points to it by
a foreign key (digitised documents, issued results, register prints, citizens' drafts, and
whatever another app adds later): a file meant to be kept must be linked one of these ways.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from motcua.documents import storage
from motcua.documents.models import StoredFile

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass
class PurgeSummary:
    """What a purge deleted (or, in a dry run, would delete)."""

    rows: int = 0
    blobs: int = 0
    bytes: int = 0
    shared: int = 0  # rows deleted whose blob another row still uses (the blob is kept)
    dry_run: bool = False


def references() -> list[tuple[type, str]]:
    """Every ``(model, field name)`` whose foreign key points to :class:`StoredFile`, in any
    app, hidden reverse relations (``related_name="+"``) and many-to-many tables included."""
    return [
        (model, field.name)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if field.concrete
        and (field.many_to_one or field.one_to_one)
        and field.related_model is StoredFile
    ]


def _unreferenced() -> list[Exists]:
    """Conditions: no row of any model points to the file."""
    return [
        ~Exists(model._base_manager.filter(**{name: OuterRef("pk")}))
        for model, name in references()
    ]


def orphan_files(before: dt.datetime) -> QuerySet[StoredFile]:
    """Stored files created before ``before`` that belong to no dossier and that no row of
    any model refers to (scans of dossiers never received)."""
    return StoredFile.objects.filter(
        *_unreferenced(), dossier__isnull=True, created_at__lt=before
    ).order_by("created_at", "pk")


def _delete_one(pk: int, before: dt.datetime) -> tuple[str, int] | None:
    """Delete row ``pk`` if it is still an orphan (checked again under a row lock, so a scan
    attached to a dossier meanwhile is left alone); ``(storage name, size)`` or ``None``."""
    with transaction.atomic():
        row = orphan_files(before).filter(pk=pk).select_for_update(of=("self",)).first()
        if row is None:
            return None
        name, size = row.storage_name, row.size
        row.delete()
    return name, size


def purge_orphan_scans(
    *,
    before: dt.datetime,
    dry_run: bool = False,
    limit: int | None = None,
    progress: Progress | None = None,
) -> PurgeSummary:
    """Delete the orphan files created before ``before`` (at most ``limit``), and each blob
    once no row uses it any more. ``dry_run`` counts what would go and deletes nothing."""
    summary = PurgeSummary(dry_run=dry_run)
    candidates = orphan_files(before).values_list("pk", "storage_name", "size")
    todo = list(candidates[:limit] if limit else candidates)
    gone: set[int] = set()  # dry run: the rows it would have deleted so far
    for done, (pk, name, size) in enumerate(todo, start=1):
        if dry_run:
            gone.add(pk)
            summary.rows += 1
            users = set(StoredFile.objects.filter(storage_name=name).values_list("pk", flat=True))
            _count_blob(summary, size, shared=bool(users - gone))
        else:
            _purge_row(pk, before, summary)
        if progress is not None:
            progress(done, len(todo))
    return summary


def _count_blob(summary: PurgeSummary, size: int, *, shared: bool) -> None:
    if shared:
        summary.shared += 1
    else:
        summary.blobs += 1
        summary.bytes += size


def _purge_row(pk: int, before: dt.datetime, summary: PurgeSummary) -> None:
    deleted = _delete_one(pk, before)
    if deleted is None:
        return
    name, size = deleted
    summary.rows += 1
    shared = StoredFile.objects.filter(storage_name=name).exists()
    if not shared:  # once the deletion is committed (at once, outside a transaction)
        transaction.on_commit(functools.partial(_delete_blob_if_unused, name))
    _count_blob(summary, size, shared=shared)


def _delete_blob_if_unused(name: str) -> None:
    """Delete the blob unless the same content was stored again meanwhile: checked and
    deleted under the name's lock (:func:`motcua.documents.storage.delete_blob_if_unused`),
    which a file being stored with that content holds until its row is committed. (The
    summary has counted the blob as freed already; the rare blob kept this way is not
    subtracted.)"""
    try:
        storage.delete_blob_if_unused(name)
    except OSError:  # the row is gone; a blob left behind is harmless, and logged
        log.exception("purge: blob %s could not be deleted", name)


def orphan_age() -> dt.timedelta:
    """How old an unattached scan must be before it is purged (``ORPHAN_SCAN_HOURS``)."""
    return dt.timedelta(hours=settings.ORPHAN_SCAN_HOURS)


def purge_stale_files(
    now: dt.datetime | None = None, *, orphan_limit: int | None = None
) -> dict[str, int]:
    """Register prints past their keeping time and orphan scans past :func:`orphan_age`."""
    from motcua.documents import printjobs

    now = now or timezone.now()
    prints = printjobs.purge(now - printjobs.KEEP)
    orphans = purge_orphan_scans(before=now - orphan_age(), limit=orphan_limit)
    if prints or orphans.rows:
        log.info(
            "purge: %d register prints, %d orphan files (%d blobs, %d bytes)",
            prints,
            orphans.rows,
            orphans.blobs,
            orphans.bytes,
        )
    return {"register_prints": prints, "orphan_files": orphans.rows, "blobs": orphans.blobs}
