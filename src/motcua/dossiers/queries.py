"""Reads of dossiers: work queues, one dossier with its history, the control sheet and the
register (Mẫu 06 and Mẫu 07 are views over the events, never separate records).

Queues are filtered by the permission service (O(1) queries whatever the user's scope) and
ordered by urgency (due date first); the indexes on ``Dossier`` match these filters. Each row
carries whether the applicant has an open request to stop or to withdraw it (two ``EXISTS``
columns of the same query, never a query per row).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.lifecycle import OPEN_STATES, State
from motcua.dossiers.models import Dossier, DossierEvent, StepInstance
from motcua.org import permissions
from motcua.org.models import Role
from motcua.worktime.queries import calendar_for


class Queue(StrEnum):
    MINE = "mine"  # hồ sơ của tôi
    UNIT = "unit"  # hồ sơ của đơn vị
    APPROVAL = "approval"  # chờ tôi phê duyệt
    APOLOGISE = "apologise"  # phải xin lỗi hôm nay
    OVERDUE = "overdue"  # quá hạn
    INTAKE = "intake"  # hồ sơ trực tuyến chờ tiếp nhận
    RETURN = "return"  # có kết quả, chờ trả
    REQUESTS = "requests"  # công dân đề nghị dừng, rút hồ sơ: chờ một cửa xử lý


QUEUE_LABELS = {
    Queue.MINE: _("Hồ sơ của tôi"),
    Queue.UNIT: _("Hồ sơ của đơn vị"),
    Queue.APPROVAL: _("Chờ tôi phê duyệt"),
    Queue.APOLOGISE: _("Phải xin lỗi, hẹn lại hôm nay"),
    Queue.OVERDUE: _("Quá hạn"),
    Queue.INTAKE: _("Trực tuyến chờ tiếp nhận"),
    Queue.RETURN: _("Có kết quả, chờ trả"),
    Queue.REQUESTS: _("Công dân đề nghị dừng, rút hồ sơ"),
}


class RequestFilter(StrEnum):
    """Queue rows by the applicant's open request (``QueueFilters.request``)."""

    ANY = "any"  # dừng or rút
    STOP = "stop"  # đề nghị dừng giải quyết (Decree 118/2025 Art. 21)
    WITHDRAW = "withdraw"  # đề nghị rút hồ sơ


#: The row attributes (annotations) that flag an open request of each kind.
REQUEST_FLAGS = {
    RequestFilter.STOP: "stop_requested",
    RequestFilter.WITHDRAW: "withdrawal_requested",
}

_ROW_RELATED = ("procedure_version__procedure", "current_step", "assignee")
#: What queue rows read (the pages, the API, the counter screen, urgency); the other
#: columns (long texts of the procedure version, most of the dossier) are neither read nor
#: turned into Python values: at 100 rows a page, building instances is most of a call.
_ROW_KEEP = {
    "": (
        "code",
        "reference",
        "version",
        "procedure_version",
        "channel",
        "receiving_agency",
        "receiving_unit",
        "competent_agency",
        "applicant_name",
        "applicant_id_number",
        "submitted_at",
        "received_at",
        "due_at",
        "state",
        "current_step",
        "current_unit",
        "current_agency",
        "assignee",
        "apologised",
    ),
    "procedure_version": ("procedure", "name", "number"),
    "procedure_version__procedure": ("code",),
    "current_step": ("dossier", "name", "role", "order", "due_at", "assignee"),
    "assignee": ("username", "full_name", "first_name", "last_name", "is_active"),
}


@functools.cache
def _row_fields() -> tuple[str, ...]:
    return tuple(
        f"{path}__{name}" if path else name for path, keep in _ROW_KEEP.items() for name in keep
    )


@dataclass(frozen=True)
class QueueFilters:
    procedure_code: str = ""
    state: str = ""
    channel: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    request: str = ""  # a ``RequestFilter`` value: rows with an open request of that kind


def _in_scope(user, action: str = "dossier.view") -> Q:
    return permissions.scope_q(
        user,
        action,
        agency_path_field="current_agency__path",
        unit_field="current_unit_id",
        agency_field="current_agency_id",
    )


def _at_reception(user, action: str = "dossier.receive") -> Q:
    return permissions.scope_q(
        user,
        action,
        agency_path_field="receiving_agency__path",
        unit_field="receiving_unit_id",
        agency_field="receiving_agency_id",
    )


def _requests():
    """The applicant's requests to stop or withdraw (``portal.ApplicantRequest``, kept by the
    portal that receives them), reached through ``Dossier.applicant_requests``."""
    return Dossier._meta.get_field("applicant_requests").related_model.objects


