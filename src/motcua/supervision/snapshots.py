"""Month-end snapshots (số liệu cuối tháng) of the dossiers open at the end of each closed
month, so that a report or index ending on a month end costs as little as the present.

Whether a dossier was open, overdue or late at a past instant cannot be kept by the daily
counters (it changes with the clock, not with an event), so a past cutoff otherwise counts
the dossiers open then from the dossier table (:func:`queries.open_at`), which grows with the
dossiers finished since. A snapshot is that same count, taken once right after the month
ends, per receiving agency, unit, procedure, field, level and channel (the dimensions of
``DailyStat``): pending, overdue (past due and not paused), late for indicator 2.1 (overdue,
or a second supplement request) and paused (awaiting a supplement or a financial obligation).

**A closed month is frozen.** The live count reads each dossier's due date and its
"second supplement request" flag as they are *now*: an apology that moves the due date or a
second supplement request made after the month end would change the figures of a month
already reported, signed and sent to the provincial office (Circular 01/2020 reports go up
by period) — and the Decision 766 index of a closed period would move under the agency's
feet. The snapshot records what was known when the month closed, so a report or index of a
closed period keeps its figures, and a later change counts in the period where it happens.
For the same reason ``rebuild-stats`` only writes the months that have no snapshot;
``snapshot-stats --replace`` recomputes one on purpose (e.g. after correcting data).

Used when the period ends on the last day of a month that has a snapshot; otherwise (no
snapshot, a period not ending on a month end, or not over yet) the live path is taken. The
drill-down lists (``queries.dossiers_behind``) always read the dossiers as they are now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Min, Q, Sum

from motcua.dossiers.models import Dossier
from motcua.supervision import queries
from motcua.supervision.dimensions import ONE_DAY, Period, day_start, level_of, local_day
from motcua.supervision.models import MonthOpenStat, MonthSnapshot

#: What a report row is grouped by in the snapshot rows.
_GROUP = {"field": "field_id", "procedure": "procedure_id", "agency": "agency_id"}
_RAW = (
    "receiving_agency_id",
    "receiving_unit_id",
    "procedure_version__procedure_id",
    "procedure_version__field_id",
    "receiving_agency__kind",
    "procedure_version__levels",
    "channel",
)
COUNTS = ("pending", "overdue", "late", "paused")


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return Period.month_of(day).last


def is_month_end(day: dt.date) -> bool:
    return (day + ONE_DAY).day == 1


def last_closed(now: dt.datetime) -> dt.date:
    """The end of the month just ended (local time)."""
    return local_day(now).replace(day=1) - ONE_DAY


# --- taking a snapshot ----------------------------------------------------------------------


def counts_at(cutoff: dt.datetime, now: dt.datetime) -> dict[tuple, dict[str, int]]:
    """The dossiers open at ``cutoff`` per (agency, unit, procedure, field, level, channel):
    the live definitions of :mod:`queries` (one grouped query), with the paused ones too."""
    paused_at = queries._paused_at(cutoff)
    rows = (
        queries.open_dossiers(Q(), cutoff, now)
        .alias(paused=paused_at)
        .values(*_RAW)
        .annotate(
            pending=Count("pk"),
            overdue=Count("pk", filter=queries.overdue_q(cutoff)),
            late=Count("pk", filter=queries.late_766_q(cutoff)),
            paused_n=Count("pk", filter=Q(paused=True)),
        )
        .order_by()
    )
    found: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for row in rows:
        level = level_of(row["procedure_version__levels"], row["receiving_agency__kind"])
        key = (
            row["receiving_agency_id"],
            row["receiving_unit_id"],
            row["procedure_version__procedure_id"],
            row["procedure_version__field_id"],
            level,
            row["channel"],
        )
        counted = found[key]
        counted["pending"] += row["pending"]
        counted["overdue"] += row["overdue"]
        counted["late"] += row["late"]
        counted["paused"] += row["paused_n"]
    return dict(found)


def take(day: dt.date, *, now: dt.datetime, replace: bool = False) -> tuple[MonthSnapshot, bool]:
    """The snapshot of the month ending on ``day`` (its last day); computed and written
    unless it exists already (then returned as it is, unless ``replace``). Returns the
    snapshot and whether it was written now. Refuses a month not over yet."""
    if not is_month_end(day):
        raise ValueError(f"{day} is not the last day of a month")
    cutoff = day_start(day + ONE_DAY)
    if cutoff > now:
        raise ValueError(f"the month ending {day} is not over yet")
    existing = MonthSnapshot.objects.filter(month_end=day).first()
    if existing is not None and not replace:
        return existing, False
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # one grouped query over the whole table: its cost estimate crosses the JIT
                # threshold, and compiling took 2 of its 2.5 seconds at 1,000,000 dossiers
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")
            counts = counts_at(cutoff, now)
            MonthSnapshot.objects.filter(month_end=day).delete()
            snapshot = MonthSnapshot.objects.create(
                month_end=day, taken_at=now, dossiers=sum(c["pending"] for c in counts.values())
            )
            MonthOpenStat.objects.bulk_create(
                [_row(snapshot, key, c) for key, c in counts.items()], batch_size=2000
            )
    except IntegrityError:  # another run wrote the same month at the same time
        return MonthSnapshot.objects.get(month_end=day), False
    return snapshot, True


def _row(snapshot: MonthSnapshot, key: tuple, counts: dict[str, int]) -> MonthOpenStat:
    agency, unit, procedure, field, level, channel = key
    return MonthOpenStat(
        snapshot=snapshot,
        agency_id=agency,
        unit_id=unit,
        procedure_id=procedure,
        field_id=field,
        level=level,
        channel=channel,
        **counts,
    )


def months_to_take(now: dt.datetime, *, every: bool) -> list[dt.date]:
    """The month ends to snapshot: the month just ended, or (``every``) each month end from
    the month of the first receipt to the month just ended."""
    last = last_closed(now)
    if not every:
        return [last]
    first = Dossier.objects.filter(received_at__isnull=False).aggregate(m=Min("received_at"))
    if first["m"] is None:
        return []
    found, day = [], month_end(local_day(first["m"]))
    while day <= last:
        found.append(day)
        day = month_end(day + ONE_DAY)
    return found


def take_many(
    days: list[dt.date],
    *,
    now: dt.datetime,
    replace: bool = False,
    progress: Callable[[MonthSnapshot, bool], None] | None = None,
) -> tuple[int, int]:
    """Take each month's snapshot in turn; returns (written, already there)."""
    written = kept = 0
    for day in days:
        snapshot, new = take(day, now=now, replace=replace)
        written, kept = written + new, kept + (not new)
        if progress:
            progress(snapshot, new)
    return written, kept


