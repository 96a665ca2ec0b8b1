"""The reception desk for a dossier the post hands over (Decision 45/2016/QĐ-TTg): the channel,
the handover recorded with the dossier, the receipt time at the handover, the errors."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.postal.models import PostalHandover
from motcua.supervision.models import DailyStat
from motcua.worktime.limits import Limit
from motcua.worktime.queries import calendar_for
from tests.backoffice.test_desk import CHOSEN, form_data
from tests.backoffice.test_desk_queries import core_only  # noqa: F401  (fixture)
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db

FRIDAY_AFTER_CUTOFF = "2026-03-06 16:00"
MONDAY = "2026-03-09 10:00"


def postal_data(world, **overrides):
    data = form_data(
        world,
        channel="postal",
        carrier="vnpost",
        carrier_other="",
        tracking_number=" ee 123 456 789 vn ",
        handed_over_at="2026-03-06T16:00",
        fee="25000",
        postal_employee="Lê Văn Bưu",
        result_delivery="post",
    )
    data.update(overrides)
    return data


def test_postal_intake_is_received_at_the_handover_not_at_the_entry(login, world, clock):
    entered = clock(MONDAY)
    client = login("officer")
    response = client.post(CHOSEN, postal_data(world))
    assert response.status_code == 302
    d = Dossier.objects.get()
    handed = at(FRIDAY_AFTER_CUTOFF)
    assert d.channel == "postal" and d.state == "received"
    assert d.received_at == handed and d.submitted_at == handed
    # the due date comes from the working-time engine: after the 15:00 cut-off the receipt
    # counts from Monday, three working days end on Thursday
    cal = calendar_for(world["agency"].pk)
    assert d.due_at == cal.due(handed, Limit(3, "working_days")) == at("2026-03-12 17:00")
    assert d.code == "000.21.26.H29-260309-0001"  # the receipt day after the cut-off
    [row] = PostalHandover.objects.all()
    assert (row.dossier, row.direction, row.carrier) == (d, "inbound", "vnpost")
    assert row.tracking_number == "EE123456789VN"  # trimmed, spaces out, capitals
    assert row.handed_over_at == handed and row.fee == 25000
    assert row.postal_employee == "Lê Văn Bưu"
    assert row.recorded_by == world["officer"] and row.recorded_at == entered
    receipt = client.get(response["Location"]).text
    assert "16 giờ 00 phút, ngày 06/03/2026" in receipt  # receipt time on Mẫu 01


def test_days_in_transit_or_waiting_for_entry_are_not_counted(login, world, clock):
    clock(MONDAY)
    client = login("officer")
    client.post(CHOSEN, postal_data(world, handed_over_at="2026-03-06T14:00"))
    postal = Dossier.objects.get()
    client.post(CHOSEN, form_data(world, idempotency_key="counter-key"))
    counter = Dossier.objects.exclude(pk=postal.pk).get()
    assert postal.due_at == at("2026-03-11 17:00")  # from Friday 14:00, before the cut-off
    assert counter.due_at == at("2026-03-12 17:00")  # from Monday 10:00
    assert counter.channel == "counter"


def test_the_handover_defaults_to_now_and_the_channel_to_the_counter(login, world, clock):
    clock(MONDAY)
    html = login("officer").get(CHOSEN).text
    assert 'name="handed_over_at" value="2026-03-09T10:00"' in html
    assert '<input type="radio" name="channel" value="counter" id="id_channel_0" checked>' in html
    assert "Qua dịch vụ bưu chính" in html and "Trực tiếp tại quầy" in html


def test_a_handover_in_the_future_is_refused_next_to_the_field(login, world, clock):
    clock(MONDAY)
    response = login("officer").post(CHOSEN, postal_data(world, handed_over_at="2026-03-09T10:05"))
    assert response.status_code == 400
    assert Dossier.objects.count() == 0 and PostalHandover.objects.count() == 0
    html = response.text
    message = "Thời điểm giao nhận không được ở tương lai."
    assert f'<p class="field-error" id="id_handed_over_at_error">{message}</p>' in html
    assert 'value="2026-03-09T10:05"' in html and 'value=" ee 123 456 789 vn "' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tracking_number", "", "Nhập mã bưu gửi (số vận đơn)."),
        ("tracking_number", "EE12#456", "Mã bưu gửi chỉ gồm chữ cái không dấu"),
        ("tracking_number", "E" * 41, "Mã bưu gửi dài tối đa 40 ký tự."),
        ("fee", "-5000", "Cước bưu chính không được âm."),
        ("carrier", "", "Chọn doanh nghiệp bưu chính."),
        ("handed_over_at", "", "Nhập thời điểm giao nhận với nhân viên bưu chính."),
        ("handed_over_at", "2026-01-05T09:00", "không được trước quá 30 ngày"),
    ],
)
def test_bad_postal_facts_are_refused_next_to_the_field(login, world, clock, field, value, message):
    clock(MONDAY)
    response = login("officer").post(CHOSEN, postal_data(world, **{field: value}))
    assert response.status_code == 400
    assert Dossier.objects.count() == 0 and PostalHandover.objects.count() == 0
    assert f'id="id_{field}_error"' in response.text
    assert message in response.text


def test_another_carrier_needs_its_name(login, world, clock):
    clock(MONDAY)
    client = login("officer")
    unnamed = client.post(CHOSEN, postal_data(world, carrier="other"))
    assert unnamed.status_code == 400 and 'id="id_carrier_other_error"' in unnamed.text
    named = postal_data(world, carrier="other", carrier_other="Giao hàng nhanh")
    assert client.post(CHOSEN, named).status_code == 302
    assert PostalHandover.objects.get().carrier_name == "Giao hàng nhanh"


def test_double_submit_makes_one_dossier_and_one_handover(login, world, clock):
    clock(MONDAY)
    client = login("officer")
    first = client.post(CHOSEN, postal_data(world))
    second = client.post(CHOSEN, postal_data(world))
    assert first["Location"] == second["Location"]
    assert Dossier.objects.count() == 1 and PostalHandover.objects.count() == 1


def test_counter_intake_records_no_handover_even_with_postal_fields_left(login, world, clock):
    clock(MONDAY)
    data = postal_data(world, channel="counter", fee="-1", handed_over_at="2030-01-01T00:00")
    response = login("officer").post(CHOSEN, data)
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.channel == "counter" and d.received_at == at(MONDAY)
    assert PostalHandover.objects.count() == 0


def test_a_postal_dossier_refused_at_intake_keeps_its_handover(login, world, clock):
    clock(MONDAY)
    reason = "Thủ tục không thuộc thẩm quyền của phường"
    response = login("officer").post(CHOSEN, postal_data(world, outcome="refuse", reason=reason))
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.state == "refused" and d.channel == "postal" and d.received_at is None
    assert PostalHandover.objects.get().dossier == d


def test_only_the_receiving_units_officers_enter_postal_dossiers(
    client, login, world, clock, make_user, roles
):
    clock(MONDAY)
    assert login("specialist").post(CHOSEN, postal_data(world)).status_code == 403
    b = world["org"]["b"]
    client.force_login(make_user("tn-b", roles.RECEPTION_OFFICER, b["agency"], b["one_stop"]))
    response = client.post(CHOSEN, postal_data(world))  # ward A's procedure: not offered to B
    assert response.status_code == 200  # the search page of B's own procedures
    assert Dossier.objects.count() == 0 and PostalHandover.objects.count() == 0


def test_a_postal_intake_counts_in_the_postal_column_on_its_receipt_day(login, world, clock):
    clock(MONDAY)
    login("officer").post(CHOSEN, postal_data(world))
    [row] = DailyStat.objects.all()
    assert row.channel == "postal" and row.day.isoformat() == "2026-03-06"
    counts = row.counters()
    assert counts["received_postal"] == 1
    assert counts["received_direct"] == counts["received_online"] == 0


def test_postal_desk_intake_query_count(
    login,
    world,
    clock,
    warm_calendars,
    core_only,  # noqa: F811
    django_assert_num_queries,
):
    clock(MONDAY)
    client = login("officer")
    client.post(CHOSEN, postal_data(world, idempotency_key="warm"))
    data = postal_data(world, idempotency_key="counted", tracking_number="EE000000001VN")
    # the counter intake's 27 statements (tests/backoffice/test_desk_queries.py), the
    # submission dated at the handover (UPDATE: the submit event keeps the entry time) and
    # the handover's INSERT
    with django_assert_num_queries(29):
        response = client.post(CHOSEN, data)
    assert response.status_code == 302 and PostalHandover.objects.count() == 2
