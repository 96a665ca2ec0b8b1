"""Background work of documents (the Django tasks API; ``motcua db_worker`` runs it)."""

from __future__ import annotations

from django_tasks import task

from motcua.documents import printjobs, purge


@task()
def render_register_pdf(job_pk: int) -> dict[str, object]:
    """Render the register (Mẫu 07) of a :class:`RegisterPrint` request as PDF."""
    job = printjobs.run(job_pk)
    if job is None:
        return {"status": "missing"}
    return {"status": job.status, "rows": job.rows_done}


@task()
def purge_stale_files() -> dict[str, int]:
    """Delete register prints past their keeping time and orphan scans (files attached to
    nothing, older than ``ORPHAN_SCAN_HOURS``): :func:`motcua.documents.purge.purge_stale_files`."""
    return purge.purge_stale_files()
