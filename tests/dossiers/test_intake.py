"""Creating and answering a dossier in one step: the same dossier, events and statistics as
creating then acting, in one transaction; the kept offering look-up never serves stale facts."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.catalog.models import ChannelOption, TimeUnit
from motcua.dossiers import intake
from motcua.dossiers.errors import Forbidden, InvalidInput
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent
from motcua.dossiers.services import NewDossier, create_dossier, perform

from .conftest import APPLICANT, at

pytestmark = pytest.mark.django_db

COMPONENTS = ((None, "Tờ khai CT01", 1, 0),)


def new(world, **changes):
    return NewDossier(
        offering=world["offering"],
        channel="counter",
        applicant=APPLICANT,
        components=COMPONENTS,
        **changes,
    )


def test_create_and_receive_at_once_equals_create_then_receive(world):
    when = at("2026-03-02 09:00")
    two_steps, _ = create_dossier(world["officer"], new(world), now=when)
    two_steps, _ = perform(two_steps, "receive", world["officer"], now=when)
    at_once, created = create_dossier(world["officer"], new(world), now=when, action="receive")
    assert created
    at_once.refresh_from_db()
    for field in ("state", "version", "due_at", "original_due_at", "received_at"):
        assert getattr(at_once, field) == getattr(two_steps, field), field
    assert (at_once.current_unit_id, at_once.current_agency_id) == (
        two_steps.current_unit_id,
        two_steps.current_agency_id,
    )
    assert at_once.code.endswith("-0002") and two_steps.code.endswith("-0001")
    events = list(DossierEvent.objects.filter(dossier=at_once).order_by("seq"))
    assert [(e.seq, e.action, e.from_state, e.to_state) for e in events] == [
        (1, "submit", "", "submitted"),
        (2, "receive", "submitted", "received"),
    ]
    assert events[1].payload["code"] == at_once.code
    assert at_once.components.count() == 1


def test_statistics_count_a_receipt_made_at_intake_once(world):
    from motcua.supervision.models import DailyStat

    create_dossier(world["officer"], new(world), now=at("2026-03-02 09:00"), action="receive")
    assert sum(DailyStat.objects.values_list("received_direct", flat=True)) == 1


def test_a_refused_answer_leaves_no_dossier_and_no_number(world):
    with pytest.raises(InvalidInput):
        create_dossier(
            world["officer"], new(world), now=at("2026-03-02 09:00"), action="refuse", reason=""
        )
    assert not Dossier.objects.exists() and not DailySequence.objects.exists()


def test_the_answer_is_checked_like_any_action(world):
    with pytest.raises(Forbidden):
        create_dossier(world["specialist"], new(world), action="receive")
    with pytest.raises(InvalidInput):
        create_dossier(world["officer"], new(world), action="teleport")
    assert not Dossier.objects.exists()


def test_a_repeated_key_returns_the_first_dossier_without_a_second_number(world):
    when = at("2026-03-02 09:00")
    first, created = create_dossier(
        world["officer"], new(world), idempotency_key="k", now=when, action="receive"
    )
    again, created_again = create_dossier(
        world["officer"], new(world), idempotency_key="k", now=when, action="receive"
    )
    assert created and not created_again and again.pk == first.pk
    assert DailySequence.objects.get().last == 1


def test_a_repeat_is_answered_even_when_the_procedure_was_withdrawn_since(world):
    first, _ = create_dossier(world["officer"], new(world), idempotency_key="k2")
    world["offering"].is_active = False
    world["offering"].save()
    again, created = create_dossier(world["officer"], new(world), idempotency_key="k2")
    assert not created and again.pk == first.pk


def test_the_kept_look_up_sees_every_change(world, django_assert_num_queries):
    intake.forget()
    agency, code = world["agency"].identifier, "1.004222"
    first = intake.offering_for_intake(agency, code, "counter")
    assert intake.intake_facts(first, "counter", None).limit_value == Decimal(3)
    with django_assert_num_queries(1):  # kept: the kept SQL only, the same row came back
        kept = intake.offering_for_intake(agency, code, "counter")
    assert kept.pk == first.pk and kept is not first  # each caller gets its own copy
    assert kept.version is not first.version and kept.version.procedure.code == code
    option = ChannelOption.objects.filter(version=world["version"]).first()
    option.time_value, option.time_unit = Decimal(5), TimeUnit.WORKING_DAYS
    option.save()
    changed = intake.offering_for_intake(agency, code, "counter")
    assert intake.intake_facts(changed, "counter", None).limit_value == Decimal(5)
    world["one_stop"].is_active = False
    world["one_stop"].save()
    assert (
        intake.intake_facts(
            intake.offering_for_intake(agency, code, "counter"), "counter", None
        ).unit
        is None
    )
    world["offering"].is_active = False
    world["offering"].save()
    assert intake.offering_for_intake(agency, code, "counter") is None


def test_what_a_request_caches_on_its_copy_never_reaches_the_next_one(world):
    """The first caller gets a copy too; instances linked both ways copy without looping."""
    intake.forget()
    agency, code = world["agency"].identifier, "1.004222"
    first = intake.offering_for_intake(agency, code, "counter")
    first.agency._state.fields_cache["twin"] = first  # a two-way link, as a cached 1:1 makes
    first.version.procedure.code = "changed"
    second = intake.offering_for_intake(agency, code, "counter")
    assert "twin" not in second.agency._state.fields_cache
    assert second.version.procedure.code == code
    looped = intake._fresh_copy(first)
    assert looped.agency._state.fields_cache["twin"] is looped


def test_received_at_in_the_future_is_refused_at_intake_too(world):
    later = at("2026-03-02 09:00") + dt.timedelta(days=1)
    with pytest.raises(InvalidInput):
        create_dossier(
            world["officer"],
            new(world),
            now=at("2026-03-02 09:00"),
            action="receive",
            received_at=later,
        )
    assert not Dossier.objects.exists()


def test_the_statistics_of_an_intake_cost_two_statements(world):
    """Created and received at once: the watermark written once, at the receipt, and the
    receipt's counts; the same counts as creating, then receiving."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.supervision import services as stats
    from motcua.supervision.models import StatCursor

    when = at("2026-03-02 09:00")
    two_steps, _ = create_dossier(world["officer"], new(world), now=when)
    perform(two_steps, "receive", world["officer"], now=when)
    counted = stats.snapshot()
    with CaptureQueriesContext(connection) as captured:
        d, _ = create_dossier(world["officer"], new(world), now=when, action="receive")
    sql = [q["sql"] for q in captured.captured_queries if "supervision_" in q["sql"]]
    assert len(sql) == 2 and "statcursor" in sql[0] and "dailystat" in sql[1]
    assert StatCursor.objects.get(dossier=d).last_seq == 2
    doubled = {key: {c: n * 2 for c, n in row.items()} for key, row in counted.items()}
    assert stats.snapshot() == doubled
    assert not hasattr(d, "_stats_answer")


