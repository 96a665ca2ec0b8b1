"""Postal tests use the dossier world and the back-office fixtures (login, pinned clock)."""

import pytest

from motcua.dossiers.services import perform
from tests.api.test_dossiers_api import api  # noqa: F401  (fixture)
from tests.backoffice.conftest import clock, login, vietnamese, warm_calendars  # noqa: F401
from tests.dossiers.conftest import APPLICANT, at, intake, world  # noqa: F401  (fixtures)


def resolve_same_day(d, world):  # noqa: F811
    """Transfer, assess, approve and finish on Monday 2/3 (result ready at 15:00)."""
    for action, who, when in (
        ("transfer", "officer", "09:10"),
        ("complete_step", "specialist", "11:00"),
        ("approve", "leader", "14:00"),
        ("complete_step", "officer", "15:00"),
    ):
        d, _ = perform(d, action, world[who], now=at(f"2026-03-02 {when}"))
    return d


@pytest.fixture
def resolved(world, intake):  # noqa: F811
    """A dossier received Monday 2/3 09:00 whose result is ready at 15:00 the same day."""

    def make(channel="counter"):
        d = resolve_same_day(intake("2026-03-02 09:00", channel=channel), world)
        assert d.state == "resolved"
        return d

    return make
