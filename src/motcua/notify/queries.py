"""Reads of the outbox: what is due, what is dead, what a dossier was told."""

from __future__ import annotations

import datetime as dt

from motcua.notify.models import OutboxMessage

Status = OutboxMessage.Status
#: Statuses a delivery pass picks up (when ``next_attempt_at`` has come).
RETRYABLE = (Status.PENDING, Status.FAILED)


def due_ids(now: dt.datetime, limit: int = 100) -> list[int]:
    """Messages to try now, oldest due first (served by the ``outbox_due`` index)."""
    return list(
        OutboxMessage.objects.filter(status__in=RETRYABLE, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def dead_count() -> int:
    """How many messages could not be sent and wait for an administrator."""
    return OutboxMessage.objects.filter(status=Status.DEAD).count()


def messages_of(dossier) -> list[OutboxMessage]:
    """What the applicant of ``dossier`` was sent, newest first (for staff pages)."""
    return list(OutboxMessage.objects.filter(dossier=dossier).order_by("-created_at", "-pk"))
