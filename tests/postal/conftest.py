"""Postal tests use the dossier world and the back-office fixtures (login, pinned clock)."""

import pytest

from motcua.dossiers.services import perform
from tests.api.test_dossiers_api import api  # noqa: F401  (fixture)
from tests.backoffice.conftest import clock, login, vietnamese, warm_calendars  # noqa: F401
from tests.dossiers.conftest import APPLICANT, at, intake, world  # noqa: F401  (fixtures)


@pytest.fixture
def resolved(world, intake):  # noqa: F811
    """A dossier received Monday 2/3 09:00 whose result is ready at 15:00 the same day."""

    def make(channel="counter"):
        d = intake("2026-03-02 09:00", channel=channel)
        officer, specialist, leader = world["officer"], world["specialist"], world["leader"]
        d, _ = perform(d, "transfer", officer, now=at("2026-03-02 09:10"))
        d, _ = perform(d, "complete_step", specialist, now=at("2026-03-02 11:00"))
        d, _ = perform(d, "approve", leader, now=at("2026-03-02 14:00"))
        d, _ = perform(d, "complete_step", officer, now=at("2026-03-02 15:00"))
        assert d.state == "resolved"
        return d

    return make
