"""The dossiers late now (report column 13, indicator 2.1): read in two parts, each through
its own index, and each dossier counted once."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.supervision import queries, report
from motcua.supervision.dimensions import Period
from motcua.supervision.queries import Selection

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_both_ways(driver):
    """Received Wed 11/3 (due Mon 16/3 17:00 once the supplements are paid back), asked a
    supplement twice — late by rule — and still open after its due date: overdue too."""
    m = driver.act(driver.receive("2026-03-11 09:00"), "transfer", "2026-03-11 09:10")
    m = driver.act(m, "request_supplement", "2026-03-11 10:00")
    m = driver.act(m, "receive_supplement", "2026-03-11 11:00")
    m = driver.act(m, "request_supplement", "2026-03-12 09:00", override=True)
    return driver.act(m, "receive_supplement", "2026-03-12 10:00")


def test_a_dossier_overdue_and_late_by_rule_counts_once(world, driver, late_both_ways):
    within = driver.act(driver.receive("2026-03-19 09:00"), "transfer", "2026-03-19 09:10")
    assert late_both_ways.late_by_rule and within.due_at > at("2026-03-20 10:00")
    now = at("2026-03-20 10:00")
    found = queries.open_at(Selection(world["agency"]).dossier_q(), now, now, None)
    assert found == {("commune",): {"overdue": 1, "late": 1}}
    built = report.build(
        Selection(world["agency"]), Period(dt.date(2026, 3, 16), dt.date(2026, 3, 20)), now=now
    )
    assert (built.total.pending, built.total.overdue, built.total.within) == (2, 1, 1)


def test_late_by_rule_within_time_is_late_but_not_overdue(world, late_both_ways):
    now = at("2026-03-13 10:00")  # before its due date
    found = queries.open_at(Selection(world["agency"]).dossier_q(), now, now, None)
    assert found == {("commune",): {"overdue": 0, "late": 1}}


def test_postgresql_reads_both_parts_through_their_indexes(postgres_only, world, late_both_ways):
    """No sequential scan of the dossiers: with sequential scans priced out (the test
    database is too small for the planner to prefer an index otherwise), the late-by-rule
    part reads the partial ``dossier_open_late_by_rule`` — the query's conditions imply the
    partial index's — and the overdue part an index on the open states (``state_due`` on a
    large table, docs/supervision.md)."""
    now = at("2026-03-20 10:00")
    where = Selection(world["org"]["city"], subordinates=True).dossier_q()
    with CaptureQueriesContext(connection) as captured:
        queries.open_at(where, now, now, "field")
    [sql] = [q["sql"] for q in captured.captured_queries if "dossiers_dossier" in q["sql"]]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "dossier_open_late_by_rule" in plan, plan
    assert "Seq Scan on dossiers_dossier" not in plan, plan