def _open_request(kind: str) -> Exists:
    """Whether the row's applicant has an open request of ``kind``: one probe of the
    partial unique index ``one_open_request_per_kind`` per row, inside the row query."""
    return Exists(_requests().filter(dossier=OuterRef("pk"), kind=kind, status="open"))


def with_request_flags(qs: QuerySet[Dossier], *, none: bool = False) -> QuerySet[Dossier]:
    """``qs`` with ``stop_requested`` and ``withdrawal_requested`` on each row (``none``:
    constant false, for rows that cannot have an open request)."""
    if none:
        false = Value(False, output_field=BooleanField())
        return qs.annotate(**dict.fromkeys(REQUEST_FLAGS.values(), false))
    return qs.annotate(**{flag: _open_request(kind) for kind, flag in REQUEST_FLAGS.items()})


def open_request_kinds(dossier: Dossier) -> list[str]:
    """The kinds of the applicant's open requests, read from the flags the dossier was
    loaded with (queues, :func:`dossier_detail`); none when it was loaded without them."""
    return [str(kind) for kind, flag in REQUEST_FLAGS.items() if getattr(dossier, flag, False)]


def offered(spec, dossier: Dossier) -> bool:
    """Whether pages offer ``spec`` on ``dossier`` (beyond state and permission): an action
    on the applicant's request only while one is open. No query: pages that offer it load
    the dossier with its flags (``dossier_detail``); the handler checks again under lock."""
    return not spec.needs_open_request or bool(open_request_kinds(dossier))


def queue(
    user, kind: Queue | str, *, now: dt.datetime | None = None, filters: QueueFilters | None = None
) -> QuerySet[Dossier]:
    """The dossiers of one work queue for ``user``, most urgent first, each flagged with the
    applicant's open requests (:func:`with_request_flags`)."""
    now = now or timezone.now()
    kind = Queue(kind)
    qs = Dossier.objects.select_related(*_ROW_RELATED).only(*_row_fields())
    # Not yet received or already decided: no request can be open (they close at the end).
    qs = with_request_flags(qs, none=kind in (Queue.INTAKE, Queue.RETURN))
    open_ = Q(state__in=OPEN_STATES)
    if kind is Queue.MINE:
        qs = qs.filter(open_, assignee=user)
    elif kind is Queue.UNIT:
        qs = qs.filter(open_, _in_scope(user))
    elif kind is Queue.APPROVAL:
        qs = qs.filter(
            _in_scope(user, "dossier.approve"),
            state=State.IN_PROCESS,
            current_step__role=Role.UNIT_LEADER,
        )
    elif kind is Queue.OVERDUE:
        qs = qs.filter(open_, _in_scope(user), due_at__lt=now)
    elif kind is Queue.APOLOGISE:
        low, high = apology_window(now)
        qs = qs.filter(open_, _in_scope(user), apologised=False, due_at__gte=low, due_at__lte=high)
    elif kind is Queue.INTAKE:
        return _filtered(qs.filter(_at_reception(user), state=State.SUBMITTED), filters).order_by(
            "submitted_at", "pk"
        )
    elif kind is Queue.RETURN:
        qs = qs.filter(_at_reception(user), state=State.RESOLVED)
    elif kind is Queue.REQUESTS:  # the one-stop unit that received it records stop/withdraw
        qs = qs.filter(_at_reception(user, "dossier.stop"), open_, _any_request())
    return _filtered(qs, filters).order_by("due_at", "pk")


def _any_request() -> Q:
    return Q(**{flag: True for flag in REQUEST_FLAGS.values()}, _connector=Q.OR)


def _filtered(qs: QuerySet, filters: QueueFilters | None) -> QuerySet:
    if filters is None:
        return qs
    if filters.procedure_code:
        qs = qs.filter(procedure_version__procedure__code=filters.procedure_code)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.received_from:
        qs = qs.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(received_at__date__lte=filters.received_to)
    if filters.request == RequestFilter.ANY:
        qs = qs.filter(_any_request())
    elif filters.request in REQUEST_FLAGS:
        qs = qs.filter(**{REQUEST_FLAGS[RequestFilter(filters.request)]: True})
    return qs


