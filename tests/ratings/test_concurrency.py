"""Submits at the same moment, on PostgreSQL with real row locks: one rating, the others told
"Hồ sơ này đã được đánh giá"; the tallies count it once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from motcua.ratings import services
from motcua.ratings.errors import AlreadyRated
from motcua.ratings.models import Rating, UnitTally
from motcua.ratings.tokens import rating_token

from .conftest import at, seed_criteria

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def criteria(transactional_db):
    seed_criteria()


def _parallel(fn, n):
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


def _check(results, dossier):
    ratings = [r for r in results if isinstance(r, Rating)]
    refused = [r for r in results if isinstance(r, AlreadyRated)]
    assert len(ratings) == 1 and len(refused) == len(results) - 1, results
    assert all("Hồ sơ này đã được đánh giá" in r.message for r in refused)
    assert Rating.objects.filter(dossier=dossier).count() == 1
    row = UnitTally.objects.get(kind="receiving")
    assert row.ratings == 1


def test_concurrent_submits_by_link_make_one_rating(postgres_only, returned):
    d = returned()
    via = services.ByLink(d.code, rating_token(d))
    results = _parallel(
        lambda i: services.submit_rating(via, {"overall": 1 + i}, now=at("2026-03-06 10:00")), 4
    )
    _check(results, d)


def test_concurrent_link_and_counter_submits_make_one_rating(postgres_only, world, returned):
    d = returned()
    session = services.start_session(
        world["officer"], world["counter"], d.code, now=at("2026-03-06 10:00")
    )
    ways = [
        services.ByLink(d.code, rating_token(d)),
        services.AtCounter(world["counter"].pk, session.pk),
    ] * 2
    results = _parallel(
        lambda i: services.submit_rating(ways[i], {"overall": 5}, now=at("2026-03-06 10:01")), 4
    )
    _check(results, d)


def test_ratings_of_different_dossiers_at_once_all_count(postgres_only, world, returned):
    dossiers = [returned(f"2026-03-02 09:{i:02d}") for i in range(4)]

    def rate(i):
        d = dossiers[i]
        via = services.ByLink(d.code, rating_token(d))
        return services.submit_rating(
            via, {"overall": 5, "contacts": 1}, now=at("2026-03-06 10:00")
        )

    results = _parallel(rate, 4)
    assert all(isinstance(r, Rating) for r in results), results
    assert UnitTally.objects.get(kind="receiving").ratings == 4
    assert UnitTally.objects.get(kind="handled", unit=world["processing"]).satisfied == 4
