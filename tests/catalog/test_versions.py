"""Versioning (draft → published → retired) and workflow validation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog import services
from motcua.catalog.models import Offering, ProcedureVersion, StepSpec, TimeUnit, WorkflowTemplate
from motcua.org.models import Role

from .factories import make_version

pytestmark = pytest.mark.django_db


def test_new_draft_copies_everything_and_leaves_the_published_version_alone():
    published = make_version()
    draft = services.new_draft(published)
    assert draft.pk != published.pk
    assert draft.number == 2 and draft.status == ProcedureVersion.Status.DRAFT
    assert draft.channels.get().fees.get().text == "Miễn lệ phí"
    component = draft.cases.get().components.get()
    assert component.name == "Tờ khai đăng ký khai sinh"
    assert component.forms.get().file_name == "Mẫu tờ khai.docx"
    # the published one still has its own rows
    assert published.cases.get().components.get().pk != component.pk
    assert services.new_draft(published).pk == draft.pk  # one draft at a time


def test_publishing_a_draft_retires_the_previous_version():
    published = make_version()
    draft = services.new_draft(published)
    services.publish(draft, decision_number="15/QĐ-UBND", valid_from=dt.date(2026, 3, 1))
    published.refresh_from_db()
    draft.refresh_from_db()
    assert draft.status == "published" and draft.decision_number == "15/QĐ-UBND"
    assert published.status == "retired" and published.valid_to == dt.date(2026, 2, 28)


def test_publish_refuses_a_published_version_and_a_missing_decision():
    published = make_version()
    with pytest.raises(ValidationError, match="bản nháp"):
        services.publish(published, decision_number="1/QĐ", valid_from=dt.date(2026, 1, 1))
    draft = services.new_draft(published)
    with pytest.raises(ValidationError, match="quyết định"):
        services.publish(draft, decision_number="  ", valid_from=dt.date(2026, 1, 1))


def _workflow(org, version, budgets):
    offering = Offering.objects.create(agency=org["a"]["agency"], version=version)
    template = WorkflowTemplate.objects.create(offering=offering, name="Quy trình")
    return offering, [
        StepSpec(
            template=template,
            order=i,
            name=f"Bước {i}",
            owner_unit=org["a"]["processing"],
            role=Role.SPECIALIST,
            budget_value=Decimal(v),
            budget_unit=u,
        )
        for i, (v, u) in enumerate(budgets, start=1)
    ]


def test_workflow_that_fits_the_legal_time_is_accepted(org):
    version = make_version(days=Decimal(3))
    offering, steps = _workflow(
        org,
        version,
        [(4, TimeUnit.WORKING_HOURS), (2, TimeUnit.WORKING_DAYS), (4, TimeUnit.WORKING_HOURS)],
    )
    assert services.validate_workflow(offering, steps) == Decimal(24)


def test_workflow_exceeding_the_legal_time_is_rejected(org):
    version = make_version(days=Decimal(3))
    offering, steps = _workflow(
        org, version, [(3, TimeUnit.WORKING_DAYS), (1, TimeUnit.WORKING_HOURS)]
    )
    with pytest.raises(ValidationError, match="vượt thời hạn"):
        services.validate_workflow(offering, steps)


def test_local_override_binds_the_workflow(org):
    version = make_version(days=Decimal(5))
    offering, steps = _workflow(org, version, [(3, TimeUnit.WORKING_DAYS)])
    offering.time_value, offering.time_unit = Decimal(2), TimeUnit.WORKING_DAYS
    with pytest.raises(ValidationError):
        services.validate_workflow(offering, steps)


def test_workflow_without_any_legal_time_cannot_be_checked(org):
    version = make_version(days=None, unit="")
    offering, steps = _workflow(org, version, [(1, TimeUnit.WORKING_HOURS)])
    with pytest.raises(ValidationError, match="chưa có thời hạn"):
        services.validate_workflow(offering, steps)
