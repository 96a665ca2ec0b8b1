"""Reads for supervision: sums of the daily aggregates, the dossiers open at a moment, and
the dossiers behind any number of a report (drill-down).

The period report and the index read :class:`~motcua.supervision.models.DailyStat` sums (one
query whatever the number of dossiers) plus one grouped count of the dossiers open at the
period end (:func:`open_at`): whether an open dossier is overdue depends on the clock, not on
an event, so no event-maintained counter can hold it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from motcua.catalog.models import Field, ProcedureVersion
from motcua.dossiers.lifecycle import OPEN_STATES, PAUSED_STATES
from motcua.dossiers.models import Dossier, DossierEvent, Pause
from motcua.org import permissions
from motcua.org.models import Agency, Role
from motcua.supervision.dimensions import Period, level_of, level_q
from motcua.supervision.models import DailyStat

VIEW = "supervision.view"
permissions.register_action(
    VIEW, {Role.SUPERVISOR, Role.ADMINISTRATOR, Role.UNIT_LEADER}, read_only=True
)

#: What a report row is grouped by (besides the level).
GROUPINGS = {"field": "field_id", "procedure": "procedure_id"}
_DOSSIER_GROUP = {
    "field": "procedure_version__field_id",
    "procedure": "procedure_version__procedure_id",
    "agency": "receiving_agency_id",
}
RECEIVED = ("received_online", "received_direct", "received_postal")
ENDED = ("resolved_early", "resolved_on_time", "resolved_late")


@dataclass(frozen=True)
class Selection:
    """What a report is about: an agency, optionally with the agencies below it, optionally
    one receiving unit."""

    agency: Agency
    subordinates: bool = False
    unit_id: int | None = None

    def q(self, *, path: str, agency: str, unit: str) -> Q:
        where = (
            Q(**{f"{path}__startswith": self.agency.path})
            if self.subordinates
            else Q(**{agency: self.agency.pk})
        )
        if self.unit_id:
            where &= Q(**{unit: self.unit_id})
        return where

    @cached_property
    def agency_ids(self) -> list[int]:
        """The selected agencies' ids (one small query, once per selection)."""
        if not self.subordinates:
            return [self.agency.pk]
        below = Agency.objects.filter(path__startswith=self.agency.path)
        return list(below.values_list("pk", flat=True))

    def stat_q(self) -> Q:
        """The aggregate rows of the selection, by agency ids rather than a join on the agency
        path: the planner cannot estimate a ``LIKE`` on paths, took one agency for many and
        rescanned a year of aggregates per agency (3.2's query, 10M dossiers: 82 → 11 ms)."""
        where = (
            Q(agency_id__in=self.agency_ids) if self.subordinates else Q(agency_id=self.agency.pk)
        )
        if self.unit_id:
            where &= Q(unit_id=self.unit_id)
        return where

    def dossier_q(self) -> Q:
        return self.q(
            path="receiving_agency__path", agency="receiving_agency_id", unit="receiving_unit_id"
        )


def stat_scope(user) -> Q:
    """The aggregate rows ``user`` may read (no query once the grants are loaded)."""
    return permissions.scope_q(user, VIEW, agency_path_field="agency__path", unit_field="unit_id")


def dossier_scope(user) -> Q:
    return permissions.scope_q(
        user, VIEW, agency_path_field="receiving_agency__path", unit_field="receiving_unit_id"
    )


def supervised_agencies(user) -> list[Agency]:
    """Agencies ``user`` may report on as a whole (one query)."""
    where = permissions.scope_q(user, VIEW, agency_path_field="path")
    return list(Agency.objects.filter(where).order_by("path"))


# --- sums of the aggregates ----------------------------------------------------------------


def _sum(names, **when) -> Coalesce:
    total = sum((F(n) for n in names[1:]), F(names[0]))
    return Coalesce(Sum(total, filter=Q(**when) if when else None), Value(0))


