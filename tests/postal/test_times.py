"""The times of the postal channel (Decision 45/2016/QĐ-TTg): a dossier the post hands over is
submitted and received at the handover, whenever the officer gives the answer; a result sent
by post is returned at the handover to the post. The event log keeps the instant each
officer acted."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import NewDossier, create_dossier, perform
from motcua.postal.models import PostalHandover
from motcua.postal.services import Handover, intake_by_post, return_by_post
from motcua.worktime.limits import Limit
from motcua.worktime.queries import calendar_for
from tests.dossiers.conftest import APPLICANT, at
from tests.postal.test_api import local, postal_body

pytestmark = pytest.mark.django_db

HANDED = "2026-03-06 14:00"  # Friday, before the 15:00 cut-off
ENTERED = "2026-03-09 10:00"  # Monday


def inbound(when=HANDED, **changes):
    return Handover("vnpost", changes.pop("tracking_number", "EE123456789VN"), at(when), **changes)


def new_postal(world, **changes):
    values = {
        "offering": world["offering"],
        "channel": "postal",
        "applicant": APPLICANT,
        "components": ((None, "Tờ khai CT01", 1, 0),),
        "result_delivery": "post",
    }
    return NewDossier(**{**values, **changes})


def times(d):
    return {e.action: e.at for e in d.events.order_by("seq")}


# --- intake: one service, one rule for the desk and the API ---------------------------------


def test_intake_by_post_dates_the_dossier_at_the_handover_and_the_events_at_the_entry(world):
    d, _ = intake_by_post(
        world["officer"], new_postal(world), inbound(), now=at(ENTERED), action="receive"
    )
    d.refresh_from_db()
    assert d.submitted_at == d.received_at == at(HANDED)
    assert times(d) == {"submit": at(ENTERED), "receive": at(ENTERED)}
    cal = calendar_for(world["agency"].pk)
    assert d.due_at == cal.due(at(HANDED), Limit(3, "working_days")) == at("2026-03-11 17:00")


def test_the_desk_dates_the_events_at_the_entry_like_the_api(login, world, clock):
    from tests.backoffice.test_desk import CHOSEN
    from tests.backoffice.test_desk_postal import postal_data

    clock(ENTERED)
    response = login("officer").post(CHOSEN, postal_data(world, handed_over_at="2026-03-06T14:00"))
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.submitted_at == d.received_at == at(HANDED)
    assert times(d) == {"submit": at(ENTERED), "receive": at(ENTERED)}


def test_postal_intake_without_the_handover_is_refused(world):
    with pytest.raises(InvalidInput) as error:
        intake_by_post(world["officer"], new_postal(world), None, now=at(ENTERED))
    assert error.value.details == {"postal": "required"}
    assert "bưu chính" in error.value.message
    assert Dossier.objects.count() == 0


def test_a_handover_for_another_channel_is_refused(world):
    with pytest.raises(InvalidInput) as error:
        intake_by_post(world["officer"], new_postal(world, channel="counter"), inbound())
    assert "postal" in error.value.details
    assert Dossier.objects.count() == 0 and PostalHandover.objects.count() == 0


# --- a receipt given later: still at the handover --------------------------------------------


def test_a_postal_dossier_received_later_through_the_api_is_received_at_the_handover(api):
    handed = local(timezone.now() - dt.timedelta(hours=30))
    body = {**postal_body(handed), "receive": False}
    created = api("officer", "post", "/api/v1/dossiers", body)
    assert created.status_code == 201, created.json()
    assert created.json()["state"] == "submitted"
    reference = created.json()["reference"]
    before = timezone.now()
    response = api("officer", "post", f"/api/v1/dossiers/{reference}/actions/receive", {})
    assert response.status_code == 200, response.json()
    d = Dossier.objects.get()
    handed_at = dt.datetime.fromisoformat(handed)
    assert d.state == "received" and d.received_at == handed_at == d.submitted_at
    cal = calendar_for(d.competent_agency_id)
    assert d.due_at == cal.due(handed_at, Limit(3, "working_days"))
    assert times(d)["receive"] >= before  # the log keeps when the officer acted


def test_a_postal_dossier_received_later_on_the_dossier_page_is_received_at_the_handover(
    login, world, clock
):
    d, _ = intake_by_post(world["officer"], new_postal(world), inbound(), now=at(ENTERED))
    assert d.state == "submitted"
    clock("2026-03-09 10:30")
    client = login("officer")
    response = client.post(
        f"/can-bo/ho-so/{d.display_code}/thao-tac/receive/",
        {"receive-expected_version": d.version},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.received_at == at(HANDED) and d.due_at == at("2026-03-11 17:00")
    assert times(d)["receive"] == at("2026-03-09 10:30")


def test_a_later_receipt_counts_from_the_entry_when_the_province_says_so(world, settings):
    settings.POSTAL_RECEIPT_AT_HANDOVER = False
    d, _ = intake_by_post(world["officer"], new_postal(world), inbound(), now=at(ENTERED))
    from motcua.postal.services import act

    d = act(d, "receive", world["officer"], now=at("2026-03-09 10:30"))
    assert d.submitted_at == at(ENTERED) and d.received_at == at("2026-03-09 10:30")


def test_a_counter_dossier_is_received_when_the_officer_acts(world):
    data = new_postal(world, channel="counter", result_delivery="counter")
    d, _ = create_dossier(world["officer"], data, now=at(ENTERED))
    from motcua.postal.services import act

    d = act(d, "receive", world["officer"], now=at("2026-03-09 10:30"))
    assert d.received_at == at("2026-03-09 10:30")


@pytest.mark.parametrize(
    ("received", "message"),
    [
        ("2026-03-09 10:31", "không được ở tương lai"),
        ("2026-03-09 09:59", "không được trước thời điểm nộp hồ sơ"),
    ],
)
def test_the_receipt_time_is_neither_in_the_future_nor_before_the_submission(
    world, received, message
):
    data = new_postal(world, channel="counter", result_delivery="counter")
    d, _ = create_dossier(world["officer"], data, now=at(ENTERED))
    with pytest.raises(InvalidInput, match=message):
        perform(
            d, "receive", world["officer"], now=at("2026-03-09 10:30"), received_at=at(received)
        )
    assert Dossier.objects.get().state == "submitted"


# --- return by post: at the handover to the post ---------------------------------------------


def test_a_result_returned_by_post_is_returned_at_the_handover(world, resolved):
    d = resolved()  # due Thursday 5/3 17:00
    outbound = Handover("viettel_post", "123456789012", at("2026-03-05 16:00"), fee=30000)
    d, row = return_by_post(d, world["officer"], outbound, now=at("2026-03-06 08:00"))
    d.refresh_from_db()
    assert d.returned_at == at("2026-03-05 16:00") and d.return_method == "post"
    event = d.events.get(action="return_result")
    assert event.at == at("2026-03-06 08:00")  # entered the next morning
    assert event.payload["return_timeliness"] == "early"  # handed to the post before the due
    assert row.recorded_at == at("2026-03-06 08:00")


def test_a_result_handed_to_the_post_after_the_due_date_is_late(world, resolved):
    d = resolved()
    outbound = Handover("vnpost", "EE123456789VN", at("2026-03-06 08:00"))
    d, _ = return_by_post(d, world["officer"], outbound, now=at("2026-03-06 08:05"))
    assert d.events.get(action="return_result").payload["return_timeliness"] == "late"


def test_a_counter_return_is_classified_at_the_return(world, resolved):
    d = resolved()
    d, event = perform(
        d, "return_result", world["officer"], now=at("2026-03-05 17:00"), method="counter"
    )
    assert d.returned_at == at("2026-03-05 17:00")
    assert event.payload["return_timeliness"] == "on_time"
