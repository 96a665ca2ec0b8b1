"""Concurrent intake and conflicting actions, on PostgreSQL with real row locks."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from motcua.dossiers.errors import Conflict, NotAllowed
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import NewDossier, create_dossier, perform

from .conftest import APPLICANT, at

pytestmark = [pytest.mark.django_db(transaction=True)]


def _run_parallel(fn, n):
    barrier = threading.Barrier(n)

    def wrapped(i):
        try:
            barrier.wait()
            return fn(i)
        except Exception as exc:  # collected for the assertions
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(wrapped, range(n)))


def test_parallel_intakes_get_unique_consecutive_codes(postgres_only, world):
    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)

    def intake_five(i):
        codes = []
        for _ in range(5):
            d, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"))
            d, _ = perform(d, "receive", world["officer"], now=at("2026-03-02 09:00"))
            codes.append(d.code)
        return codes

    results = _run_parallel(intake_five, 8)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    codes = [c for batch in results for c in batch]
    assert len(codes) == len(set(codes)) == 40
    numbers = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
    assert numbers == list(range(1, 41))


def test_conflicting_actions_one_succeeds_the_other_is_told_to_reload(postgres_only, world):
    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)
    d, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"))
    d, _ = perform(d, "receive", world["officer"], now=at("2026-03-02 09:00"))
    version = d.version

    def transfer(i):
        return perform(
            d.pk, "transfer", world["officer"], now=at("2026-03-02 09:10"), expected_version=version
        )

    results = _run_parallel(transfer, 2)
    successes = [r for r in results if not isinstance(r, Exception)]
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(successes) == 1
    assert len(failures) == 1 and isinstance(failures[0], Conflict | NotAllowed)
    assert "tải lại" in failures[0].message
    assert Dossier.objects.get(pk=d.pk).events.filter(action="transfer").count() == 1


def test_double_submit_with_one_idempotency_key_creates_one_dossier(postgres_only, world):
    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)

    def submit(i):
        dossier, _ = create_dossier(
            world["officer"], data, idempotency_key="double-1", now=at("2026-03-02 09:00")
        )
        return dossier.pk

    results = _run_parallel(submit, 4)
    assert all(not isinstance(r, Exception) for r in results), results
    assert len(set(results)) == 1
    assert Dossier.objects.filter(idempotency_key="double-1").count() == 1
    assert connection.vendor == "postgresql"


def test_parallel_intakes_received_at_once_get_unique_consecutive_codes(postgres_only, world):
    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)

    def intake_five(i):
        return [
            create_dossier(world["officer"], data, now=at("2026-03-02 09:00"), action="receive")[
                0
            ].code
            for _ in range(5)
        ]

    results = _run_parallel(intake_five, 8)
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(int(c.rsplit("-", 1)[1]) for batch in results for c in batch)
    assert numbers == list(range(1, 41))


def test_double_submit_received_at_once_makes_one_dossier_and_burns_no_number(postgres_only, world):
    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)

    def submit(i):
        dossier, _ = create_dossier(
            world["officer"],
            data,
            idempotency_key="double-2",
            now=at("2026-03-02 09:00"),
            action="receive",
        )
        return dossier.code

    results = _run_parallel(submit, 4)
    assert all(not isinstance(r, Exception) for r in results), results
    assert len(set(results)) == 1 and results[0].endswith("-0001")
    assert Dossier.objects.filter(idempotency_key="double-2").count() == 1
    nxt, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"), action="receive")
    assert nxt.code.endswith("-0002")
