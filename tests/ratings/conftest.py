"""Ratings tests reuse the dossier world: a ward with its units, staff and one procedure;
dossiers are driven to the result's return through the real lifecycle."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.utils import translation

from motcua.dossiers.services import perform
from motcua.ratings import services
from motcua.ratings.tokens import TABLET_COOKIE, rating_token
from tests.dossiers.conftest import APPLICANT, at, intake, world  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def seed_criteria() -> None:
    """Put back the seeded criteria (a transactional test's flush removes migration data)."""
    from django.apps import apps

    migration = importlib.import_module("motcua.ratings.migrations.0002_seed_criteria")
    migration.seed(apps, None)


@pytest.fixture
def returned(world, intake):  # noqa: F811
    """A dossier received, processed through the three steps and handed back."""

    def make(when="2026-03-02 09:00", *, back="2026-03-05 09:00"):
        d = intake(when)
        d, _ = perform(d, "transfer", world["officer"], now=at(when) + _minutes(10))
        d, _ = perform(d, "complete_step", world["specialist"], now=at("2026-03-03 10:00"))
        d, _ = perform(d, "approve", world["leader"], now=at("2026-03-04 15:00"))
        d, _ = perform(d, "complete_step", world["officer"], now=at("2026-03-05 08:00"))
        d, _ = perform(d, "return_result", world["officer"], now=at(back), method="counter")
        return d

    return make


@pytest.fixture
def resolved(world, intake):  # noqa: F811
    """A dossier with its result ready at the one-stop unit (not yet handed over)."""

    def make(when="2026-03-02 09:00"):
        d = intake(when)
        d, _ = perform(d, "transfer", world["officer"], now=at(when) + _minutes(10))
        d, _ = perform(d, "complete_step", world["specialist"], now=at("2026-03-03 10:00"))
        d, _ = perform(d, "approve", world["leader"], now=at("2026-03-04 15:00"))
        d, _ = perform(d, "complete_step", world["officer"], now=at("2026-03-05 08:00"))
        return d

    return make


def _minutes(n):
    return dt.timedelta(minutes=n)


@pytest.fixture
def clock(monkeypatch):
    """Pin the instant the rating pages read and act at: ``clock("2026-03-06 10:00")``."""

    pinned = {}

    def set_to(text=None):
        """Move the clock to ``text``; without it, the instant it shows now."""
        if text is not None:
            pinned["now"] = at(text)
            monkeypatch.setattr("motcua.ratings.web.now", lambda: pinned["now"])
        return pinned["now"]

    set_to("2026-03-06 10:00")
    return set_to


@pytest.fixture
def paired(world):  # noqa: F811
    """Pair a test client as the rating tablet of a counter (ward a's by default)."""

    def pair(client, counter=None, *, now="2026-03-01 08:00"):
        counter = counter or world["counter"]
        key = services.pair_tablet(world["officer"], counter, now=at(now))
        client.cookies[TABLET_COOKIE] = key
        return key

    return pair


def link(dossier) -> str:
    return f"/danh-gia/{dossier.code}/?t={rating_token(dossier)}"


ANSWERS = {"overall": "5", "staff_attitude": "4", "one_stop": "1", "contacts": "1"}


def form(answers=None, comment="", **extra) -> dict:
    data = {f"c-{k}": v for k, v in (ANSWERS if answers is None else answers).items()}
    return {**data, "comment": comment, **extra}
