"""Reads of ratings: the questions, whether a link or a counter transaction is open for
rating, and the aggregates for staff and supervisors.

The aggregates read the tallies (:mod:`motcua.ratings.models.tallies`), filtered by the
permission service, so each page costs a fixed number of queries however many ratings, units
or grants there are (pinned in tests/ratings/test_queries.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.lifecycle import END_STATES, State
from motcua.dossiers.models import Dossier
from motcua.org.models import Counter, Unit
from motcua.ratings import access
from motcua.ratings.errors import AlreadyRated, InvalidLink, LinkExpired, NotRateable
from motcua.ratings.models import (
    AnswerTally,
    CounterSession,
    Criterion,
    Kind,
    OfficerTally,
    Rating,
    RatingToken,
    Tablet,
    UnitTally,
)
from motcua.ratings.tokens import rating_path, token_hash

#: A dossier can be rated once its processing has ended (DOMAIN.md "Timeliness").
RATEABLE_STATES = frozenset(END_STATES | {State.ARCHIVED})
#: Comments shown on a unit's page, officers listed on the supervisors' page.
RECENT_COMMENTS = 10
TOP_OFFICERS = 50


# --- the form ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    kind: str
    required: bool
    choices: list[tuple[int, str]]


def active_criteria() -> list[Criterion]:
    return list(Criterion.objects.filter(active=True))


def questions(criteria: list[Criterion], language: str = "vi") -> list[Question]:
    return [
        Question(c.key, c.question(language), c.kind, c.required, c.choices(language))
        for c in criteria
    ]


# --- can this be rated? ------------------------------------------------------------------


def has_rating(dossier: Dossier) -> bool:
    try:
        return dossier.rating is not None
    except Rating.DoesNotExist:
        return False


def check_rateable(dossier: Dossier) -> None:
    if dossier.state not in RATEABLE_STATES:
        raise NotRateable(
            _("Hồ sơ %(code)s chưa giải quyết xong: mời đánh giá khi nhận kết quả.")
            % {"code": dossier.display_code}
        )


def check_link(row: RatingToken | None, code: str, now: dt.datetime) -> None:
    """Raise the error that says why the link cannot be used (nothing when it can)."""
    if row is None or row.dossier.display_code != code:
        raise InvalidLink()
    if row.used_at is not None or has_rating(row.dossier):
        raise AlreadyRated()
    if row.expires_at <= now:
        raise LinkExpired()
    check_rateable(row.dossier)


def open_link(code: str, token: str, now: dt.datetime) -> Dossier:
    """The dossier a rating link opens (one query), or the error that explains why not."""
    row = (
        RatingToken.objects.select_related(
            "dossier__procedure_version", "dossier__receiving_agency", "dossier__rating"
        )
        .filter(token_hash=token_hash(token))
        .first()
        if token
        else None
    )
    check_link(row, code, now)
    return row.dossier


def invitation_path(dossier: Dossier, now: dt.datetime | None = None) -> str | None:
    """For the tracking page: the rating link of ``dossier`` while it can still be used."""
    row = RatingToken.objects.select_related("dossier__rating").filter(dossier=dossier).first()
    try:
        check_link(row, dossier.display_code, now or timezone.now())
    except (InvalidLink, AlreadyRated, LinkExpired, NotRateable):
        return None
    return rating_path(dossier, from_tracking=True)


# --- counters and their tablets ------------------------------------------------------------


def counter(counter_id: int) -> Counter | None:
    return Counter.objects.select_related("unit__agency").filter(pk=counter_id).first()


def tablet_paired(key: str, counter_id: int, now: dt.datetime) -> bool:
    """Whether the device holding ``key`` is a paired, unrevoked tablet of the counter."""
    if not key:
        return False
    return Tablet.objects.filter(
        key_hash=token_hash(key), counter_id=counter_id, revoked=False, expires_at__gt=now
    ).exists()


def current_session(counter_id: int, now: dt.datetime) -> CounterSession | None:
    """The open transaction of the counter, with its dossier and officer (one query)."""
    return (
        CounterSession.objects.select_related("dossier__procedure_version", "officer")
        .filter(counter_id=counter_id, ended_at__isnull=True, expires_at__gt=now)
        .first()
    )


def current_session_id(counter_id: int, now: dt.datetime) -> int | None:
    return (
        CounterSession.objects.filter(
            counter_id=counter_id, ended_at__isnull=True, expires_at__gt=now
        )
        .values_list("pk", flat=True)
        .first()
    )


def session_candidates(counter: Counter, limit: int = 8) -> list[Dossier]:
    """Dossiers of the counter's unit that wait for, or just had, their result handed over
    and have no rating yet: what an officer usually puts on the tablet."""
    return list(
        Dossier.objects.select_related("procedure_version")
        .filter(
            receiving_unit_id=counter.unit_id,
            state__in=[State.RESOLVED, State.RETURNED],
            rating__isnull=True,
        )
        .order_by("-updated_at")[:limit]
    )


# --- aggregates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole local days, both ends included."""

    start: dt.date
    end: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end


