"""The Decision 766/QĐ-TTg service-quality index (Bộ chỉ số chỉ đạo, điều hành và đánh giá
chất lượng phục vụ người dân, doanh nghiệp), from the aggregates.

Points come from the editable table (``IndexGroup``, ``IndexIndicator``). Threshold rule:
full points at or above the threshold, else ``points × rate ÷ threshold`` (threshold 100%
when none is set); a rate is 0 when its denominator is 0. Each sub-indicator's formula, as
measured here, is in :data:`FORMULAS` and docs/supervision.md; what our data cannot measure
is "not yet measured" with the reason (:data:`REASONS`) and earns no points: the total is
shown against the points of what is measured, never as if the rest were zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.supervision import index_inputs, queries
from motcua.supervision.dimensions import Period
from motcua.supervision.index_inputs import Inputs
from motcua.supervision.models import IndexGroup, IndexIndicator

MEASURED, PARTIAL, NOT_MEASURED = "measured", "partial", "not_measured"
STATUS_LABELS = {
    MEASURED: gettext_lazy("Đã đo"),
    PARTIAL: gettext_lazy("Đo một phần"),
    NOT_MEASURED: gettext_lazy("Chưa đo được"),
}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

#: Why an indicator is not (fully) measured from our data.
REASONS = {
    "1.4": gettext_lazy(
        "Chưa có kết nối đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia: hồ sơ chưa có dấu "
        "hiệu đồng bộ."
    ),
    "3.5": gettext_lazy("Danh mục chưa ghi nhận TTHC nào đã tích hợp thanh toán trực tuyến."),
    "3.6": gettext_lazy(
        "Hồ sơ chỉ ghi số tiền và tình trạng nộp phí, chưa ghi hình thức thanh toán "
        "(chưa có phân hệ thanh toán trực tuyến)."
    ),
    "5.2": gettext_lazy("Chưa có phân hệ phản ánh, kiến nghị."),
    "5.3": gettext_lazy("Chưa có phân hệ phản ánh, kiến nghị."),
    "5.4": gettext_lazy(
        "Chưa ghi nhận khiếu nại về hồ sơ (phân hệ phản ánh, kiến nghị): chỉ trừ tỷ lệ hồ "
        "sơ trễ hạn và tỷ lệ phiếu đánh giá không hài lòng."
    ),
}

#: How each measured indicator is computed here (shown under its name).
FORMULAS = {
    "1.1": gettext_lazy(
        "Phiên bản TTHC công bố trong kỳ có quyết định công bố ban hành trước ít nhất 5 ngày "
        "làm việc so với ngày văn bản quy định TTHC có hiệu lực ÷ phiên bản TTHC công bố "
        "trong kỳ."
    ),
    "1.2": gettext_lazy(
        "Phiên bản TTHC được công khai trong 5 ngày làm việc kể từ ngày ban hành quyết định "
        "công bố ÷ phiên bản TTHC đến hạn công khai trong kỳ."
    ),
    "1.3": gettext_lazy(
        "TTHC đang cung cấp có đủ tên, trình tự, cách thức, thành phần và số lượng hồ sơ, "
        "thời hạn, đối tượng, cơ quan thực hiện ÷ TTHC đang cung cấp (tại thời điểm xem)."
    ),
    "2.1": gettext_lazy(
        "Hồ sơ kết thúc trong kỳ trước hạn, đúng hạn + hồ sơ đang giải quyết chưa trễ hạn "
        "÷ hồ sơ kết thúc trong kỳ + hồ sơ đang giải quyết cuối kỳ (bổ sung lần hai tính là "
        "trễ)."
    ),
    "3.1": gettext_lazy(
        "TTHC có dịch vụ công trực tuyến (toàn trình, một phần) ÷ TTHC đang cung cấp."
    ),
    "3.2": gettext_lazy(
        "Dịch vụ công trực tuyến có ít nhất một hồ sơ trực tuyến trong kỳ ÷ dịch vụ công "
        "trực tuyến."
    ),
    "3.3": gettext_lazy(
        "(Hồ sơ tiếp nhận trực tuyến − hồ sơ trực tuyến trả kết quả bản giấy trong kỳ) "
        "÷ hồ sơ tiếp nhận trong kỳ."
    ),
    "4.1": gettext_lazy("Kết quả trả bằng bản điện tử ÷ kết quả đã trả trong kỳ."),
    "4.2": gettext_lazy(
        "Hồ sơ có thành phần số hóa và có kết quả ÷ hồ sơ kết thúc xử lý trong kỳ."
    ),
    "4.3": gettext_lazy("Hồ sơ tái sử dụng thành phần đã số hóa ÷ hồ sơ tiếp nhận trong kỳ."),
    "4.4": gettext_lazy(
        "Hồ sơ lấy thành phần từ, hoặc gửi kết quả điện tử vào, kho dữ liệu ÷ hồ sơ tiếp "
        "nhận trong kỳ."
    ),
    "5.4": gettext_lazy(
        "100% − (tỷ lệ hồ sơ trễ hạn của chỉ số 2.1 + phiếu không hài lòng trong kỳ "
        "÷ mẫu số của chỉ số 2.1)."
    ),
}


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
    formula: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def counted(self) -> bool:
        return self.status != NOT_MEASURED

    @property
    def lost(self) -> Decimal:
        return self.points - self.score if self.counted else Decimal(0)


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

    def by_code(self) -> dict[str, Score]:
        return {s.code: s for g in self.groups for s in g.indicators}


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
    """The points table, read once (2 queries) and reused for every agency and period."""

    groups: tuple[IndexGroup, ...]
    indicators: tuple[IndexIndicator, ...]

    @classmethod
    def load(cls) -> Table:
        return cls(
            tuple(IndexGroup.objects.order_by("number")),
            tuple(IndexIndicator.objects.order_by("group__number", "order", "code")),
        )


def _ratio(numerator: int, denominator: int) -> tuple[int, int, Decimal]:
    return numerator, denominator, rate(numerator, denominator)


def _satisfaction(i: Inputs) -> tuple[int, int, Decimal]:
    """5.4: 100% − (late rate + dissatisfied rate), never below 0; the numerator shown is
    the dossiers that cost points (late for 2.1, plus dissatisfied ratings)."""
    den = i.processed
    if not den:
        return i.costing + i.rated_dissatisfied, den, Decimal(0)
    value = HUNDRED - rate(i.costing, den) - rate(i.rated_dissatisfied, den)
    return i.costing + i.rated_dissatisfied, den, max(value, Decimal(0))


#: indicator → (numerator, denominator, rate) from the inputs.
MEASURES: dict[str, Callable[[Inputs], tuple[int, int, Decimal]]] = {
    "1.1": lambda i: _ratio(
        sum(v.decision_on_time for v in i.published_versions), len(i.published_versions)
    ),
    "1.2": lambda i: _ratio(sum(v.published_on_time for v in i.due_versions), len(i.due_versions)),
    "1.3": lambda i: _ratio(sum(p.complete for p in i.procedures), len(i.procedures)),
    "2.1": lambda i: _ratio(i.in_time, i.processed),
    "3.1": lambda i: _ratio(len(i.online_services), len(i.procedures)),
    "3.2": lambda i: _ratio(
        len(i.online_services) - len(i.unused_services), len(i.online_services)
    ),
    "3.3": lambda i: _ratio(max(i.online - i.online_paper, 0), i.received),
    "4.1": lambda i: _ratio(i.results_electronic, i.returned),
    "4.2": lambda i: _ratio(i.results_digitised, i.ended),
    "4.3": lambda i: _ratio(i.received_reused, i.received),
    "4.4": lambda i: _ratio(i.datastore_used, i.received),
    "5.4": _satisfaction,
}
PARTIALLY = frozenset({"5.4"})


def _measure(ind: IndexIndicator, inputs: Inputs) -> Score:
    base = {"code": ind.code, "name": ind.name, "points": ind.points, "threshold": ind.threshold}
    measure = MEASURES.get(ind.code)
    note = str(REASONS.get(ind.code, ""))
    if measure is None:
        return Score(**base, status=NOT_MEASURED, note=note)
    num, den, value = measure(inputs)
    status = PARTIAL if ind.code in PARTIALLY else MEASURED
    return Score(
        **base,
        status=status,
        rate=value,
        score=points_for(value, ind.points, ind.threshold),
        numerator=num,
        denominator=den,
        note=note,
        formula=str(FORMULAS.get(ind.code, "")),
    )


def score(inputs: Inputs, table: Table, period: Period) -> IndexResult:
    """The index of one agency (or selection) from its inputs (no query)."""
    groups = {g.pk: GroupScore(g.number, g.name, g.max_points) for g in table.groups}
    for ind in table.indicators:
        groups[ind.group_id].indicators.append(_measure(ind, inputs))
    warnings = [
        _("Nhóm %(group)s: tổng điểm các chỉ số (%(sum)s) khác điểm tối đa của nhóm (%(max)s).")
        % {
            "group": g.number,
            "sum": sum(i.points for i in g.indicators),
            "max": g.max_points,
        }
        for g in groups.values()
        if sum((i.points for i in g.indicators), Decimal(0)) != g.max_points
    ]
    return IndexResult(period, inputs, list(groups.values()), warnings)


def compute(
    selection: queries.Selection,
    period: Period,
    *,
    now: dt.datetime,
    scope: tuple[Q, Q] | None = None,
    table: Table | None = None,
) -> IndexResult:
    """The index of a selection over a period (4 input queries + the points table)."""
    found = index_inputs.by_agency(selection, period, now, scope)
    return score(index_inputs.total(found), table or Table.load(), period)


@dataclass(frozen=True)
class Ranked:
    position: int
    agency: object
    result: IndexResult


def ranking(
    selection: queries.Selection,
    period: Period,
    *,
    now: dt.datetime,
    scope: tuple[Q, Q] | None = None,
) -> list[Ranked]:
    """Every agency of the selection (with the agencies below it) scored and ranked by total
    (then by name); equal totals share a position."""
    from motcua.org.models import Agency

    wide = queries.Selection(selection.agency, subordinates=True)
    found = index_inputs.by_agency(wide, period, now, scope)
    table = Table.load()
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=list(found))}
    scored = sorted(
        ((agencies[pk], score(inputs, table, period)) for pk, inputs in found.items()),
        key=lambda pair: (-pair[1].total, pair[0].name),
    )
    ranked, position, previous = [], 0, None
    for i, (agency, result) in enumerate(scored, start=1):
        if result.total != previous:
            position, previous = i, result.total
        ranked.append(Ranked(position, agency, result))
    return ranked


def trend(
    selection: queries.Selection,
    periods: list[Period],
    *,
    now: dt.datetime,
    scope: tuple[Q, Q] | None = None,
) -> list[IndexResult]:
    """The index over consecutive periods (e.g. the months of a year), for a trend chart."""
    table = Table.load()
    return [compute(selection, p, now=now, scope=scope, table=table) for p in periods]
