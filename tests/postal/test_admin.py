"""The admin lists handovers read-only, within the user's scope (``org.permissions``)."""

import pytest

from motcua.catalog.models import Offering
from motcua.dossiers.services import NewDossier
from motcua.postal.models import PostalHandover
from motcua.postal.services import Handover, intake_by_post
from tests.dossiers.conftest import APPLICANT, at

pytestmark = pytest.mark.django_db

LIST = "/quan-tri/postal/postalhandover/"


def received_by_post(offering, officer, number):
    new = NewDossier(offering=offering, channel="postal", applicant=APPLICANT)
    handover = Handover("vnpost", number, at("2026-03-06 16:00"), 20000)
    return intake_by_post(officer, new, handover, now=at("2026-03-09 10:00"))[0]


def test_each_unit_sees_its_own_handovers_and_nobody_edits_them(client, world, make_user, roles):
    b = world["org"]["b"]
    officer_b = make_user("tn-b", roles.RECEPTION_OFFICER, b["agency"], b["one_stop"])
    offering_b = Offering.objects.create(agency=b["agency"], version=world["version"])
    received_by_post(world["offering"], world["officer"], "EE111111111VN")
    received_by_post(offering_b, officer_b, "EE222222222VN")
    officer_b.is_staff = True
    officer_b.save(update_fields=["is_staff"])
    client.force_login(officer_b)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "EE222222222VN" in page.text and "EE111111111VN" not in page.text
    mine = PostalHandover.objects.get(tracking_number="EE222222222VN")
    theirs = PostalHandover.objects.get(tracking_number="EE111111111VN")
    assert client.get(f"{LIST}{mine.pk}/change/").status_code == 200
    assert client.get(f"{LIST}{theirs.pk}/change/").status_code in (302, 404)
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}{mine.pk}/delete/").status_code == 403
