"""What one intake at the reception desk costs in statements: pinned, so that it only
goes down (the other apps' event subscribers are detached: they pin their own)."""

import pytest

from motcua.dossiers.models import Dossier
from tests.backoffice.test_desk import CHOSEN, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def core_only():
    from motcua.dossiers import events

    saved = list(events._IN_TX), list(events._AFTER)
    events._IN_TX.clear()
    events._AFTER.clear()
    yield
    events._IN_TX[:], events._AFTER[:] = saved


def test_desk_intake_query_count(
    login, world, clock, warm_calendars, core_only, django_assert_num_queries
):
    client = login("officer")
    client.post(CHOSEN, form_data(world, idempotency_key="warm"))
    data = form_data(world, idempotency_key="counted")
    # session, user, grants, agencies, offering, cases and components, time limit,
    # one-stop unit, the applicant's data store (2); then in one
    # transaction: the offering's intake facts, the dossier, components and submit event,
    # the components for digitisation, the locked dossier, the daily number, the digitised
    # counts, the receipt (a short UPDATE of the changed columns) and its event; 6
    # savepoints
    with django_assert_num_queries(27):
        response = client.post(CHOSEN, data)
    assert response.status_code == 302 and Dossier.objects.count() == 2
