"""The period report (Thông tư 01/2020/TT-VPCP, Biểu 06/VPCP/KSTT): per field or procedure,
grouped by level, for a date range, in number of dossiers.

Formulas (docs/supervision.md):

* received in the period = online + direct/postal (``DailyStat`` days inside the period);
* carried over = received before the period − ended before the period (aggregate sums);
* resolved = early + on time + late (ends of processing inside the period);
* pending at the period end = the dossiers open then, overdue when past due and not awaiting
  a supplement (one grouped query); for a period not over yet, pending = received − ended up
  to now from the aggregates and only the overdue dossiers are counted (``open_at``); for a
  period ending on a closed month's last day, the month-end snapshot (``snapshots``);
* identity, checked per row: received (3) = resolved (7) + pending (11).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from django.db.models import Q

from motcua.catalog.models import Level
from motcua.supervision import queries, snapshots
from motcua.supervision.dimensions import Period
from motcua.supervision.queries import Selection


@dataclass
class Cells:
    """The numbers of one row; the totals are derived."""

    online: int = 0
    direct: int = 0
    carried: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within: int = 0
    overdue: int = 0
    #: pending according to the aggregates (received − ended up to the end), for the check
    pending_by_sums: int = 0

    @property
    def received(self) -> int:
        return self.online + self.direct + self.carried

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def pending(self) -> int:
        return self.within + self.overdue

    @property
    def balanced(self) -> bool:
        """received = resolved + pending, and both sources agree on the pending count."""
        return self.pending == self.pending_by_sums

    def __add__(self, other: Cells) -> Cells:
        return Cells(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def column(self, metric: str) -> int:
        return getattr(self, metric)

    @property
    def values(self) -> list[tuple[str, int]]:
        """(metric, number) in the order of the official columns (3) to (13)."""
        return [(metric, getattr(self, metric)) for metric, _ in COLUMNS]


#: Report columns in the order of the official table: (metric, column number).
COLUMNS: tuple[tuple[str, int], ...] = (
    ("received", 3),
    ("online", 4),
    ("direct", 5),
    ("carried", 6),
    ("resolved", 7),
    ("early", 8),
    ("on_time", 9),
    ("late", 10),
    ("pending", 11),
    ("within", 12),
    ("overdue", 13),
)

#: The merged header of Biểu 06: (row, column, rows spanned, columns spanned, text), 1-based.
HEADER: tuple[tuple[int, int, int, int, str], ...] = (
    (1, 1, 3, 1, "STT"),
    (1, 2, 3, 1, "Lĩnh vực, công việc giải quyết theo cấp"),
    (1, 3, 1, 4, "Số hồ sơ nhận giải quyết"),
    (1, 7, 1, 7, "Kết quả giải quyết"),
    (2, 3, 2, 1, "Tổng số"),
    (2, 4, 1, 3, "Trong đó"),
    (2, 7, 1, 4, "Số hồ sơ đã giải quyết"),
    (2, 11, 1, 3, "Số hồ sơ đang giải quyết"),
    (3, 4, 1, 1, "Số mới tiếp nhận trực tuyến"),
    (3, 5, 1, 1, "Số mới tiếp nhận trực tiếp hoặc qua dịch vụ bưu chính công ích"),
    (3, 6, 1, 1, "Số kỳ trước chuyển qua"),
    (3, 7, 1, 1, "Tổng số"),
    (3, 8, 1, 1, "Trả trước hạn"),
    (3, 9, 1, 1, "Trả đúng thời hạn"),
    (3, 10, 1, 1, "Trả quá hạn"),
    (3, 11, 1, 1, "Tổng số"),
    (3, 12, 1, 1, "Chưa đến hạn"),
    (3, 13, 1, 1, "Quá hạn"),
)
COLUMN_NUMBERS = (
    "(1)",
    "(2)",
    "(3)=(4)+(5)+(6)",
    "(4)",
    "(5)",
    "(6)",
    "(7)=(8)+(9)+(10)",
    "(8)",
    "(9)",
    "(10)",
    "(11)=(12)+(13)",
    "(12)",
    "(13)",
)
GROUP_LABELS = {"field": "Lĩnh vực", "procedure": "Thủ tục hành chính"}
LEVEL_ORDER = list(Level.values)
ROMAN = ("I", "II", "III", "IV", "V", "VI")


@dataclass
class Row:
    label: str
    group_id: int | None
    level: str
    cells: Cells

    @property
    def group_param(self) -> str:
        """The row in a drill-down link: its group id, or ``none`` for the unclassified."""
        return "none" if self.group_id is None else str(self.group_id)


@dataclass
class Section:
    """The rows of one level (cấp) and their subtotal."""

    level: str
    number: str
    rows: list[Row] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Level(self.level).label)

    @property
    def total(self) -> Cells:
        return sum((r.cells for r in self.rows), Cells())


@dataclass
class PeriodReport:
    selection: Selection
    period: Period
    group_by: str
    cutoff: dt.datetime
    sections: list[Section]
    #: when the pending columns come from a month-end snapshot: when it was taken
    frozen_at: dt.datetime | None = None

    @property
    def total(self) -> Cells:
        return sum((s.total for s in self.sections), Cells())

    @property
    def unbalanced(self) -> list[Row]:
        return [r for s in self.sections for r in s.rows if not r.cells.balanced]

    @property
    def group_label(self) -> str:
        return GROUP_LABELS[self.group_by]


def build(
    selection: Selection,
    period: Period,
    *,
    group_by: str = "field",
    now: dt.datetime,
    scope: tuple[Q, Q] | None = None,
) -> PeriodReport:
    """The report from the aggregates and the open dossiers at the cutoff (3 queries).

    ``scope`` limits both to what a user may see: ``(stat_q, dossier_q)`` from
    :func:`for_user`."""
    if group_by not in queries.GROUPINGS:
        raise ValueError(f"unknown grouping {group_by!r}")
    stat_where, dossier_where = scope or (Q(), Q())
    cutoff = period.cutoff(now)
    sums = queries.period_sums(selection.stat_q() & stat_where, period, group_by)
    opened, snapshot = snapshots.open_at(
        selection.stat_q() & stat_where,
        selection.dossier_q() & dossier_where,
        period,
        now,
        group_by,
    )
    keys = set(sums) | set(opened)
    labels = queries.group_labels(group_by, {k[0] for k in keys})
    sections = _sections(keys, sums, opened, labels)
    frozen_at = snapshot.taken_at if snapshot else None
    return PeriodReport(selection, period, group_by, cutoff, sections, frozen_at)


def for_user(user) -> tuple[Q, Q]:
    return queries.stat_scope(user), queries.dossier_scope(user)


def cells_of(sums: dict | None, opened: dict | None) -> Cells:
    s = sums or {}
    o = opened or {}
    carried = s.get("before_received", 0) - s.get("before_ended", 0)
    cells = Cells(
        online=s.get("online", 0),
        direct=s.get("direct", 0),
        carried=carried,
        early=s.get("early", 0),
        on_time=s.get("on_time", 0),
        late=s.get("late", 0),
        overdue=o.get("overdue", 0),
    )
    cells.pending_by_sums = cells.received - cells.resolved
    # at the present the open dossiers are not counted one by one: the aggregates say how
    # many are pending (see queries.open_at)
    pending = o.get("pending", cells.pending_by_sums)
    cells.within = pending - cells.overdue
    return cells


def _sections(keys, sums, opened, labels) -> list[Section]:
    by_level: dict[str, list[Row]] = {}
    for key in keys:
        group_id, level = key
        label = labels.get(group_id) or "(Chưa phân loại)"
        row = Row(label, group_id, level, cells_of(sums.get(key), opened.get(key)))
        by_level.setdefault(level, []).append(row)
    sections = []
    for level in sorted(by_level, key=LEVEL_ORDER.index):
        rows = sorted(by_level[level], key=lambda r: r.label)
        sections.append(Section(level, ROMAN[len(sections)], rows))
    return sections