def apology_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Due dates whose last apology moment (1 working day before) falls today.

    Uses the national calendar for the window; each dossier's own calendar decides when the
    apology action itself is refused.
    """
    cal = calendar_for(None)
    local_day_end = now.astimezone(cal.tz).replace(hour=23, minute=59, second=0, microsecond=0)
    return cal.add_working_days(now, 1), cal.add_working_days(local_day_end, 1)


class Urgency(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"  # within 1 working day
    WARN = "warn"  # within the apology warning (2 working days)
    OVERDUE = "overdue"
    NONE = "none"


def urgency(dossier: Dossier, now: dt.datetime) -> tuple[Urgency, int | None]:
    """Colour class and working minutes left (negative when overdue), for queue rows."""
    if dossier.due_at is None or dossier.state not in OPEN_STATES:
        return Urgency.NONE, None
    cal = calendar_for(dossier.competent_agency_id)
    if now > dossier.due_at:
        return Urgency.OVERDUE, -cal.working_minutes_between(dossier.due_at, now)
    left = cal.working_minutes_between(now, dossier.due_at)
    if left <= cal.minutes_per_day:
        return Urgency.DUE_SOON, left
    if left <= settings.APOLOGY_WARNING_DAYS * cal.minutes_per_day:
        return Urgency.WARN, left
    return Urgency.ON_TRACK, left


def dossier_detail(code_or_reference: str) -> Dossier | None:
    """One dossier with everything its page shows, in a fixed number of queries (the
    applicant's open requests are flags of the same row, :func:`with_request_flags`)."""
    return (
        with_request_flags(Dossier.objects)
        .select_related(
            "procedure_version__procedure",
            "procedure_version__field",
            "case",
            "offering",
            "receiving_agency",
            "receiving_unit",
            "competent_agency",
            "current_step",
            "current_unit",
            "current_agency",
            "assignee",
            "signer",
            "counter",
        )
        .prefetch_related("components", "pauses")
        .filter(Q(code=code_or_reference) | Q(reference=code_or_reference))
        .first()
    )


def history(dossier: Dossier) -> list[DossierEvent]:
    return list(dossier.events.select_related("actor", "step").order_by("seq"))


@dataclass(frozen=True)
class ControlRow:
    """One hand-off of the control sheet (Mẫu 06)."""

    step: str
    giver: str
    receiver: str
    handed_at: dt.datetime
    step_due: dt.datetime
    finished_at: dt.datetime | None
    timeliness: str
    note: str


def control_sheet(dossier: Dossier) -> list[ControlRow]:
    """Mẫu 06: each hand-off (giver, receiver, time, step due, early/on time/late).

    The giver is the officer whose action started the step (the first event naming it);
    the receiver is the unit (or, for interconnected steps, the agency) that owns it.
    """
    steps = list(
        StepInstance.objects.filter(dossier=dossier)
        .select_related("owner_unit", "owner_agency")
        .order_by("started_at", "pk")
    )
    givers: dict[int, str] = {}
    for step_id, actor_name in (
        DossierEvent.objects.filter(dossier=dossier, step__isnull=False)
        .order_by("seq")
        .values_list("step_id", "actor_name")
    ):
        givers.setdefault(step_id, actor_name)
    rows = []
    for step in steps:
        receiver = step.owner_unit.name if step.owner_unit else step.owner_agency.name
        rows.append(
            ControlRow(
                step.name,
                givers.get(step.pk, ""),
                receiver,
                step.started_at,
                step.due_at,
                step.finished_at,
                step.timeliness,
                "",
            )
        )
    return rows


def register(user, *, day_from: dt.date, day_to: dt.date) -> QuerySet[Dossier]:
    """Mẫu 07: dossiers received by the user's one-stop unit(s) in a date range."""
    return (
        Dossier.objects.filter(
            _at_reception(user), received_at__date__gte=day_from, received_at__date__lte=day_to
        )
        .select_related("procedure_version__procedure", "competent_agency")
        .order_by("received_at", "pk")
    )


# --- Back-office reads (motcua.backoffice) ------------------------------------------------


def queue_counts(user, kinds=tuple(Queue), *, now: dt.datetime | None = None) -> dict:
    """How many dossiers each of ``kinds`` holds for ``user``: one query for all of them
    (``SELECT (SELECT COUNT(*) FROM (<queue 1>)), (…)``), for the back-office navigation."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    now = now or timezone.now()
    kinds = [Queue(k) for k in kinds]
    parts: list[str] = []
    params: list = []
    for i, kind in enumerate(kinds):
        try:
            sql, args = queue(user, kind, now=now).order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # no grant for this queue: nothing to count
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) q{i})")
        params.extend(args)
    if not parts:
        return {}
    if all(p == "0" for p in parts):
        return dict.fromkeys(kinds, 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {kind: int(n) for kind, n in zip(kinds, row, strict=True)}


def assignable_users(dossier: Dossier) -> list:
    """Active staff holding the current step's role in the unit (or agency) that owns it:
    the choices of the ``assign`` action (one query)."""
    from django.contrib.auth import get_user_model

    from motcua.org.models import RoleAssignment

    step = dossier.current_step
    if step is None or dossier.current_agency_id is None:
        return []
    today = timezone.localdate()
    grants = RoleAssignment.objects.filter(
        Q(unit_id=dossier.current_unit_id) | Q(unit__isnull=True),
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        role=step.role,
        agency_id=dossier.current_agency_id,
    )
    users = get_user_model().objects.filter(is_active=True, pk__in=grants.values("user_id"))
    return list(users.order_by("full_name", "username"))


def previous_applicant(user, id_number: str) -> Dossier | None:
    """The latest dossier of the applicant with ``id_number`` among the dossiers ``user``
    may see (received by their one-stop unit or in their scope), to prefill intake."""
    number = (id_number or "").replace(" ", "").replace(".", "")
    if not number:
        return None
    return (
        Dossier.objects.filter(_at_reception(user) | _in_scope(user), applicant_id_number=number)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def reception_agencies(user) -> list:
    """Agencies whose one-stop unit ``user`` may receive dossiers for (one query)."""
    from motcua.org.models import Agency

    q = permissions.scope_q(
        user, "dossier.receive", agency_path_field="path", unit_field="units__id"
    )
    return list(Agency.objects.filter(q).distinct().order_by("name", "pk"))


def reception_units(user) -> list:
    """One-stop units ``user`` receives for: the choices of the register (Mẫu 07)."""
    from motcua.org.models import Unit

    q = permissions.scope_q(
        user, "dossier.receive", agency_path_field="agency__path", unit_field="id"
    )
    units = Unit.objects.filter(q, kind=Unit.Kind.ONE_STOP, is_active=True).select_related("agency")
    return list(units.order_by("agency__name", "name", "pk"))


def register_rows(
    user, *, day_from: dt.date, day_to: dt.date, unit_id: int | None = None
) -> QuerySet[Dossier]:
    """Mẫu 07 rows: :func:`register` with the hand-off dates read from the events — sent to
    the processing agency (first transfer) and result back (reaching ``resolved``)."""
    from django.db.models import OuterRef, Subquery

    def first(**match):
        events = DossierEvent.objects.filter(dossier=OuterRef("pk"), **match).order_by("seq")
        return Subquery(events.values("at")[:1])

    rows = register(user, day_from=day_from, day_to=day_to).select_related("receiving_unit")
    if unit_id is not None:
        rows = rows.filter(receiving_unit_id=unit_id)
    return rows.annotate(
        sent_at=first(action="transfer"), result_back_at=first(to_state=State.RESOLVED)
    )


@dataclass(frozen=True)
class IntakeRow:
    """An online dossier awaiting the intake answer, with the answer deadline."""

    dossier: Dossier
    answer_due: dt.datetime
    minutes_left: int  # working minutes; negative when the answer is late
    urgency: Urgency


def intake_answer_due(dossier: Dossier) -> dt.datetime:
    """When the intake answer to an online dossier is due: ``ONLINE_INTAKE_ANSWER_HOURS``
    working hours after submission, in the receiving agency's calendar (Decree 118 Art. 15)."""
    from motcua.worktime.limits import Limit

    limit = Limit(settings.ONLINE_INTAKE_ANSWER_HOURS, "working_hours")
    return calendar_for(dossier.receiving_agency_id).due(dossier.submitted_at, limit)


def intake_board(user, *, now: dt.datetime | None = None, limit: int = 200) -> list[IntakeRow]:
    """Online dossiers awaiting intake at ``user``'s one-stop unit(s), least time left first.

    Less than a quarter of the answer window left counts as due soon.
    """
    now = now or timezone.now()
    window = settings.ONLINE_INTAKE_ANSWER_HOURS * 60
    rows = []
    for d in queue(user, Queue.INTAKE, now=now, filters=QueueFilters(channel="online"))[:limit]:
        due = intake_answer_due(d)
        cal = calendar_for(d.receiving_agency_id)
        if now > due:
            left, level = -cal.working_minutes_between(due, now), Urgency.OVERDUE
        else:
            left = cal.working_minutes_between(now, due)
            level = Urgency.DUE_SOON if left * 4 <= window else Urgency.ON_TRACK
        rows.append(IntakeRow(d, due, left, level))
    return sorted(rows, key=lambda r: (r.minutes_left, r.dossier.pk))
