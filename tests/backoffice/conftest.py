"""Back-office tests reuse the dossier world (a ward with its units, staff and procedure)."""

import pytest
from django.utils import translation

from motcua.worktime.queries import calendar_for
from tests.dossiers.conftest import APPLICANT, at, intake, world  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def clock(monkeypatch):
    """Pin the instant the back-office views read and act at: ``clock("2026-03-02 10:00")``."""

    def set_to(text):
        instant = at(text)
        monkeypatch.setattr("motcua.backoffice.common.now", lambda: instant)
        return instant

    set_to("2026-03-02 10:00")
    return set_to


@pytest.fixture
def login(client, world):  # noqa: F811
    """Log ``client`` in as one of the world's users, by name."""

    def as_(name):
        client.force_login(world[name])
        return client

    return as_


@pytest.fixture
def warm_calendars(world):  # noqa: F811
    """Compile the working calendars once, so query counts measure the page alone."""
    for agency in (None, world["agency"].pk):
        calendar_for(agency)