def period_sums(
    where: Q, period: Period, group_by: str | None = "field"
) -> dict[tuple, dict[str, int]]:
    """Sums per (group id, level) over the aggregates: ``before_received`` and
    ``before_ended`` (days before the period, for the carry-over) and each counter in it."""
    start = period.first
    inside = {"day__gte": start}
    columns = [GROUPINGS[group_by], "level"] if group_by else ["level"]
    rows = (
        DailyStat.objects.filter(where, day__lte=period.last)
        .values(*columns)
        .annotate(
            before_received=_sum(RECEIVED, day__lt=start),
            before_ended=_sum(ENDED, day__lt=start),
            online=_sum(("received_online",), **inside),
            direct=_sum(("received_direct", "received_postal"), **inside),
            early=_sum(("resolved_early",), **inside),
            on_time=_sum(("resolved_on_time",), **inside),
            late=_sum(("resolved_late",), **inside),
        )
        .order_by()
    )
    return {tuple(row.pop(c) for c in columns): row for row in rows}


def monthly_sums(where: Q, first: dt.date, last: dt.date) -> list[dict]:
    """Per agency and month: received (all, online), ended (all, early or on time) and
    ratings (satisfied, not)."""
    from django.db.models.functions import TruncMonth

    return list(
        DailyStat.objects.filter(where, day__gte=first, day__lte=last)
        .annotate(month=TruncMonth("day"))
        .values("agency_id", "month")
        .annotate(
            received=_sum(RECEIVED),
            online=_sum(("received_online",)),
            ended=_sum(ENDED),
            in_time=_sum(("resolved_early", "resolved_on_time")),
            late=_sum(("resolved_late",)),
            satisfied=_sum(("rated_satisfied",)),
            dissatisfied=_sum(("rated_dissatisfied",)),
        )
        .order_by("agency_id", "month")
    )


# --- dossiers open at a moment -------------------------------------------------------------


def _paused_at(cutoff: dt.datetime) -> Exists:
    """The clock was paused at ``cutoff`` (awaiting a supplement or a financial obligation)."""
    return Exists(
        Pause.objects.filter(dossier=OuterRef("pk"), started_at__lt=cutoff).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gte=cutoff)
        )
    )


