"""The daily aggregates: one count per event, exactly once, equal to a rebuild from events."""

import pytest
from django.core.management import call_command
from django.db.models import Value

from motcua.catalog.models import Level
from motcua.dossiers import events
from motcua.dossiers.models import DossierEvent
from motcua.org.models import Agency
from motcua.supervision import services
from motcua.supervision.dimensions import level_of, level_q
from motcua.supervision.models import COUNTERS, DailyStat, StatCursor

from .conftest import add_offering
from .data import populate

pytestmark = pytest.mark.django_db


def test_a_receipt_counts_on_its_local_day_in_its_dimensions(world, driver):
    d = driver.receive("2026-03-02 06:30", channel="online")  # 23:30 UTC the day before
    [row] = DailyStat.objects.all()
    assert row.day.isoformat() == "2026-03-02"
    assert (row.agency, row.unit, row.channel) == (world["agency"], world["one_stop"], "online")
    assert row.procedure == world["version"].procedure and row.field == world["version"].field
    assert row.level == "commune"
    assert row.counters() == {**dict.fromkeys(COUNTERS, 0), "received_online": 1}
    assert StatCursor.objects.get(dossier=d).last_seq == d.events.count()


def test_internal_hand_offs_only_move_the_watermark(world, driver):
    d = driver.receive("2026-03-02 09:00")
    before = services.snapshot()
    d = driver.act(d, "transfer", "2026-03-02 09:10")
    assert services.snapshot() == before
    assert StatCursor.objects.get(dossier=d).last_seq == 3


def test_an_event_dispatched_again_adds_nothing(world, driver):
    d = driver.receive("2026-03-02 09:00")
    d = driver.resolve(d, "2026-03-02 09:00", "2026-03-03 10:00")
    before = services.snapshot()
    for event in DossierEvent.objects.filter(dossier=d).order_by("seq"):
        services.on_dossier_event(event)  # e.g. a replay tool or a duplicate subscriber
    assert services.snapshot() == before


def test_a_rolled_back_action_leaves_no_count(world, driver):
    d = driver.receive("2026-03-02 09:00")
    d = driver.to_last_step(d, "2026-03-02 09:00")
    before = services.snapshot()

    def boom(event):
        raise RuntimeError("a later subscriber fails")

    events.subscribe(boom, in_transaction=True)
    try:
        with pytest.raises(RuntimeError):
            driver.act(d, "complete_step", "2026-03-03 10:00")
    finally:
        events.unsubscribe(boom)
    assert services.snapshot() == before
    assert StatCursor.objects.get(dossier=d).last_seq == d.events.count()


def test_a_missing_watermark_is_caught_up_from_the_events(world, driver):
    d = driver.receive("2026-03-02 09:00")
    d = driver.act(d, "transfer", "2026-03-02 09:10")
    DailyStat.objects.all().delete()
    StatCursor.objects.all().delete()
    driver.act(d, "stop", "2026-03-02 10:00")  # catches up submit, receive, transfer, stop
    row = DailyStat.objects.get()
    assert (row.received_direct, row.resolved_early, row.stopped) == (1, 1, 1)


@pytest.fixture
def many(world, driver):
    offerings = [
        world["offering"],
        add_offering(
            world, "2.000001", "Chứng thực bản sao", "Chứng thực", ("province", "commune")
        ),
        add_offering(world, "2.000002", "Cấp phép", "Xây dựng", ("province",)),
    ]
    return populate(driver, offerings)


def test_rebuild_reproduces_the_incremental_counts_exactly(many, capsys):
    incremental = services.snapshot()
    totals = {c: sum(row.get(c, 0) for row in incremental.values()) for c in COUNTERS}
    assert all(totals.values()), totals  # every counter was exercised
    assert totals["received_online"] + totals["received_direct"] + totals["received_postal"] == 36
    assert {k.split("|")[5] for k in incremental} == {"commune", "province"}
    call_command("rebuild_stats", batch=7)
    assert "Xong: 42 hồ sơ" in capsys.readouterr().out
    assert services.snapshot() == incremental
    call_command("rebuild_stats", verbosity=0)  # again: the same
    assert services.snapshot() == incremental


def test_live_actions_during_a_rebuild_are_counted_once(many, world, driver):
    incremental_before = services.snapshot()
    services._empty()  # the rebuild has emptied the tables, then an officer acts
    open_one = next(d for d in many if d.state == "in_process")
    driver.act(open_one, "stop", "2026-03-20 10:00")
    caught_up = services.snapshot()  # that dossier's whole history, and nothing else
    received = ("received_online", "received_direct", "received_postal")
    assert sum(n for row in caught_up.values() for c, n in row.items() if c in received) == 1
    services.replay([d.pk for d in many])  # the rebuild goes on over every dossier
    after = services.snapshot()
    call_command("rebuild_stats", verbosity=0)
    assert after == services.snapshot() != incremental_before


@pytest.mark.parametrize("kind", ["commune_centre", "department", "ministry", "other"])
@pytest.mark.parametrize(
    "levels", ["", ",commune,", ",province,", ",province,commune,", ",ministry,other,"]
)
def test_level_rule_and_its_database_filter_agree(org, kind, levels):
    pk = org["a"]["agency"].pk
    Agency.objects.filter(pk=pk).update(kind=kind)
    expected = level_of(levels, kind)
    rows = Agency.objects.filter(pk=pk).annotate(levels=Value(levels))
    for level in Level.values:
        where = level_q(level, levels_field="levels", kind_field="kind")
        assert rows.filter(where).exists() == (level == expected), (level, expected)
