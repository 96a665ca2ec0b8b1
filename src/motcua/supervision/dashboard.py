"""Reads of the leaders' operations dashboard (/giam-sat/dieu-hanh/) and of the surprise
inspection list (/giam-sat/kiem-tra/).

The dashboard is two grouped counts whatever the number of dossiers: today's receipts per
(channel, receiving unit, procedure) and the open dossiers per (current unit, procedure) with
filtered counts for overdue, due within one working day and apologies due today. The
breakdowns (by unit, by procedure, top 10) are folded here from those rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, Window
from django.db.models.functions import Lag
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Channel
from motcua.dossiers.lifecycle import OPEN_STATES, State
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.queries import apology_window
from motcua.org import permissions
from motcua.supervision.queries import VIEW, _paused_at, dossier_scope, overdue_q
from motcua.worktime.queries import calendar_for

#: How many units / procedures a breakdown shows.
TOP = 10
#: Metrics of the dashboard, in display order (Vietnamese source labels).
METRICS = {
    "received": _("Tiếp nhận hôm nay"),
    "overdue": _("Đang quá hạn"),
    "due_soon": _("Đến hạn trong 1 ngày làm việc"),
    "apologise": _("Phải xin lỗi, hẹn lại hôm nay"),
}
#: States of an ended dossier that must carry a result code.
NEEDS_RESULT = (State.RETURNED, State.ARCHIVED)
DEFAULT_GAP_DAYS = 10


@dataclass
class Bar:
    label: str
    value: int
    width: float  # percent of the largest bar of the breakdown


@dataclass
class Metric:
    key: str
    label: str
    total: int = 0
    by_unit: list[Bar] = field(default_factory=list)
    by_procedure: list[Bar] = field(default_factory=list)

    @property
    def breakdowns(self) -> list[tuple[str, list[Bar]]]:
        return [
            (str(_("Theo đơn vị")), self.by_unit),
            (str(_("Theo thủ tục (10 thủ tục nhiều nhất)")), self.by_procedure),
        ]


@dataclass
class Dashboard:
    now: dt.datetime
    by_channel: list[tuple[str, int]]  # (label, count) for every channel
    metrics: list[Metric]


def _bars(counts: Counter) -> list[Bar]:
    top = [(label, n) for label, n in counts.most_common(TOP) if n]
    high = max((n for _label, n in top), default=0) or 1
    return [Bar(label, n, round(100 * n / high, 1)) for label, n in top]


def _procedure(row: dict) -> str:
    return f"{row['procedure_version__procedure__code']} — {row['procedure_version__name']}"


def build(user, now: dt.datetime) -> Dashboard:
    """The dashboard numbers for ``user``'s supervision scope at ``now`` (two queries)."""
    cal = calendar_for(None)
    local = now.astimezone(cal.tz)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = day_start + dt.timedelta(days=1)
    scope = dossier_scope(user)
    procedure_cols = ("procedure_version__procedure__code", "procedure_version__name")

    received = (
        Dossier.objects.filter(scope, received_at__gte=day_start, received_at__lt=day_end)
        .values("channel", "receiving_unit__name", *procedure_cols)
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_channel: Counter = Counter()
    units: dict[str, Counter] = {k: Counter() for k in METRICS}
    procedures: dict[str, Counter] = {k: Counter() for k in METRICS}
    totals: Counter = Counter()
    for row in received:
        by_channel[row["channel"]] += row["n"]
        units["received"][row["receiving_unit__name"] or "—"] += row["n"]
        procedures["received"][_procedure(row)] += row["n"]
        totals["received"] += row["n"]

    low, high = apology_window(now)
    open_rows = (
        Dossier.objects.filter(scope, state__in=OPEN_STATES)
        .alias(paused=_paused_at(now))
        .values("current_unit__name", *procedure_cols)
        .annotate(
            overdue=Count("pk", filter=overdue_q(now)),
            due_soon=Count(
                "pk", filter=Q(due_at__gte=now, due_at__lte=cal.add_working_days(now, 1))
            ),
            apologise=Count("pk", filter=Q(apologised=False, due_at__gte=low, due_at__lte=high)),
        )
        .order_by()
    )
    for row in open_rows:
        for key in ("overdue", "due_soon", "apologise"):
            units[key][row["current_unit__name"] or "—"] += row[key]
            procedures[key][_procedure(row)] += row[key]
            totals[key] += row[key]

    metrics = [
        Metric(key, str(label), totals[key], _bars(units[key]), _bars(procedures[key]))
        for key, label in METRICS.items()
    ]
    channels = [(str(label), by_channel[value]) for value, label in Channel.choices]
    return Dashboard(now, channels, metrics)


# --- surprise inspection -----------------------------------------------------------------


def ended_without_result(user) -> list[Dossier]:
    """Returned or archived dossiers in scope without a result code (one query)."""
    return list(
        Dossier.objects.filter(dossier_scope(user), state__in=NEEDS_RESULT, result_code="")
        .select_related("procedure_version__procedure")
        .annotate(last_event_at=Max("events__at"))
        .order_by("-last_event_at", "pk")[:200]
    )


@dataclass
class GapRow:
    dossier: Dossier
    gap_from: dt.datetime
    gap_to: dt.datetime

    @property
    def days(self) -> int:
        return (self.gap_to - self.gap_from).days


def long_gaps(user, gap_days: int = DEFAULT_GAP_DAYS, limit: int = 200) -> list[GapRow]:
    """Dossiers in scope with more than ``gap_days`` calendar days between two consecutive
    events, widest first (the widest gap of each). The database computes the gaps (``LAG``
    over each dossier's events, filtered on the window: PostgreSQL and SQLite alike) and
    returns only the long ones: two queries whatever the number of events."""
    scope = permissions.scope_q(
        user,
        VIEW,
        agency_path_field="dossier__receiving_agency__path",
        unit_field="dossier__receiving_unit_id",
    )
    previous = Window(Lag("at"), partition_by=[F("dossier_id")], order_by=F("seq").asc())
    gaps = (
        DossierEvent.objects.filter(scope)
        .annotate(prev=previous)
        .annotate(gap=ExpressionWrapper(F("at") - F("prev"), output_field=DurationField()))
        .filter(gap__gt=dt.timedelta(days=gap_days))
        .order_by("-gap", "dossier_id")
        .values_list("dossier_id", "prev", "at")
    )
    widest: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    for dossier_id, prev, at in gaps.iterator(chunk_size=limit):
        widest.setdefault(dossier_id, (prev, at))  # rows come widest first
        if len(widest) >= limit:
            break
    dossiers = (
        Dossier.objects.filter(pk__in=list(widest))
        .select_related("procedure_version__procedure")
        .annotate(last_event_at=Max("events__at"))
        .in_bulk()
    )
    return [GapRow(dossiers[i], *widest[i]) for i in widest if i in dossiers]
