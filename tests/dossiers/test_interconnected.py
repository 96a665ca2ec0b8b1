"""Interconnected processing (liên thông): a step owned by another agency."""

from decimal import Decimal

import pytest

from motcua.catalog.models import StepSpec, TimeUnit
from motcua.dossiers.errors import Forbidden
from motcua.dossiers.services import NewDossier, create_dossier, perform
from motcua.org.models import Role

from .conftest import APPLICANT, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(world, make_user):
    """Step 2 of the workflow runs at the other ward's centre (another agency)."""
    other = world["org"]["b"]
    template = world["offering"].workflow
    template.steps.filter(order__gte=2).update(order=models_shift())
    StepSpec.objects.create(
        template=template,
        order=2,
        name="Xác minh tại cơ quan liên thông",
        owner_agency=other["agency"],
        role=Role.SPECIALIST,
        budget_value=Decimal(4),
        budget_unit=TimeUnit.WORKING_HOURS,
    )
    clerk = make_user("lienthong", Role.RECEPTION_OFFICER, other["agency"], other["one_stop"])
    return {**world, "other": other, "clerk": clerk}


def models_shift():
    from django.db.models import F

    return F("order") + 10


def test_hand_over_to_another_agency_and_back(linked):
    w = linked
    data = NewDossier(offering=w["offering"], channel="counter", applicant=APPLICANT)
    d, _ = create_dossier(w["officer"], data, now=at("2026-03-02 09:00"))
    d, _ = perform(d, "receive", w["officer"], now=at("2026-03-02 09:00"))
    d, _ = perform(d, "transfer", w["officer"], now=at("2026-03-02 09:05"))
    d, _ = perform(d, "complete_step", w["specialist"], now=at("2026-03-02 10:00"))
    assert d.current_step.name == "Xác minh tại cơ quan liên thông"
    assert d.current_agency == w["other"]["agency"]
    assert d.current_unit == w["other"]["one_stop"]  # received by that agency's one-stop unit
    with pytest.raises(Forbidden):  # the first agency no longer holds it
        perform(d, "complete_step", w["specialist"], now=at("2026-03-02 11:00"))
    d, _ = perform(d, "complete_step", w["clerk"], now=at("2026-03-02 13:30"))
    assert d.current_agency == w["agency"] and d.current_step.role == Role.UNIT_LEADER
    sheet = [(e.action, e.actor_name) for e in d.events.order_by("seq")]
    assert ("complete_step", "lienthong") in sheet


def test_intake_query_count_does_not_grow_with_the_components(world):
    """Intake (create + receive) is pinned relative to its size: components are inserted in
    bulk, so 1 or 10 ticked documents cost the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.worktime.queries import calendar_for

    def intake(n, minute):
        data = NewDossier(
            offering=world["offering"],
            channel="counter",
            applicant=APPLICANT,
            components=tuple((None, f"Giấy tờ {i}", 1, 0) for i in range(n)),
        )
        calendar_for(world["agency"])  # the calendar is cached: keep its refresh out of this
        with CaptureQueriesContext(connection) as ctx:
            d, _ = create_dossier(world["officer"], data, now=at(f"2026-03-02 09:{minute:02d}"))
            perform(d, "receive", world["officer"], now=at(f"2026-03-02 09:{minute:02d}"))
        return len([q for q in ctx.captured_queries if "worktime_" not in q["sql"]])

    intake(1, 0)  # warm caches (grants, calendars)
    assert intake(1, 1) == intake(10, 2) <= 40