def test_the_statistics_of_each_event_cost_a_statement_or_two(world, django_assert_num_queries):
    """Dispatched one by one (e.g. replayed): the watermark of a new dossier is one insert;
    the receipt moves it and adds its counts; an event dispatched again adds nothing."""
    from motcua.supervision import services as stats
    from motcua.supervision.models import DailyStat, StatCursor

    d, _ = create_dossier(
        world["officer"], new(world), now=at("2026-03-02 09:00"), action="receive"
    )
    counted = stats.snapshot()
    StatCursor.objects.all().delete()
    DailyStat.objects.all().delete()
    submit, receive = (
        DossierEvent.objects.filter(dossier=d)
        .order_by("seq")
        .select_related("dossier__procedure_version", "dossier__receiving_agency")
    )
    with django_assert_num_queries(1):  # INSERT … ON CONFLICT DO NOTHING of the watermark
        stats.on_dossier_event(submit)
    with django_assert_num_queries(2):  # the watermark moved, the counts upserted
        stats.on_dossier_event(receive)
    assert stats.snapshot() == counted
    with django_assert_num_queries(2):  # nothing inserted; the watermark read: counted
        stats.on_dossier_event(submit)
    stats.on_dossier_event(receive)
    assert stats.snapshot() == counted
    assert StatCursor.objects.get(dossier=d).last_seq == 2