def fill_missing(*, now: dt.datetime, progress=None) -> tuple[int, int]:
    """Every closed month since the first receipt that has no snapshot (``rebuild-stats``)."""
    have = set(MonthSnapshot.objects.values_list("month_end", flat=True))
    days = [d for d in months_to_take(now, every=True) if d not in have]
    return take_many(days, now=now, progress=progress)


# --- reading --------------------------------------------------------------------------------


def open_at(
    stat_where: Q,
    dossier_where: Q,
    period: Period,
    now: dt.datetime,
    group_by: str | None = "field",
) -> tuple[dict[tuple, dict[str, int]], MonthSnapshot | None]:
    """The dossiers open at the period's cutoff, per (group id, level) as
    :func:`queries.open_at` gives them: from the month's snapshot when the period ends on
    a closed month's last day that has one, else live. Returns them and the snapshot used.

    One query on the snapshot rows; a second only when none matched (to tell "nothing
    open" from "no snapshot")."""
    cutoff = period.cutoff(now)
    if cutoff < now and is_month_end(period.last):
        found = _from_snapshot(stat_where, period.last, group_by)
        if found is not None:
            return found
    return queries.open_at(dossier_where, cutoff, now, group_by), None


def _from_snapshot(where: Q, day: dt.date, group_by: str | None):
    columns = [_GROUP[group_by], "level"] if group_by else ["level"]
    rows = (
        MonthOpenStat.objects.filter(where, snapshot__month_end=day)
        .values("snapshot_id", "snapshot__taken_at", *columns)
        .annotate(pending=Sum("pending"), overdue=Sum("overdue"), late=Sum("late"))
        .order_by()
    )
    found: dict[tuple, dict[str, int]] = {}
    snapshot = None
    for row in rows:
        snapshot = MonthSnapshot(
            pk=row.pop("snapshot_id"), month_end=day, taken_at=row.pop("snapshot__taken_at")
        )
        found[tuple(row.pop(c) for c in columns)] = row
    if snapshot is not None:
        return found, snapshot
    snapshot = MonthSnapshot.objects.filter(month_end=day).first()
    return ({}, snapshot) if snapshot is not None else None
