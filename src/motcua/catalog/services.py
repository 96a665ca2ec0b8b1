"""Commands on the catalogue: publishing versions, drafting changes, validating workflows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import (
    Channel,
    ChannelOption,
    Fee,
    FormTemplate,
    Offering,
    ProcedureVersion,
    TimeUnit,
)

#: Working hours in one working day under the default windows (07:30–11:30, 13:00–17:00).
HOURS_PER_WORKING_DAY = Decimal(8)
#: Working days assumed in a month when comparing step budgets with a limit in months.
WORKING_DAYS_PER_MONTH = Decimal(22)


def refresh_search_text(version: ProcedureVersion) -> None:
    """Recompute the folded search key of a version (name, code, field)."""
    from motcua.catalog.search import search_key

    field_name = version.field.name if version.field_id else ""
    version.search_text = search_key(version.name, version.procedure.code, field_name)


@transaction.atomic
def publish(
    version: ProcedureVersion,
    *,
    decision_number: str,
    valid_from: dt.date,
    decision_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ProcedureVersion:
    """Publish a draft (công bố): it becomes read-only; the version it replaces retires.

    ``decision_date`` is the day the publication decision was issued (ngày ban hành quyết
    định công bố); with ``valid_from`` (the day the legal basis takes effect) and the
    publication instant it measures Decision 766 indicators 1.1 and 1.2."""
    now = now or timezone.now()
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ProcedureVersion.Status.DRAFT:
        raise ValidationError(_("Chỉ công bố được bản nháp."))
    if not decision_number.strip():
        raise ValidationError(_("Cần số quyết định công bố."))
    decision_date = decision_date or version.decision_date
    if decision_date is not None:
        check_decision_date(decision_date, published_at=now)
    previous = ProcedureVersion.objects.filter(
        procedure_id=version.procedure_id, status=ProcedureVersion.Status.PUBLISHED
    )
    previous.update(
        status=ProcedureVersion.Status.RETIRED, valid_to=valid_from - dt.timedelta(days=1)
    )
    version.status = ProcedureVersion.Status.PUBLISHED
    version.decision_number = decision_number.strip()
    version.valid_from = valid_from
    version.decision_date = decision_date
    version.published_at = now
    version.save(
        update_fields=["status", "decision_number", "decision_date", "valid_from", "published_at"]
    )
    return version


def check_decision_date(decision_date: dt.date, *, published_at: dt.datetime | None) -> None:
    """A publication decision is issued before the procedure is made public (and so never
    in the future)."""
    latest = timezone.localdate(published_at) if published_at else timezone.localdate()
    if decision_date > latest:
        raise ValidationError(
            _("Ngày ban hành quyết định công bố (%(d)s) không thể sau ngày công khai TTHC (%(p)s).")
            % {"d": decision_date.strftime("%d/%m/%Y"), "p": latest.strftime("%d/%m/%Y")}
        )


@transaction.atomic
def record_decision_date(version: ProcedureVersion, decision_date: dt.date) -> ProcedureVersion:
    """Record the publication decision's date of a version published without it (the
    national catalogue gives the decision's number only). Once recorded it is part of the
    published version and does not change: the service-quality index of past periods
    (Decision 766, 1.1 and 1.2) rests on it."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.decision_date is not None and version.decision_date != decision_date:
        raise ValidationError(
            _("Phiên bản đã ghi ngày ban hành quyết định công bố %(d)s; không sửa được.")
            % {"d": version.decision_date.strftime("%d/%m/%Y")}
        )
    check_decision_date(decision_date, published_at=version.published_at)
    version.decision_date = decision_date
    version.save(update_fields=["decision_date"])
    return version


