"""What the Decision 766 index reads, per agency: sums of the daily aggregates over the
period, the dossiers open at its cutoff, and a snapshot of the agency's catalogue offerings.

Five queries whatever the number of dossiers or agencies: the aggregate sums grouped by
agency, the procedures that received an online dossier (grouped by agency and procedure), the
open dossiers grouped by agency (from the month-end snapshot when the period ends on a closed
month that has one), the offerings with their completeness, and the versions of the offered
procedures published or due to be made public in the period (:mod:`publication`). Everything is
additive, so a province's inputs are the sum of its agencies'.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, fields

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from motcua.catalog.models import ChannelOption, ComponentSpec, Offering, OnlineClass, TimeUnit
from motcua.supervision import publication, queries, snapshots
from motcua.supervision.dimensions import Period
from motcua.supervision.models import DailyStat
from motcua.supervision.publication import VersionRow

#: Aggregate counters summed over the period (name in ``Inputs`` → counters).
SUMMED = {
    "online": ("received_online",),
    "direct": ("received_direct", "received_postal"),
    "early": ("resolved_early",),
    "on_time": ("resolved_on_time",),
    "late": ("resolved_late",),
    "online_paper": ("online_paper_result",),
    "returned": ("returned",),
    "results_electronic": ("results_electronic",),
    "results_digitised": ("results_digitised",),
    "received_reused": ("received_reused",),
    "datastore_used": ("datastore_used",),
    "rated_satisfied": ("rated_satisfied",),
    "rated_dissatisfied": ("rated_dissatisfied",),
}
#: The parts a published procedure must show (indicator 1.3), with their Vietnamese names.
PARTS = {
    "name": "tên thủ tục",
    "steps": "trình tự thực hiện",
    "methods": "cách thức thực hiện",
    "components": "thành phần, số lượng hồ sơ",
    "time_limit": "thời hạn giải quyết",
    "applicants": "đối tượng thực hiện",
    "agency": "cơ quan thực hiện",
}


@dataclass(frozen=True)
class ProcedureRow:
    """A procedure an agency offers, as the procedure-based indicators see it."""

    agency_id: int
    procedure_id: int
    code: str
    name: str
    online_service: bool
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def missing_labels(self) -> str:
        return ", ".join(PARTS[p] for p in self.missing)


@dataclass
class Inputs:
    """What the indicators need, for one agency (or the sum of several) and a period."""

    online: int = 0  # received online inside the period
    direct: int = 0  # received at the counter or by post
    early: int = 0  # ended inside the period, early
    on_time: int = 0
    late: int = 0
    pending: int = 0  # open at the cutoff
    pending_late: int = 0  # of which late for 2.1
    online_paper: int = 0  # online dossiers whose result went out on paper
    returned: int = 0  # results handed over in the period
    results_electronic: int = 0  # of which electronically
    results_digitised: int = 0  # results of dossiers with a digitised component
    received_reused: int = 0
    datastore_used: int = 0
    rated_satisfied: int = 0
    rated_dissatisfied: int = 0
    procedures: list[ProcedureRow] = field(default_factory=list)
    online_used: set[int] = field(default_factory=set)  # procedures with an online dossier
    #: versions published or due to be made public in the period (1.1, 1.2), by id
    versions: dict[int, VersionRow] = field(default_factory=dict)

    @property
    def received(self) -> int:
        return self.online + self.direct

    @property
    def ended(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def processed(self) -> int:
        """Dossiers received or processed in the period (the 2.1 denominator)."""
        return self.ended + self.pending

    @property
    def in_time(self) -> int:
        return self.early + self.on_time + self.pending - self.pending_late

    @property
    def costing(self) -> int:
        """Dossiers late for 2.1 (they cost points)."""
        return self.processed - self.in_time

    @property
    def online_services(self) -> list[ProcedureRow]:
        return [p for p in self.procedures if p.online_service]

    @property
    def unused_services(self) -> list[ProcedureRow]:
        return [p for p in self.online_services if p.procedure_id not in self.online_used]

    @property
    def published_versions(self) -> list[VersionRow]:
        """Versions published in the period (the 1.1 denominator), by code."""
        return sorted(
            (v for v in self.versions.values() if v.published_in), key=lambda v: (v.code, v.number)
        )

    @property
    def late_decisions(self) -> list[VersionRow]:
        """Published in the period without a decision issued in time: they cost 1.1 points."""
        return [v for v in self.published_versions if not v.decision_on_time]

    @property
    def late_publications(self) -> list[VersionRow]:
        """Due in the period and not made public in time: they cost 1.2 points."""
        return [v for v in self.due_versions if not v.published_on_time]

    @property
    def due_versions(self) -> list[VersionRow]:
        """Versions due to be made public in the period (the 1.2 denominator), by code."""
        return sorted(
            (v for v in self.versions.values() if v.due_in), key=lambda v: (v.code, v.number)
        )

    def __add__(self, other: Inputs) -> Inputs:
        total = Inputs()
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if f.name == "procedures":
                value = mine + theirs
            elif f.name in ("online_used", "versions"):
                value = mine | theirs
            else:
                value = mine + theirs
            setattr(total, f.name, value)
        return total


def by_agency(
    selection: queries.Selection,
    period: Period,
    now: dt.datetime,
    scope: tuple[Q, Q] | None = None,
) -> dict[int, Inputs]:
    """The inputs of every agency of the selection that has dossiers or offerings."""
    stat_where, dossier_where = scope or (Q(), Q())
    offerings = (
        Q(agency__path__startswith=selection.agency.path)
        if selection.subordinates
        else Q(agency=selection.agency)
    )
    return for_where(
        stat_where & selection.stat_q(),
        dossier_where & selection.dossier_q(),
        offerings,
        period,
        now,
    )


def for_where(
    stat_where: Q, dossier_where: Q, offering_where: Q, period: Period, now: dt.datetime
) -> dict[int, Inputs]:
    """:func:`by_agency` for any filters of the aggregates, dossiers and offerings."""
    found: dict[int, Inputs] = defaultdict(Inputs)
    upto = DailyStat.objects.filter(stat_where, day__lte=period.last)
    inside = Q(day__gte=period.first)
    sums = upto.values("agency_id").annotate(
        **{name: _sum(cols, inside) for name, cols in SUMMED.items()},
        open_before=_sum(queries.RECEIVED, ~inside) - _sum(queries.ENDED, ~inside),
    )
    open_by_sums: dict[int, int] = {}
    for row in sums.order_by():
        agency_id = row.pop("agency_id")
        inputs = found[agency_id]
        before = row.pop("open_before")
        for name, value in row.items():
            setattr(inputs, name, value)
        open_by_sums[agency_id] = before + inputs.received - inputs.ended
    inside_rows = upto.filter(inside, received_online__gt=0)
    used = inside_rows.values_list("agency_id", "procedure_id")
    for agency_id, procedure_id in used.distinct().order_by():
        found[agency_id].online_used.add(procedure_id)
    cutoff = period.cutoff(now)
    opened, _snapshot = snapshots.open_at(stat_where, dossier_where, period, now, "agency")
    for (agency_id, _level), row in opened.items():
        if "pending" in row:  # a past cutoff: counted one by one
            found[agency_id].pending += row["pending"]
        found[agency_id].pending_late += row["late"]
    if cutoff >= now:  # the present: pending = received − ended (the aggregates)
        for agency_id, pending in open_by_sums.items():
            found[agency_id].pending = pending
    for row in procedures(offering_where):
        found[row.agency_id].procedures.append(row)
    for agency_id, version in publication.by_agency(offering_where, period):
        found[agency_id].versions[version.version_id] = version
    return dict(found)


def _sum(columns, when: Q):
    total = sum((F(c) for c in columns[1:]), F(columns[0]))
    return Coalesce(Sum(total, filter=when), Value(0))


def procedures(where: Q) -> list[ProcedureRow]:
    """The procedures offered now (published version, active offering) where ``where``
    says, one per agency and procedure, with the parts they fail to publish."""
    limits = ChannelOption.objects.filter(version=OuterRef("version_id")).filter(
        Q(time_value__isnull=False) | Q(time_unit=TimeUnit.WITHIN_DAY)
    )
    counted = ComponentSpec.objects.filter(case__version=OuterRef("version_id")).filter(
        Q(originals__gt=0) | Q(copies__gt=0)
    )
    rows = (
        Offering.objects.filter(where, is_active=True, version__status="published")
        .annotate(
            has_methods=Exists(ChannelOption.objects.filter(version=OuterRef("version_id"))),
            has_limit=Exists(limits),
            has_components=Exists(counted),
            agencies=Count("version__competent_agencies"),
        )
        .values_list(
            "agency_id",
            "version__procedure_id",
            "version__procedure__code",
            "version__name",
            "version__online_class",
            "version__steps_text",
            "version__applicant_types",
            "version__competent_agency_text",
            "version__implementing_agency_text",
            "has_methods",
            "has_limit",
            "has_components",
            "agencies",
        )
        .order_by("agency_id", "version__procedure__code", "-version__number")
    )
    seen: set[tuple[int, int]] = set()
    result = []
    for agency_id, procedure_id, code, name, online, steps, applicants, *rest in rows:
        if (agency_id, procedure_id) in seen:
            continue
        seen.add((agency_id, procedure_id))
        competent, implementing, methods, limit, components, linked = rest
        present = {
            "name": bool((name or "").strip()),
            "steps": bool((steps or "").strip()),
            "methods": bool(methods),
            "components": bool(components),
            "time_limit": bool(limit),
            "applicants": bool(applicants),
            "agency": bool((competent or "").strip() or (implementing or "").strip() or linked),
        }
        missing = tuple(part for part in PARTS if not present[part])
        result.append(
            ProcedureRow(agency_id, procedure_id, code, name, online != OnlineClass.NONE, missing)
        )
    return result


def total(found: dict[int, Inputs]) -> Inputs:
    return sum(found.values(), Inputs())