def open_dossiers(where: Q, cutoff: dt.datetime, now: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers received before ``cutoff`` whose processing had not ended by then."""
    qs = Dossier.objects.filter(where, received_at__lt=cutoff)
    if cutoff >= now:  # the present: the open states (served by the state/due index)
        return qs.filter(state__in=OPEN_STATES)
    return qs.filter(Q(finished_at__isnull=True) | Q(finished_at__gte=cutoff))


def overdue_q(cutoff: dt.datetime) -> Q:
    """Open and past due at ``cutoff``; awaiting a supplement counts as within time."""
    return Q(due_at__lt=cutoff, paused=False)


def late_766_q(cutoff: dt.datetime) -> Q:
    """Counts as late in indicator 2.1: overdue, or a second supplement request."""
    return overdue_q(cutoff) | Q(late_by_rule=True)


def open_at(
    where: Q, cutoff: dt.datetime, now: dt.datetime, group_by: str | None = "field"
) -> dict[tuple, dict[str, int]]:
    """Per (group id, level): dossiers open at ``cutoff`` that are overdue, and those late
    for the index; for a past cutoff also all those open (``pending``). One query grouped by
    the raw level inputs; the levels are folded here.

    At the present (``cutoff >= now``) the pending count is left to the aggregates (received
    − ended, exact) and only the late dossiers are read (:func:`_late_now`). For a past
    cutoff every dossier open then is counted (a closed month reads its snapshot instead:
    :mod:`motcua.supervision.snapshots`)."""
    columns = ["receiving_agency__kind", "procedure_version__levels"]
    if group_by:
        columns.insert(0, _DOSSIER_GROUP[group_by])
    if cutoff >= now:
        rows, counts = _late_now(where, cutoff, columns), ("overdue", "late")
    else:
        qs = open_dossiers(where, cutoff, now).alias(paused=_paused_at(cutoff))
        counts = ("pending", "overdue", "late")
        rows = (
            qs.values(*columns)
            .annotate(
                pending=Count("pk"),
                overdue=Count("pk", filter=overdue_q(cutoff)),
                late=Count("pk", filter=late_766_q(cutoff)),
            )
            .order_by()
        )
    found: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(counts, 0))
    for row in rows:
        level = level_of(row.pop("procedure_version__levels"), row.pop("receiving_agency__kind"))
        key = (row.pop(columns[0]), level) if group_by else (level,)
        for name in counts:
            found[key][name] += row[name]
    return dict(found)


#: Open and not paused: the clock runs (the ``state, due_at`` index serves ``due_at <``).
RUNNING = tuple(sorted(set(OPEN_STATES) - set(PAUSED_STATES)))


def _late_now(where: Q, cutoff: dt.datetime, columns: list[str]):
    """The dossiers late now, in two parts that each have their index, in one statement
    (``UNION ALL``; the rows of both parts are added up by the caller):

    * overdue — open, clock running, past due: ``state IN (received, in_process) AND due_at
      < now``, a range of the ``state_due`` index (counted as overdue and as late);
    * late by rule (a second supplement request, Decision 766 indicator 2.1) and not in the
      first part: the partial index ``dossier_open_late_by_rule`` (open dossiers with
      ``late_by_rule``) holds only those, so the cost follows them, not the open dossiers.

    One ``OR`` of both would make PostgreSQL read every open dossier of the selection."""
    base = Dossier.objects.filter(where, received_at__lt=cutoff)
    overdue = Q(state__in=RUNNING, due_at__lt=cutoff)
    first = (
        base.filter(overdue)
        .values(*columns)
        .annotate(overdue=Count("pk"), late=Count("pk"))
        .order_by()
    )
    second = (
        base.filter(late_by_rule=True, state__in=sorted(OPEN_STATES))
        .exclude(overdue)
        .values(*columns)
        .annotate(overdue=Value(0, output_field=IntegerField()), late=Count("pk"))
        .order_by()
    )
    return first.union(second, all=True)


OPEN_KEYS = ("pending", "overdue", "late")


# --- labels --------------------------------------------------------------------------------


def group_labels(group_by: str, ids) -> dict:
    """Names of the fields, or code and name of the procedures (one query)."""
    ids = [i for i in ids if i is not None]
    if group_by == "field":
        return dict(Field.objects.filter(pk__in=ids).values_list("pk", "name"))
    labels = {}
    versions = (
        ProcedureVersion.objects.filter(procedure_id__in=ids)
        .order_by("procedure_id", "-number")
        .values_list("procedure_id", "procedure__code", "name")
    )
    for procedure_id, code, name in versions:
        labels.setdefault(procedure_id, f"{code} — {name}")
    return labels


# --- the dossiers behind a number ----------------------------------------------------------

#: The drill-down metrics: each column of the report and the dossiers costing 2.1 points.
METRICS = {
    "received": "Tổng số hồ sơ nhận giải quyết",
    "online": "Mới tiếp nhận trực tuyến",
    "direct": "Mới tiếp nhận trực tiếp, dịch vụ bưu chính",
    "carried": "Từ kỳ trước chuyển qua",
    "resolved": "Đã giải quyết",
    "early": "Đã giải quyết trước hạn",
    "on_time": "Đã giải quyết đúng hạn",
    "late": "Đã giải quyết quá hạn",
    "pending": "Đang giải quyết",
    "within": "Đang giải quyết trong hạn",
    "overdue": "Đang giải quyết quá hạn",
    "late_766": "Hồ sơ trễ hạn bị trừ điểm (chỉ số 2.1)",
    "online_paper": "Hồ sơ trực tuyến trả kết quả bản giấy (chỉ số 3.3)",
    "paper_result": "Kết quả trả bằng bản giấy trong kỳ (chỉ số 4.1)",
    "no_digitised_result": "Hồ sơ kết thúc không có thành phần số hóa hoặc không có kết quả "
    "(chỉ số 4.2)",
    "not_reused": "Hồ sơ tiếp nhận không tái sử dụng thành phần đã số hóa (chỉ số 4.3)",
    "no_datastore": "Hồ sơ không lấy thành phần từ, không gửi kết quả vào kho dữ liệu (chỉ số 4.4)",
    "dissatisfied": "Hồ sơ được đánh giá không hài lòng trong kỳ (chỉ số 5.4)",
}
#: The drill-down metrics of each index sub-indicator: the dossiers that cost points.
INDEX_METRICS = {
    "2.1": ("late_766",),
    "3.3": ("online_paper",),
    "4.1": ("paper_result",),
    "4.2": ("no_digitised_result",),
    "4.3": ("not_reused",),
    "4.4": ("no_datastore",),
    "5.4": ("late_766", "dissatisfied"),
}


@dataclass(frozen=True)
class Cell:
    """One number of a report: a metric for a group (or all groups) and level (or all)."""

    metric: str
    group_by: str | None = None
    group_id: int | None = None
    level: str | None = None


def _metric_q(metric: str, period: Period, cutoff: dt.datetime) -> Q:
    start, end = period.start, period.end
    received_in = Q(received_at__gte=start, received_at__lt=end)
    ended_in = Q(received_at__isnull=False, finished_at__gte=start, finished_at__lt=end)
    open_at_start = Q(received_at__lt=start) & (
        Q(finished_at__isnull=True) | Q(finished_at__gte=start)
    )
    open_at_cut = Q(received_at__lt=cutoff) & (
        Q(finished_at__isnull=True) | Q(finished_at__gte=cutoff)
    )
    returned_in = Q(returned_at__gte=start, returned_at__lt=end)
    paper = ~Q(return_method="online")
    if metric in INDEX_ONLY:
        return INDEX_ONLY[metric](received_in, ended_in, returned_in, paper, start, end)
    return {
        "received": received_in | open_at_start,
        "online": received_in & Q(channel="online"),
        "direct": received_in & Q(channel__in=("counter", "postal")),
        "carried": open_at_start,
        "resolved": ended_in,
        "early": ended_in & Q(timeliness="early"),
        "on_time": ended_in & Q(timeliness="on_time"),
        "late": ended_in & Q(timeliness="late"),
        "pending": open_at_cut,
        "within": open_at_cut & ~overdue_q(cutoff),
        "overdue": open_at_cut & overdue_q(cutoff),
        "late_766": (ended_in & Q(timeliness="late")) | (open_at_cut & late_766_q(cutoff)),
    }[metric]


def _receipt_said(key: str) -> Exists:
    """The dossier's ``receive`` event announced at least one ``key`` component."""
    receipts = DossierEvent.objects.filter(dossier=OuterRef("pk"), action="receive")
    counted = Coalesce(Cast(KeyTextTransform(key, "payload"), IntegerField()), Value(0))
    return Exists(receipts.annotate(n=counted).filter(n__gt=0))


INDEX_ONLY = {
    "online_paper": lambda rec, end, ret, paper, a, b: ret & paper & Q(channel="online"),
    "paper_result": lambda rec, end, ret, paper, a, b: ret & paper,
    "no_digitised_result": lambda rec, end, ret, paper, a, b: (
        end & ~(Q(result_code__gt="") & _receipt_said("digitised_components"))
    ),
    "not_reused": lambda rec, end, ret, paper, a, b: rec & ~_receipt_said("reused_components"),
    "no_datastore": lambda rec, end, ret, paper, a, b: (
        rec & ~_receipt_said("reused_components") & ~Q(return_method="online")
    ),
    "dissatisfied": lambda rec, end, ret, paper, a, b: Q(
        rating__satisfied=False, rating__submitted_at__gte=a, rating__submitted_at__lt=b
    ),
}


def dossiers_behind(
    user, selection: Selection, period: Period, cell: Cell, now: dt.datetime
) -> QuerySet[Dossier]:
    """The dossiers counted in ``cell``, inside ``user``'s scope, oldest receipt first."""
    if cell.metric not in METRICS:
        raise ValueError(f"unknown metric {cell.metric!r}")
    cutoff = period.cutoff(now)
    qs = Dossier.objects.alias(paused=_paused_at(cutoff)).filter(
        dossier_scope(user), selection.dossier_q(), _metric_q(cell.metric, period, cutoff)
    )
    if cell.group_by:
        column = _DOSSIER_GROUP[cell.group_by]
        qs = qs.filter(
            **{f"{column}__isnull": True} if cell.group_id is None else {column: cell.group_id}
        )
    if cell.level:
        qs = qs.filter(
            level_q(
                cell.level,
                levels_field="procedure_version__levels",
                kind_field="receiving_agency__kind",
            )
        )
    return qs.select_related("procedure_version__procedure", "receiving_agency").order_by(
        "received_at", "pk"
    )
