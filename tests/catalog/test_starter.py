"""The starter catalogue and the demo offerings with workflow templates."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.catalog.models import Offering, ProcedureVersion, StepSpec
from motcua.catalog.services import legal_limit, limit_in_working_hours
from motcua.catalog.starter import load_starter, starter_entries

pytestmark = pytest.mark.django_db


def test_starter_entries_are_complete_facts():
    entries = starter_entries()
    assert len(entries) >= 10
    codes = {e["code"] for e in entries}
    assert {"1.001193", "1.000894", "1.004222"} <= codes
    for entry in entries:
        assert entry["channels"], entry["code"]
        assert entry["cases"] and entry["cases"][0]["components"], entry["code"]
        assert entry["description"], entry["code"]


def test_load_starter_publishes_once():
    assert load_starter() == (10, 0)
    assert load_starter() == (0, 10)
    khai_sinh = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert khai_sinh.status == "published" and khai_sinh.source == "starter"
    assert khai_sinh.channels.get(channel="counter").time_unit == "within_day"
    thuong_tru = ProcedureVersion.objects.get(procedure__code="1.004222")
    fees = {o.channel: o.fees.get().amount for o in thuong_tru.channels.all()}
    assert fees == {"counter": 20000, "online": 10000}


def test_demo_catalogue_offers_with_workflows_that_fit_the_legal_time(capsys):
    call_command("import_divisions", verbosity=0)
    call_command("demo_org", password="demo-pass-2026")
    call_command("demo_catalogue")
    call_command("demo_catalogue")
    offerings = Offering.objects.select_related("workflow")
    assert offerings.count() == 20
    for offering in offerings:
        steps = list(StepSpec.objects.filter(template__offering=offering))
        assert [s.order for s in steps] == [1, 2, 3]
        total = sum(s.budget_value for s in steps)
        legal = limit_in_working_hours(*legal_limit(offering))
        assert total == legal - min(4, legal / 8)  # intake keeps its share
        assert all(s.budget_value > 0 for s in steps)
    within_day = Offering.objects.filter(version__procedure__code="1.001193").first()
    budgets = [s.budget_value for s in within_day.workflow.steps.order_by("order")]
    assert budgets == [Decimal(4), Decimal(2), Decimal(1)]  # of 8 working hours


def test_starter_replaces_a_published_version_without_a_usable_time():
    from motcua.catalog.models import ChannelOption

    from .factories import make_version

    national = make_version("1.001193", "Thủ tục đăng ký khai sinh", days=1, unit="")
    kept = make_version("1.004222", "Đăng ký thường trú", days=7)
    created, kept_count = load_starter()
    national.refresh_from_db()
    kept.refresh_from_db()
    assert national.status == "retired" and kept.status == "published"
    current = ProcedureVersion.objects.get(procedure__code="1.001193", status="published")
    assert current.source == "starter"
    assert ChannelOption.objects.get(version=current, channel="counter").time_unit == "within_day"
    assert (created, kept_count) == (9, 1)
