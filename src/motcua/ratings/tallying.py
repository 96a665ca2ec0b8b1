"""Adding a rating to the running totals, and rebuilding them from the ratings.

Each table takes one ``INSERT … ON CONFLICT … DO UPDATE`` statement per rating (the same SQL
on SQLite and PostgreSQL), inside the rating's transaction: concurrent ratings add up, and a
rating that rolls back leaves the totals as they were.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from motcua.ratings.models import AnswerTally, OfficerTally, Rating, UnitTally

RECEIVING, HANDLED = UnitTally.Kind.RECEIVING, UnitTally.Kind.HANDLED


@dataclass(frozen=True)
class Facts:
    """What the totals need to know of one rating."""

    day: dt.date
    satisfied: bool
    receiving_unit: int
    units: frozenset[int]  # every unit that handled the dossier, the receiving one included
    answers: tuple[tuple[int, int], ...]  # (criterion id, value)
    staff: frozenset[tuple[int, int]]  # (user id, unit id)


def local_day(instant: dt.datetime) -> dt.date:
    return timezone.localdate(instant)


def add(facts: Facts) -> None:
    """Count one rating in every total it belongs to."""
    _add_all([facts])


def _add_all(batch: Iterable[Facts]) -> None:
    units, answers, officers = _totals(2), _totals(1), _totals(2)
    for f in batch:
        sat = int(f.satisfied)
        _bump(units, (f.receiving_unit, f.day, RECEIVING), 1, sat)
        for unit in f.units:
            _bump(units, (unit, f.day, HANDLED), 1, sat)
            for criterion, value in f.answers:
                _bump(answers, (unit, f.day, criterion, value), 1)
        for user, unit in f.staff:
            _bump(officers, (unit, user, f.day), 1, sat)
    _upsert(UnitTally, ("unit", "day", "kind"), ("ratings", "satisfied"), units)
    _upsert(AnswerTally, ("unit", "day", "criterion", "value"), ("answers",), answers)
    _upsert(OfficerTally, ("unit", "user", "day"), ("ratings", "satisfied"), officers)


def _totals(width: int) -> defaultdict:
    return defaultdict(lambda: [0] * width)


def _bump(totals: defaultdict, key: tuple, *counts: int) -> None:
    row = totals[key]
    for i, count in enumerate(counts):
        row[i] += count


#: Rows per statement: few enough parameters for any SQLite build (at most 999).
_ROWS_PER_STATEMENT = 150


def _upsert(model, keys: tuple[str, ...], counts: tuple[str, ...], totals: dict) -> None:
    """Add ``totals`` ({key values: [counts]}) to ``model``'s rows, creating missing ones."""
    q, meta = connection.ops.quote_name, model._meta
    table = q(meta.db_table)
    key_cols = [q(meta.get_field(k).column) for k in keys]
    count_cols = [q(meta.get_field(c).column) for c in counts]
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in count_cols)
    row_sql = "(" + ", ".join(["%s"] * (len(keys) + len(counts))) + ")"
    items = sorted(totals.items())  # one lock order for every transaction: no deadlock
    for start in range(0, len(items), _ROWS_PER_STATEMENT):
        chunk = items[start : start + _ROWS_PER_STATEMENT]
        sql = (
            f"INSERT INTO {table} ({', '.join(key_cols + count_cols)}) "
            f"VALUES {', '.join([row_sql] * len(chunk))} "
            f"ON CONFLICT ({', '.join(key_cols)}) DO UPDATE SET {updates}"
        )
        params = [p for key, added in chunk for p in (*map(_adapt, key), *added)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _adapt(value):
    return connection.ops.adapt_datefield_value(value) if isinstance(value, dt.date) else value


def facts_of(rating: Rating) -> Facts:
    """The facts of a stored rating (answers, staff rows and units prefetched or queried)."""
    return Facts(
        day=local_day(rating.submitted_at),
        satisfied=rating.satisfied,
        receiving_unit=rating.unit_id,
        units=frozenset(u.pk for u in rating.units.all()),
        answers=tuple((a.criterion_id, a.value) for a in rating.answers.all()),
        staff=frozenset((s.user_id, s.unit_id) for s in rating.staff_rows.all()),
    )


@transaction.atomic
def rebuild() -> int:
    """Recompute every total from the ratings (after a repair); returns the ratings counted."""
    for model in (UnitTally, AnswerTally, OfficerTally):
        model.objects.all().delete()
    ratings = Rating.objects.prefetch_related("units", "answers", "staff_rows").order_by("pk")
    batch, total = [], 0
    for rating in ratings.iterator(chunk_size=500):
        batch.append(facts_of(rating))
        if len(batch) == 500:
            _add_all(batch)
            total, batch = total + len(batch), []
    _add_all(batch)
    return total + len(batch)
