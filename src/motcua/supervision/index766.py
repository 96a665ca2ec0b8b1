"""The Decision 766/QĐ-TTg service-quality index, from the aggregates.

Points come from the editable table (``IndexGroup``, ``IndexIndicator``). Threshold rule:
full points at or above the threshold, else ``points × rate ÷ threshold`` (threshold 100%
when none is set); a rate is 0 when its denominator is 0. Measured now:

* 2.1 — (ended early or on time in the period + open at the cutoff and not late)
  ÷ (ended in the period + open at the cutoff); late = past due and not awaiting a
  supplement, or a second supplement request;
* 3.3 — dossiers received online ÷ dossiers received in the period;
* 5.4 — 100% − overdue rate (the late dossiers of 2.1 ÷ its denominator); the complaint and
  "dislike" rate is not available yet, so 5.4 is marked partial.

Every other indicator is "not yet measured", with the reason, and earns no points: the total
is shown against the points of what is measured, never as if the rest were zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from motcua.supervision import queries
from motcua.supervision.dimensions import Period
from motcua.supervision.models import IndexGroup, IndexIndicator

MEASURED, PARTIAL, NOT_MEASURED = "measured", "partial", "not_measured"
STATUS_LABELS = {
    MEASURED: "Đã đo",
    PARTIAL: "Đo một phần",
    NOT_MEASURED: "Chưa đo được",
}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

#: Why an indicator is not (fully) measured yet.
REASONS = {
    "1.1": "Danh mục chưa lưu ngày hiệu lực của văn bản quy định và ngày ban hành quyết định "
    "công bố TTHC.",
    "1.2": "Chưa ghi nhận ngày công khai TTHC trên Cơ sở dữ liệu quốc gia.",
    "1.3": "Chưa triển khai kiểm tra tính đầy đủ các bộ phận của TTHC đã công bố.",
    "1.4": "Chưa có kết nối đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia.",
    "3.1": "Chưa triển khai: cần danh mục TTHC thuộc thẩm quyền của từng cơ quan.",
    "3.2": "Chưa triển khai: cần danh mục dịch vụ công trực tuyến của từng cơ quan.",
    "3.3": "Chưa áp dụng điều kiện “có kết quả điện tử” với thủ tục có kết quả dạng giấy.",
    "3.5": "Chưa có phân hệ thanh toán trực tuyến.",
    "3.6": "Chưa có phân hệ thanh toán trực tuyến.",
    "4.1": "Chưa ghi nhận kết quả điện tử theo từng hồ sơ.",
    "4.2": "Chưa có dữ liệu số hóa thành phần hồ sơ và kết quả.",
    "4.3": "Chưa có dữ liệu tái sử dụng thành phần đã số hóa.",
    "4.4": "Chưa có kết nối kho dữ liệu điện tử của tổ chức, cá nhân.",
    "5.2": "Chưa có phân hệ phản ánh, kiến nghị.",
    "5.3": "Chưa có phân hệ phản ánh, kiến nghị.",
    "5.4": "Chưa có dữ liệu khiếu nại và đánh giá “không hài lòng”: chỉ trừ tỷ lệ hồ sơ quá hạn.",
}


@dataclass(frozen=True)
class Inputs:
    """What the measured indicators need, for one agency (or selection) and period."""

    received: int = 0  # received inside the period
    online: int = 0  # of which online
    early: int = 0  # ended inside the period, early
    on_time: int = 0
    late: int = 0
    pending: int = 0  # open at the cutoff
    pending_late: int = 0  # of which late for 2.1

    @property
    def processed(self) -> int:
        """Dossiers received or processed in the period (the 2.1 denominator)."""
        return self.early + self.on_time + self.late + self.pending

    @property
    def in_time(self) -> int:
        return self.early + self.on_time + self.pending - self.pending_late

    @property
    def costing(self) -> int:
        """Dossiers late for 2.1 (they cost points)."""
        return self.processed - self.in_time


@dataclass(frozen=True)
class Score:
    code: str
    name: str
    points: Decimal
    threshold: Decimal | None
    status: str
    rate: Decimal | None = None
    score: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def counted(self) -> bool:
        return self.status != NOT_MEASURED


@dataclass
class GroupScore:
    number: int
    name: str
    max_points: Decimal
    indicators: list[Score] = field(default_factory=list)

    @property
    def score(self) -> Decimal:
        return sum((i.score for i in self.indicators if i.counted), Decimal(0))

    @property
    def measured_max(self) -> Decimal:
        return sum((i.points for i in self.indicators if i.counted), Decimal(0))


@dataclass
class IndexResult:
    period: Period
    inputs: Inputs
    groups: list[GroupScore]
    warnings: list[str]

    @property
    def total(self) -> Decimal:
        return sum((g.score for g in self.groups), Decimal(0))

    @property
    def measured_max(self) -> Decimal:
        return sum((g.measured_max for g in self.groups), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return sum((g.max_points for g in self.groups), Decimal(0))

    @property
    def measured(self) -> list[Score]:
        return [i for g in self.groups for i in g.indicators if i.counted]


def rate(numerator: int, denominator: int) -> Decimal:
    """A percentage with two decimals; 0 when the denominator is 0 (Decision 766)."""
    if not denominator:
        return Decimal(0)
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)


def points_for(value: Decimal, points: Decimal, threshold: Decimal | None) -> Decimal:
    """Full points at or above the threshold, else ``points × rate ÷ threshold``."""
    limit = threshold if threshold else HUNDRED
    if value >= limit:
        return points
    return (points * value / limit).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Table:
    """The points table, read once (2 queries) and reused for every agency."""

    groups: tuple[IndexGroup, ...]
    indicators: tuple[IndexIndicator, ...]

    @classmethod
    def load(cls) -> Table:
        return cls(
            tuple(IndexGroup.objects.order_by("number")),
            tuple(IndexIndicator.objects.order_by("group__number", "order", "code")),
        )


def _measure(ind: IndexIndicator, inputs: Inputs) -> Score:
    base = {"code": ind.code, "name": ind.name, "points": ind.points, "threshold": ind.threshold}
    if ind.code == "2.1":
        num, den, status = inputs.in_time, inputs.processed, MEASURED
        value = rate(num, den)
    elif ind.code == "3.3":
        num, den, status = inputs.online, inputs.received, MEASURED
        value = rate(num, den)
    elif ind.code == "5.4":
        num, den, status = inputs.costing, inputs.processed, PARTIAL
        value = HUNDRED - rate(num, den) if den else Decimal(0)
    else:
        return Score(**base, status=NOT_MEASURED, note=REASONS.get(ind.code, ""))
    score = points_for(value, ind.points, ind.threshold)
    note = REASONS.get(ind.code, "")
    return Score(
        **base, status=status, rate=value, score=score, numerator=num, denominator=den, note=note
    )


def score(inputs: Inputs, table: Table, period: Period) -> IndexResult:
    """The index of one agency from its inputs (no query)."""
    groups = {g.pk: GroupScore(g.number, g.name, g.max_points) for g in table.groups}
    for ind in table.indicators:
        groups[ind.group_id].indicators.append(_measure(ind, inputs))
    warnings = [
        f"Nhóm {g.number}: tổng điểm các chỉ số ({sum(i.points for i in g.indicators)}) "
        f"khác điểm tối đa của nhóm ({g.max_points})."
        for g in groups.values()
        if sum((i.points for i in g.indicators), Decimal(0)) != g.max_points
    ]
    return IndexResult(period, inputs, list(groups.values()), warnings)


def inputs_from(sums: dict, opened: dict) -> Inputs:
    return Inputs(
        received=sums.get("online", 0) + sums.get("direct", 0),
        online=sums.get("online", 0),
        early=sums.get("early", 0),
        on_time=sums.get("on_time", 0),
        late=sums.get("late", 0),
        pending=opened.get("pending", 0),
        pending_late=opened.get("late", 0),
    )


def compute(
    selection: queries.Selection,
    period: Period,
    *,
    now: dt.datetime,
    scope: tuple[Q, Q] | None = None,
    table: Table | None = None,
) -> IndexResult:
    """The index of a selection over a period: 2 aggregate queries + the points table."""
    stat_where, dossier_where = scope or (Q(), Q())
    sums = queries.period_sums(selection.stat_q() & stat_where, period, None)
    opened = queries.open_at(selection.dossier_q() & dossier_where, period.cutoff(now), now, None)
    totals = _fold(sums.values())
    open_totals = _fold(opened.values())
    return score(inputs_from(totals, open_totals), table or Table.load(), period)


def _fold(rows) -> dict[str, int]:
    total: dict[str, int] = {}
    for row in rows:
        for name, value in row.items():
            total[name] = total.get(name, 0) + value
    return total
