"""The postal services: what a handover must say, who may record one, the receipt time."""

import datetime as dt

import pytest

from motcua.dossiers.errors import Forbidden, InvalidInput
from motcua.dossiers.services import NewDossier
from motcua.postal.models import PostalHandover, clean_tracking_number
from motcua.postal.services import Handover, check_handover, intake_by_post, record_inbound
from tests.dossiers.conftest import APPLICANT, at

pytestmark = pytest.mark.django_db

NOW = at("2026-03-09 10:00")


def handover(**changes):
    values = {
        "carrier": "vnpost",
        "tracking_number": "EE123456789VN",
        "handed_over_at": at("2026-03-06 16:00"),
        "fee": 25000,
    }
    return Handover(**{**values, **changes})


def postal_dossier(world, **changes):
    values = {
        "offering": world["offering"],
        "channel": "postal",
        "applicant": APPLICANT,
        "components": ((None, "Tờ khai CT01", 1, 0),),
    }
    return NewDossier(**{**values, **changes})


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  ee123456789vn ", "EE123456789VN"),
        ("1234 5678 9012", "123456789012"),
        ("GHN-778899", "GHN-778899"),
    ],
)
def test_tracking_numbers_are_trimmed_and_in_capitals(typed, kept):
    assert clean_tracking_number(typed) == kept


@pytest.mark.parametrize("typed", ["", "   ", "EE1", "EE 12#34", "-EE1234", "Ư123456", "9" * 41])
def test_bad_tracking_numbers_are_refused(typed):
    with pytest.raises(InvalidInput) as error:
        check_handover(handover(tracking_number=typed), now=NOW)
    assert list(error.value.details) == ["tracking_number"]


def test_every_bad_field_is_named_with_its_own_message():
    bad = handover(
        carrier="ems",
        tracking_number="",
        fee=-1,
        handed_over_at=NOW + dt.timedelta(minutes=1),
    )
    with pytest.raises(InvalidInput) as error:
        check_handover(bad, now=NOW)
    details = error.value.details
    assert details == {
        "carrier": "Chọn doanh nghiệp bưu chính.",
        "tracking_number": "Nhập mã bưu gửi (số vận đơn).",
        "fee": "Cước bưu chính không được âm.",
        "handed_over_at": "Thời điểm giao nhận không được ở tương lai.",
    }
    assert error.value.message == "Thông tin giao nhận bưu chính chưa hợp lệ."


def test_a_naive_or_too_old_handover_time_is_refused():
    naive = handover(handed_over_at=dt.datetime(2026, 3, 6, 16, 0))  # noqa: DTZ001
    with pytest.raises(InvalidInput, match="hợp lệ") as error:
        check_handover(naive, now=NOW)
    assert "múi giờ" in error.value.details["handed_over_at"]
    with pytest.raises(InvalidInput) as error:
        check_handover(handover(handed_over_at=NOW - dt.timedelta(days=31)), now=NOW)
    assert "trước quá 30 ngày" in error.value.details["handed_over_at"]


def test_another_carrier_is_named_and_the_name_kept_only_then():
    with pytest.raises(InvalidInput) as error:
        check_handover(handover(carrier="other"), now=NOW)
    assert list(error.value.details) == ["carrier_other"]
    named = check_handover(handover(carrier="other", carrier_other=" GHN "), now=NOW)
    assert named.carrier_other == "GHN"
    assert check_handover(handover(carrier_other="GHN"), now=NOW).carrier_other == ""


def test_intake_by_post_is_received_at_the_handover(world):
    d, created = intake_by_post(
        world["officer"], postal_dossier(world), handover(), now=NOW, action="receive"
    )
    assert created and d.channel == "postal" and d.state == "received"
    assert d.received_at == d.submitted_at == at("2026-03-06 16:00")
    row = PostalHandover.objects.get()
    assert (row.direction, row.recorded_at) == ("inbound", NOW)


def test_the_receipt_can_be_set_to_the_entry_instead(world, settings):
    settings.POSTAL_RECEIPT_AT_HANDOVER = False  # the province counts from the entry
    d, _ = intake_by_post(
        world["officer"], postal_dossier(world), handover(), now=NOW, action="receive"
    )
    assert d.received_at == NOW
    assert PostalHandover.objects.get().handed_over_at == at("2026-03-06 16:00")


@pytest.mark.parametrize("who", ["specialist", "other_officer", "supervisor"])
def test_only_the_receiving_units_officers_record(world, make_user, roles, who):
    b = world["org"]["b"]
    users = {
        "specialist": world["specialist"],
        "supervisor": world["supervisor"],
        "other_officer": make_user("tn-b", roles.RECEPTION_OFFICER, b["agency"], b["one_stop"]),
    }
    with pytest.raises(Forbidden):
        intake_by_post(users[who], postal_dossier(world), handover(), now=NOW, action="receive")
    d, _ = intake_by_post(world["officer"], postal_dossier(world), handover(), now=NOW)
    with pytest.raises(Forbidden):
        record_inbound(d, users[who], handover(tracking_number="EE999999999VN"), now=NOW)
    assert PostalHandover.objects.count() == 1


def test_a_counter_dossier_takes_no_inbound_handover(world, intake):
    d = intake("2026-03-09 09:00")
    with pytest.raises(InvalidInput, match="không nộp qua dịch vụ bưu chính"):
        record_inbound(d, world["officer"], handover(), now=NOW)
    assert PostalHandover.objects.count() == 0


def test_a_repeated_idempotency_key_records_nothing_more(world):
    for _ in range(2):
        intake_by_post(
            world["officer"], postal_dossier(world), handover(), idempotency_key="k", now=NOW
        )
    assert PostalHandover.objects.count() == 1
