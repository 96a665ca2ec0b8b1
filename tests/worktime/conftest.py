"""Fixtures for working-time tests: the official 2024–2026 calendar, built without the DB."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.worktime import queries
from motcua.worktime.engine import Calendar, calendar_from_spec
from motcua.worktime.library import library_spec

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# The 2026 New Year swap the library lacks (seeded by migration 0002).
EXTRA_OFF = frozenset({dt.date(2026, 1, 2)})
EXTRA_WORKING = frozenset({dt.date(2026, 1, 10)})


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    """An aware local (Asia/Ho_Chi_Minh) datetime."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=VN)


def official_calendar(**options) -> Calendar:
    spec = library_spec(2020, 2035, **options)
    return calendar_from_spec(
        dataclasses.replace(
            spec,
            holidays=spec.holidays | EXTRA_OFF,
            extra_working_days=spec.extra_working_days | EXTRA_WORKING,
        )
    )


@pytest.fixture
def cal() -> Calendar:
    return official_calendar()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test starts with an empty calendar cache (rolled-back rows send no signal)."""
    queries.invalidate()
    yield
    queries.invalidate()
