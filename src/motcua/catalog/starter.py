"""The project's own starter catalogue and the demo offerings built on it.

``data/starter.json`` holds a few commune-level procedures: codes, names, times, fees and
component names are facts from the law and the national database; descriptions are ours.
It lets a fresh clone run without the national data. Loading is idempotent, and a procedure
that already has a published version (say, from the national import) is left as it is.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from motcua.catalog.models import (
    ChannelOption,
    ComponentSpec,
    Fee,
    Field,
    FormTemplate,
    Offering,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    StepSpec,
    TimeUnit,
    WorkflowTemplate,
    encode_levels,
)
from motcua.catalog.services import (
    legal_limit,
    limit_in_working_hours,
    refresh_search_text,
    validate_workflow,
)
from motcua.core.text import fold
from motcua.org.models import Agency, Role, Unit

STARTER_FILE = Path(__file__).parent / "data" / "starter.json"


def starter_entries() -> list[dict]:
    return json.loads(STARTER_FILE.read_text(encoding="utf-8"))["procedures"]


@transaction.atomic
def load_starter(entries: list[dict] | None = None) -> tuple[int, int]:
    """Publish the starter procedures; returns ``(created, kept)``.

    A published version is kept when it has a usable processing time (a value with a unit);
    one without (the national data often publishes a bare number) is replaced by the starter
    version, whose time is stated in law, and retires.
    """
    created = kept = 0
    for entry in entries or starter_entries():
        procedure, _ = Procedure.objects.get_or_create(code=entry["code"])
        published = procedure.versions.filter(status=ProcedureVersion.Status.PUBLISHED)
        if published.filter(channels__time_unit__gt="").exists():
            kept += 1
            continue
        published.update(status=ProcedureVersion.Status.RETIRED, valid_to=timezone.localdate())
        _create_version(procedure, entry)
        created += 1
    return created, kept


def _field(name: str) -> Field:
    field = Field.objects.filter(name=name).first()
    if field:
        return field
    base, code, n = slugify(fold(name))[:100], "", 1
    code = base
    while Field.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return Field.objects.create(name=name, code=code, name_folded=fold(name))


def _create_version(procedure: Procedure, entry: dict) -> ProcedureVersion:
    number = (
        procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = ProcedureVersion(
        procedure=procedure,
        number=number,
        status=ProcedureVersion.Status.PUBLISHED,
        published_at=timezone.now(),
        valid_from=timezone.localdate(),
        decision_number=entry.get("decision", ""),
        name=entry["name"],
        field=_field(entry["field"]),
        levels=encode_levels(entry["levels"]),
        applicant_types=entry.get("applicant_types", []),
        competent_agency_text=entry.get("agency", ""),
        implementing_agency_text=entry.get("agency", ""),
        summary=entry.get("description", ""),
        conditions_text=entry.get("conditions", ""),
        legal_basis=entry.get("legal_basis", []),
        results=entry.get("results", []),
        online_class=entry["online_class"],
        online_class_by_rule=False,
        source=ProcedureVersion.Source.STARTER,
    )
    refresh_search_text(version)
    version.save()
    for channel, spec in entry["channels"].items():
        value, unit = spec["time"]
        option = ChannelOption.objects.create(
            version=version,
            channel=channel,
            time_unit=unit,
            time_value=None if value is None else Decimal(value),
        )
        Fee.objects.bulk_create(
            [
                Fee(option=option, kind=kind, amount=amount, text=text)
                for kind, amount, text in spec["fees"]
            ]
        )
    for order, case_spec in enumerate(entry["cases"], start=1):
        case = ProcedureCase.objects.create(version=version, order=order, name=case_spec["name"])
        for position, comp in enumerate(case_spec["components"], start=1):
            component = ComponentSpec.objects.create(
                case=case,
                order=position,
                name=comp["name"],
                originals=comp["originals"],
                copies=comp["copies"],
                required=comp.get("required", True),
                datastore_substitutable=comp.get("datastore", False),
            )
            FormTemplate.objects.bulk_create(
                [FormTemplate(component=component, file_name=f) for f in comp.get("forms", [])]
            )
    return version


def _step_budgets(total_hours: Decimal) -> list[Decimal]:
    """Split a legal time into examination, signature and return budgets.

    The intake itself (before the transfer) keeps one eighth of the time, at most 4 hours;
    the return step gets as much.
    """
    edge = min(Decimal(4), (total_hours / 8).quantize(Decimal("0.01")))
    sign = (total_hours / 4).quantize(Decimal("0.01"))
    return [total_hours - 2 * edge - sign, sign, edge]


@transaction.atomic
def offer_starter_at(agency: Agency) -> int:
    """Offer every starter procedure at a commune centre, with a three-step workflow.

    Needs the centre's one-stop (``mot-cua``), processing (``van-hoa-xa-hoi``) and leadership
    (``lanh-dao``) units, as the demo organisation has. Returns the number of new offerings.
    """
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    one_stop, processing, leaders = units["mot-cua"], units["van-hoa-xa-hoi"], units["lanh-dao"]
    new = 0
    for entry in starter_entries():
        version = ProcedureVersion.objects.filter(
            procedure__code=entry["code"], status=ProcedureVersion.Status.PUBLISHED
        ).first()
        if version is None:
            continue
        offering, created = Offering.objects.get_or_create(agency=agency, version=version)
        new += created
        if hasattr(offering, "workflow"):
            continue
        hours = limit_in_working_hours(*legal_limit(offering))
        if hours is None:
            continue
        template = WorkflowTemplate.objects.create(
            offering=offering, name=f"Quy trình nội bộ: {version.name}"[:255]
        )
        plan = [
            ("Thẩm định, dự thảo kết quả", processing, Role.SPECIALIST),
            ("Phê duyệt, ký kết quả", leaders, Role.UNIT_LEADER),
            ("Vào sổ, trả kết quả", one_stop, Role.RECEPTION_OFFICER),
        ]
        steps = [
            StepSpec(
                template=template,
                order=i,
                name=name,
                owner_unit=unit,
                role=role,
                budget_value=budget,
                budget_unit=TimeUnit.WORKING_HOURS,
            )
            for i, ((name, unit, role), budget) in enumerate(
                zip(plan, _step_budgets(hours), strict=True), start=1
            )
        ]
        validate_workflow(offering, steps)
        StepSpec.objects.bulk_create(steps)
    return new