@dataclass(frozen=True)
class Totals:
    ratings: int = 0
    satisfied: int = 0

    @property
    def dissatisfied(self) -> int:
        return self.ratings - self.satisfied

    @property
    def rate(self) -> float | None:
        """Share of satisfied ratings, in percent (None without ratings)."""
        return 100 * self.satisfied / self.ratings if self.ratings else None


@dataclass(frozen=True)
class CriterionStat:
    key: str
    question: str
    kind: str
    answers: int
    average: float | None = None  # scale: mean of 1–5; choice: mean of the option values
    yes_rate: float | None = None  # yes/no: share of "yes", in percent
    distribution: list[tuple[str, int, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: a unit, an officer or a month, with its totals."""

    key: object
    label: str
    detail: str
    totals: Totals


@dataclass(frozen=True)
class Comment:
    at: dt.datetime
    code: str
    score: int
    satisfied: bool
    text: str


def _sum(qs) -> Totals:
    got = qs.aggregate(r=Sum("ratings"), s=Sum("satisfied"))
    return Totals(got["r"] or 0, got["s"] or 0)


def _annotated(qs):
    return qs.annotate(r=Sum("ratings"), s=Sum("satisfied"))


def visible_units(user) -> list[Unit]:
    """Units whose ratings ``user`` may read, for the unit page's selector (one query)."""
    qs = Unit.objects.filter(access.units_q(user), is_active=True).select_related("agency")
    return list(qs.order_by("agency__name", "name"))


def criterion_stats(answers_qs, language: str = "vi") -> list[CriterionStat]:
    """Per criterion: averages, yes rates and the share of each option (two queries)."""
    counts: dict[int, dict[int, int]] = {}
    for row in answers_qs.values("criterion_id", "value").annotate(n=Sum("answers")):
        counts.setdefault(row["criterion_id"], {})[row["value"]] = row["n"]
    stats = []
    for c in Criterion.objects.filter(Q(active=True) | Q(pk__in=list(counts))):
        stats.append(_stat(c, counts.get(c.pk, {}), language))
    return stats


def _stat(c: Criterion, values: dict[int, int], language: str) -> CriterionStat:
    total = sum(values.values())
    if not total:
        return CriterionStat(c.key, c.question(language), c.kind, 0)
    mean = sum(v * n for v, n in values.items()) / total
    spread = [
        (label, values.get(v, 0), 100 * values.get(v, 0) / total)
        for v, label in c.choices(language)
    ]
    if c.kind == Kind.YES_NO:
        return CriterionStat(c.key, c.question(language), c.kind, total, yes_rate=100 * mean)
    return CriterionStat(c.key, c.question(language), c.kind, total, mean, None, spread)


def _officers(qs) -> list[Row]:
    rows = _annotated(
        qs.values(
            "user_id",
            "user__full_name",
            "user__first_name",
            "user__last_name",
            "user__username",
            "unit__name",
        )
    ).order_by("-r", "user__username")[:TOP_OFFICERS]
    return [Row(r["user_id"], _name(r), r["unit__name"], Totals(r["r"], r["s"])) for r in rows]


def _name(row: dict) -> str:
    full = f"{row['user__last_name']} {row['user__first_name']}".strip()
    return row["user__full_name"] or full or row["user__username"]


def recent_comments(unit: Unit, period: Period) -> list[Comment]:
    start, end = period.bounds()
    rows = (
        Rating.objects.filter(units=unit, submitted_at__gte=start, submitted_at__lt=end)
        .exclude(comment="")
        .select_related("dossier")
        .order_by("-submitted_at", "-pk")[:RECENT_COMMENTS]
    )
    return [
        Comment(r.submitted_at, r.dossier.display_code, r.overall_score, r.satisfied, r.comment)
        for r in rows
    ]


@dataclass(frozen=True)
class UnitReport:
    unit: Unit
    period: Period
    totals: Totals
    criteria: list[CriterionStat]
    officers: list[Row]
    comments: list[Comment]


def unit_report(unit: Unit, period: Period, language: str = "vi") -> UnitReport:
    """A unit's ratings over ``period``: dossiers it received or handled (five queries)."""
    days = {"unit": unit, "day__gte": period.start, "day__lte": period.end}
    return UnitReport(
        unit=unit,
        period=period,
        totals=_sum(UnitTally.objects.filter(kind=UnitTally.Kind.HANDLED, **days)),
        criteria=criterion_stats(AnswerTally.objects.filter(**days), language),
        officers=_officers(OfficerTally.objects.filter(**days)),
        comments=recent_comments(unit, period),
    )


@dataclass(frozen=True)
class ScopeReport:
    period: Period
    totals: Totals
    units: list[Row]
    months: list[Row]
    officers: list[Row]


def scope_report(user, period: Period) -> ScopeReport:
    """Aggregates over the supervisor's scope: overall, per unit, per month and per officer
    (four queries). Overall and monthly totals count each rating once, at its receiving unit;
    the unit lines count it at every unit that handled the dossier."""
    scope = access.scope_q(user, path="unit__agency__path", unit="unit_id")
    days = Q(day__gte=period.start, day__lte=period.end)
    received = UnitTally.objects.filter(scope, days, kind=UnitTally.Kind.RECEIVING)
    handled = UnitTally.objects.filter(scope, days, kind=UnitTally.Kind.HANDLED)
    units = _annotated(handled.values("unit_id", "unit__name", "unit__agency__name"))
    months = _annotated(received.annotate(month=TruncMonth("day")).values("month"))
    return ScopeReport(
        period=period,
        totals=_sum(received),
        units=[
            Row(r["unit_id"], r["unit__name"], r["unit__agency__name"], Totals(r["r"], r["s"]))
            for r in units.order_by("unit__agency__name", "unit__name")
        ],
        months=[Row(r["month"], "", "", Totals(r["r"], r["s"])) for r in months.order_by("month")],
        officers=_officers(OfficerTally.objects.filter(scope, days)),
    )


# --- for the service-quality index (Decision 766, group 5) ---------------------------------


def agency_totals(agency_path: str, period: Period) -> Totals:
    """Rated and satisfied dossiers received under ``agency_path`` (and the agencies below):
    a dissatisfied rating is the "dislike" of indicator 5.4."""
    return _sum(
        UnitTally.objects.filter(
            unit__agency__path__startswith=agency_path,
            kind=UnitTally.Kind.RECEIVING,
            day__gte=period.start,
            day__lte=period.end,
        )
    )


def dissatisfied_dossiers(agency_path: str, period: Period):
    """The dossiers that cost points: rated dissatisfied in the period, newest first."""
    start, end = period.bounds()
    return Dossier.objects.filter(
        rating__satisfied=False,
        rating__agency__path__startswith=agency_path,
        rating__submitted_at__gte=start,
        rating__submitted_at__lt=end,
    ).order_by("-rating__submitted_at")
