"""Printing the register (Mẫu 07) as PDF: at once when it is small, else as a background
task whose progress the officer watches (``đang tạo 400/1.000 dòng``).

* :func:`count` / :func:`render_now` — the small case, inside the request.
* :func:`request_print` — records a :class:`RegisterPrint` and enqueues
  :func:`motcua.documents.tasks.render_register_pdf` after commit (the same request twice
  while one is unfinished returns the running one).
* :func:`run` — the task's work: the rows as the requesting officer may see them *now*,
  laid out part by part with the progress saved after each part; the PDF is stored
  encrypted (it lists names, addresses and phone numbers) and is downloaded only by the
  officer who asked, while they still receive dossiers for that unit (:func:`can_download`).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.documents import purge as stale
from motcua.documents import register, storage, templating
from motcua.documents.print_models import RegisterPrint
from motcua.org import permissions

log = logging.getLogger(__name__)

#: Finished register files are deleted this long after they were requested.
KEEP = dt.timedelta(days=7)
#: Orphan scans purged at most per register print request (cron purges the rest).
ORPHANS_PER_REQUEST = 20
ACTION = "dossier.receive"


def _dossiers(user, unit, day_from: dt.date, day_to: dt.date):
    from motcua.dossiers import queries

    unit_id = unit.pk if unit is not None else None
    return queries.register_rows(user, day_from=day_from, day_to=day_to, unit_id=unit_id)


def count(user, *, unit, day_from: dt.date, day_to: dt.date) -> int:
    return _dossiers(user, unit, day_from, day_to).count()


def is_small(rows: int) -> bool:
    """Registers up to ``REGISTER_PDF_DIRECT_ROWS`` rows are rendered in the request."""
    return rows <= settings.REGISTER_PDF_DIRECT_ROWS


def _agency(unit):
    return unit.agency if unit is not None else None


def build(user, *, unit, day_from, day_to, at=None, progress=None) -> tuple[bytes, int]:
    """The register PDF and its row count, with the template version in force now."""
    at = at or timezone.now()
    rows = register.register_rows(_dossiers(user, unit, day_from, day_to).iterator(2000))
    if progress is not None:
        progress(0, len(rows))
    head = register.header(unit=unit, day_from=day_from, day_to=day_to, at=at)
    version = templating.in_force("07", _agency(unit), at)
    pdf = register.render_register(head, rows, progress=progress, version=version)
    return pdf, len(rows)


def filename(unit, day_from: dt.date, day_to: dt.date) -> str:
    where = unit.agency.identifier if unit is not None else "tat-ca"
    return f"so-theo-doi-{where}-{day_from:%Y%m%d}-{day_to:%Y%m%d}.pdf"


def request_print(user, *, unit, day_from, day_to, now=None) -> tuple[RegisterPrint, bool]:
    """A background print of the register; ``(job, created)``. An unfinished identical
    request of the same officer is returned instead of a second one (double submit)."""
    from motcua.documents.tasks import render_register_pdf

    now = now or timezone.now()
    # the housekeeping of files rides on this request: old prints, a few orphan scans
    stale.purge_stale_files(now, orphan_limit=ORPHANS_PER_REQUEST)
    with transaction.atomic():
        same = RegisterPrint.objects.select_for_update().filter(
            requested_by=user,
            unit=unit,
            day_from=day_from,
            day_to=day_to,
            status__in=(RegisterPrint.Status.QUEUED, RegisterPrint.Status.RUNNING),
        )
        job = same.first()
        if job is not None:
            return job, False
        job = RegisterPrint.objects.create(
            requested_by=user, unit=unit, day_from=day_from, day_to=day_to, created_at=now
        )
        transaction.on_commit(lambda: _enqueue(render_register_pdf, job))
    return job, True


def _enqueue(task, job: RegisterPrint) -> None:
    try:
        task.enqueue(job.pk)
    except Exception as exc:  # no task backend: say so on the status page
        log.exception("register print %s could not be enqueued", job.pk)
        _fail(job.pk, f"Không đưa được yêu cầu vào hàng đợi xử lý nền: {exc}")


def _fail(pk: int, message: str) -> None:
    RegisterPrint.objects.filter(pk=pk).update(
        status=RegisterPrint.Status.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def run(pk: int) -> RegisterPrint | None:
    """Render the register of job ``pk`` (the task's body). Idempotent: a finished job is
    left alone; failures are recorded on the job with a Vietnamese message."""
    claimed = RegisterPrint.objects.filter(
        pk=pk, status__in=(RegisterPrint.Status.QUEUED, RegisterPrint.Status.RUNNING)
    ).update(status=RegisterPrint.Status.RUNNING)
    job = RegisterPrint.objects.select_related("requested_by", "unit__agency").filter(pk=pk).first()
    if job is None or not claimed:
        return job

    def progress(done: int, total: int) -> None:
        RegisterPrint.objects.filter(pk=pk).update(rows_done=done, rows_total=total)

    try:
        user = job.requested_by
        if not may_receive(user, job.unit):
            raise PermissionError("Người yêu cầu không còn quyền tiếp nhận hồ sơ của bộ phận này.")
        pdf, rows = build(
            user, unit=job.unit, day_from=job.day_from, day_to=job.day_to, progress=progress
        )
        stored = storage.store_bytes(
            pdf,
            original_name=filename(job.unit, job.day_from, job.day_to),
            content_type="application/pdf",
            encrypt=True,
            uploaded_by=user,
        )
    except Exception as exc:
        log.exception("register print %s failed", pk)
        _fail(pk, f"Không tạo được tệp PDF: {exc}")
        job.refresh_from_db()
        return job
    RegisterPrint.objects.filter(pk=pk).update(
        status=RegisterPrint.Status.DONE,
        stored_file=stored,
        rows_total=rows,
        rows_done=rows,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def may_receive(user, unit) -> bool:
    """``dossier.receive`` for ``unit`` (or anywhere, for a register of all units)."""
    if unit is not None:
        return permissions.can(user, ACTION, unit)
    return permissions.can(user, ACTION)


def visible_to(user, job: RegisterPrint) -> bool:
    """Only the officer who asked, while they still receive dossiers for that unit."""
    return job.requested_by_id == getattr(user, "pk", None) and may_receive(user, job.unit)


def can_download(user, job: RegisterPrint) -> bool:
    return (
        visible_to(user, job)
        and job.status == RegisterPrint.Status.DONE
        and bool(job.stored_file_id)
    )


def purge(before: dt.datetime) -> int:
    """Delete register prints requested before ``before`` and their files."""
    old = list(RegisterPrint.objects.filter(created_at__lt=before).select_related("stored_file"))
    for job in old:
        stored = job.stored_file
        job.delete()
        if stored is not None:
            storage.delete_stored_file(stored)
    return len(old)
