"""Drop the cached engine calendars when a calendar or an override row changes."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from motcua.worktime import queries
from motcua.worktime.models import CalendarOverride, WorkCalendar


@receiver(post_save, sender=WorkCalendar, dispatch_uid="worktime_calendar_saved")
@receiver(post_delete, sender=WorkCalendar, dispatch_uid="worktime_calendar_deleted")
@receiver(post_save, sender=CalendarOverride, dispatch_uid="worktime_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="worktime_override_deleted")
def _calendar_rows_changed(**kwargs) -> None:
    # Now, for this connection's own reads, and again after commit, so that a calendar
    # rebuilt by another thread from the pre-commit rows does not stay cached.
    queries.invalidate()
    transaction.on_commit(queries.invalidate)
