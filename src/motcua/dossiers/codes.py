"""Dossier and result codes (Circular 03/2025/TT-VPCP Art. 13).

``<agency identifier>-<YYMMDD>-<daily sequence, ≥ 4 digits>``, the sequence restarting each
day per receiving agency. The sequence is taken with one atomic ``INSERT … ON CONFLICT DO
UPDATE … RETURNING`` (PostgreSQL and SQLite ≥ 3.35), so concurrent intakes never share a
number; it is taken inside the intake transaction, so a rolled-back intake leaves no dossier
with that number. The pattern is configurable with ``DOSSIER_CODE_PATTERN``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection

from motcua.dossiers.models import DailySequence

_UPSERT = (
    "INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last"
)


def next_sequence(agency_id: int, day: dt.date) -> int:
    """The next number of the day for ``agency_id`` (1, 2, 3…), atomically."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=DailySequence._meta.db_table), [agency_id, day])
        return int(cursor.fetchone()[0])


def format_code(identifier: str, day: dt.date, sequence: int) -> str:
    return settings.DOSSIER_CODE_PATTERN.format(agency=identifier, date=day, seq=sequence)


def issue_code(agency, day: dt.date) -> str:
    """Issue the code of a dossier received by ``agency`` on ``day`` (local date)."""
    return format_code(agency.identifier, day, next_sequence(agency.pk, day))


def result_code(dossier_code: str, n: int) -> str:
    """``<dossier code>-KQ<n>`` (Decree 45/2020 Art. 14)."""
    return f"{dossier_code}-KQ{n}"
