"""Publication of procedures (công bố, công khai TTHC): the inputs of Decision 766 indicators
1.1 and 1.2, from the catalogue's dates.

* 1.1 — the publication decision (quyết định công bố) must be issued, at province level, at
  least 5 working days before the legal basis takes effect: on time when the fifth working
  day after the decision date is on or before ``valid_from``.
* 1.2 — the procedure must be made public on the database within 5 working days of the
  decision: on time when ``published_at`` falls on or before the fifth working day after
  the decision date; it is due in the period in which that fifth working day falls.

Working days are counted like a time limit (Civil Code 2015 Art. 147: from the day after the
event) in the national working calendar (``motcua.worktime``: holidays and the government's
make-up days), the same for every agency of a province. Which versions count for an agency:
every version of a procedure it offers (an active offering of any of its versions), so that a
newly published version counts before the offering is moved to it; a province counts each
version once (the rows are merged by version).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.catalog.models import Offering
from motcua.supervision.dimensions import Period, local_day
from motcua.worktime.engine import Calendar

#: Working days: decision → legal basis in force (1.1, province) and → made public (1.2).
DAYS_BEFORE_EFFECT = 5
DAYS_TO_PUBLISH = 5
#: Calendar days that surely hold 5 working days (Tết and weekends included).
_SPAN = dt.timedelta(days=40)


@dataclass(frozen=True)
class VersionRow:
    """A procedure version as indicators 1.1 and 1.2 see it for one period."""

    version_id: int
    code: str
    name: str
    number: int
    decision_number: str
    decision_date: dt.date | None
    valid_from: dt.date | None
    published_on: dt.date | None  # local date of ``published_at``
    published_in: bool  # published inside the period (1.1 denominator)
    decision_on_time: bool  # ≥ 5 working days before valid_from (1.1 numerator)
    publish_by: dt.date | None  # fifth working day after the decision
    due_in: bool  # publish_by inside the period (1.2 denominator)
    published_on_time: bool  # published on or before publish_by (1.2 numerator)

    @property
    def decision_reason(self) -> str:
        """Why the version costs 1.1 points ("" when it does not)."""
        if not self.published_in or self.decision_on_time:
            return ""
        if self.decision_date is None:
            return _("chưa ghi ngày ban hành quyết định công bố")
        if self.valid_from is None:
            return _("chưa ghi ngày văn bản quy định TTHC có hiệu lực")
        return _(
            "quyết định ban hành ngày %(d)s, văn bản có hiệu lực ngày %(v)s: chưa đủ "
            "%(n)s ngày làm việc"
        ) % {
            "d": self.decision_date.strftime("%d/%m/%Y"),
            "v": self.valid_from.strftime("%d/%m/%Y"),
            "n": DAYS_BEFORE_EFFECT,
        }

    @property
    def publish_reason(self) -> str:
        """Why the version costs 1.2 points ("" when it does not)."""
        if not self.due_in or self.published_on_time:
            return ""
        due = self.publish_by.strftime("%d/%m/%Y")
        if self.published_on is None:
            return _("chưa công khai (hạn %(due)s)") % {"due": due}
        return _("công khai ngày %(on)s, quá hạn %(due)s") % {
            "on": self.published_on.strftime("%d/%m/%Y"),
            "due": due,
        }


def working_day_after(calendar: Calendar, day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
    return calendar.working_days_in(day + dt.timedelta(days=1), day + _SPAN)[count - 1]


def by_agency(offering_where: Q, period: Period) -> list[tuple[int, VersionRow]]:
    """(agency id, row) for the versions of the procedures each agency offers that were
    published in the period or whose decision's publication deadline may fall in it (one
    query; the calendar is read only when a row needs it)."""
    window = Q(
        version__procedure__versions__published_at__gte=period.start,
        version__procedure__versions__published_at__lt=period.end,
    ) | Q(
        version__procedure__versions__decision_date__gte=period.first - _SPAN,
        version__procedure__versions__decision_date__lte=period.last,
    )
    prefix = "version__procedure__versions__"
    rows = (
        Offering.objects.filter(offering_where, window, is_active=True)
        .values_list(
            "agency_id",
            f"{prefix}id",
            "version__procedure__code",
            f"{prefix}name",
            f"{prefix}number",
            f"{prefix}decision_number",
            f"{prefix}decision_date",
            f"{prefix}valid_from",
            f"{prefix}published_at",
        )
        .order_by("agency_id", "version__procedure__code", f"{prefix}number")
        .distinct()
    )
    found, calendar = [], None
    for agency_id, version_id, code, name, number, decision, decided, valid, published in rows:
        if calendar is None:
            from motcua.worktime.queries import calendar_for

            calendar = calendar_for(None)
        row = _row(
            calendar, period, (version_id, code, name, number, decision, decided, valid, published)
        )
        found.append((agency_id, row))
    return found


def _row(calendar: Calendar, period: Period, values: tuple) -> VersionRow:
    version_id, code, name, number, decision, decided, valid, published = values
    published_on = local_day(published) if published else None
    published_in = published is not None and period.start <= published < period.end
    on_time = bool(
        decided and valid and working_day_after(calendar, decided, DAYS_BEFORE_EFFECT) <= valid
    )
    publish_by = working_day_after(calendar, decided, DAYS_TO_PUBLISH) if decided else None
    due_in = publish_by is not None and period.first <= publish_by <= period.last
    return VersionRow(
        version_id=version_id,
        code=code,
        name=name,
        number=number,
        decision_number=decision,
        decision_date=decided,
        valid_from=valid,
        published_on=published_on,
        published_in=published_in,
        decision_on_time=on_time,
        publish_by=publish_by,
        due_in=due_in,
        published_on_time=bool(published_on and publish_by and published_on <= publish_by),
    )
