"""Counters under concurrent actions and a rebuild running beside live traffic (PostgreSQL,
real row locks and transactions)."""

import pytest
from django.core.management import call_command

from motcua.dossiers.services import NewDossier, create_dossier, perform
from motcua.supervision import services
from tests.dossiers.test_concurrency import _run_parallel

from .conftest import APPLICANT, at

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_parallel_receipts_on_one_key_are_all_counted(postgres_only, world):
    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)

    def receive_five(i):
        for _ in range(5):
            d, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"))
            perform(d, "receive", world["officer"], now=at("2026-03-02 09:00"))

    assert not [r for r in _run_parallel(receive_five, 8) if isinstance(r, Exception)]
    [row] = services.snapshot().values()
    assert row == {"received_direct": 40}


def test_a_rebuild_beside_live_actions_counts_every_event_once(postgres_only, world):
    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)
    dossiers = []
    for _ in range(30):
        d, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"))
        d, _ = perform(d, "receive", world["officer"], now=at("2026-03-02 09:00"))
        dossiers.append(d)

    def work(i):
        if i == 0:
            return services.rebuild(batch=3)
        for d in dossiers[i - 1 :: 3]:  # three workers each move ten dossiers on
            d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 10:00"))
            perform(d, "stop", world["officer"], now=at("2026-03-02 11:00"), reason="Xin dừng")

    results = _run_parallel(work, 4)
    assert not [r for r in results if isinstance(r, Exception)], results
    live = services.snapshot()
    call_command("rebuild_stats", verbosity=0)
    assert services.snapshot() == live
    [row] = live.values()
    assert row == {"received_direct": 30, "resolved_early": 30, "stopped": 30}


def test_a_full_rebuild_compacts_the_daily_table_and_keeps_its_numbers(postgres_only, world):
    """The rewrite runs outside a transaction after a full rebuild (the bloat it removes
    only shows at scale: bench/README.md, 59 MB -> 5 MB at 10M dossiers)."""
    from io import StringIO

    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)
    for _ in range(5):
        d, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"))
        perform(d, "receive", world["officer"], now=at("2026-03-02 09:00"))
    before = services.snapshot()
    out = StringIO()
    call_command("rebuild_stats", batch=1, stdout=out)
    assert "VACUUM FULL" in out.getvalue()
    assert services.snapshot() == before