@transaction.atomic
def new_draft(version: ProcedureVersion) -> ProcedureVersion:
    """Start editing a published procedure: a new draft copying everything it says.

    Dossiers keep pointing at the version they were received under, so the published one is
    never changed in place. Returns the existing draft when there is one already.
    """
    existing = ProcedureVersion.objects.filter(
        procedure_id=version.procedure_id, status=ProcedureVersion.Status.DRAFT
    ).first()
    if existing:
        return existing
    source = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    last = source.procedure.versions.order_by("-number").values_list("number", flat=True)[0]
    competent = list(source.competent_agencies.all())
    options = [(o, list(o.fees.all())) for o in source.channels.prefetch_related("fees")]
    cases = [
        (c, [(comp, list(comp.forms.all())) for comp in c.components.all()])
        for c in source.cases.prefetch_related("components__forms")
    ]
    # From here on ``source`` is turned into the new draft row (pk reset), so every child
    # list above was read first.
    draft = _copy(
        source,
        number=last + 1,
        status=ProcedureVersion.Status.DRAFT,
        decision_number="",
        decision_date=None,
        valid_from=None,
        valid_to=None,
        published_at=None,
    )
    draft.competent_agencies.set(competent)
    for option, fees in options:
        new_option = _copy(option, version=draft)
        Fee.objects.bulk_create([_clone(f, option=new_option) for f in fees])
    for case, components in cases:
        new_case = _copy(case, version=draft)
        for component, forms in components:
            new_component = _copy(component, case=new_case)
            FormTemplate.objects.bulk_create([_clone(f, component=new_component) for f in forms])
    return draft


def _clone(obj, **changes):
    obj.pk = None
    obj._state.adding = True
    obj.__dict__.pop("_prefetched_objects_cache", None)
    for key, value in changes.items():
        setattr(obj, key, value)
    return obj


def _copy(obj, **changes):
    obj = _clone(obj, **changes)
    obj.save()
    return obj


def limit_in_working_hours(value: Decimal | None, unit: str) -> Decimal | None:
    """A legal limit expressed in working hours, to compare step budgets against.

    Limits in calendar days or months are converted with their working-day equivalent
    (a day counts as a working day, a month as 22), an upper bound documented as such.
    """
    if unit == TimeUnit.WITHIN_DAY:
        return HOURS_PER_WORKING_DAY
    if value is None or not unit:
        return None
    if unit == TimeUnit.WORKING_HOURS:
        return Decimal(value)
    if unit in (TimeUnit.WORKING_DAYS, TimeUnit.DAYS):
        return Decimal(value) * HOURS_PER_WORKING_DAY
    return Decimal(value) * WORKING_DAYS_PER_MONTH * HOURS_PER_WORKING_DAY


def legal_limit(offering: Offering) -> tuple[Decimal | None, str]:
    """The processing time that binds an offering: its local override, else the counter's."""
    if offering.time_unit:
        return offering.time_value, offering.time_unit
    option = (
        ChannelOption.objects.filter(version_id=offering.version_id, channel=Channel.COUNTER)
        .exclude(time_unit="")
        .first()
        or ChannelOption.objects.filter(version_id=offering.version_id)
        .exclude(time_unit="")
        .first()
    )
    return (option.time_value, option.time_unit) if option else (None, "")


def validate_workflow(offering: Offering, steps) -> Decimal:
    """Reject a workflow whose step budgets exceed the legal time (returns the total hours).

    ``steps`` are StepSpec instances (saved or not). Decree 118/2025 Art. 18–19: each step
    has its own time, and together they fit in the time the procedure publishes.
    """
    total = sum(
        (
            Decimal(s.budget_value)
            * (HOURS_PER_WORKING_DAY if s.budget_unit == TimeUnit.WORKING_DAYS else 1)
            for s in steps
        ),
        Decimal(0),
    )
    value, unit = legal_limit(offering)
    limit = limit_in_working_hours(value, unit)
    if limit is None:
        raise ValidationError(
            _("Thủ tục chưa có thời hạn giải quyết: không kiểm tra được quy trình.")
        )
    if total > limit:
        raise ValidationError(
            _(
                "Tổng thời gian các bước (%(total)s giờ làm việc) vượt thời hạn giải quyết "
                "(%(limit)s giờ làm việc)."
            )
            % {"total": _fmt(total), "limit": _fmt(limit)}
        )
    return total


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"
