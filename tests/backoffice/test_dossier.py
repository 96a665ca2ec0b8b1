"""The dossier page: only the allowed actions, each action through the page, errors,
read-only supervisors, out-of-scope 404, and a pinned query count."""

import re

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import perform
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


def url(d, *rest):
    return "/".join([f"/can-bo/ho-so/{d.display_code}", *rest, ""])


def actions(html):
    """The actions offered on the page, in order."""
    return re.findall(r'action="/can-bo/ho-so/[^/]+/thao-tac/([a-z_]+)/"', html)


def post(client, d, action, **data):
    d.refresh_from_db()
    fields = {f"{action}-{k}": v for k, v in data.items()}
    fields.setdefault(f"{action}-expected_version", d.version)
    return client.post(url(d, "thao-tac", action), fields)


@pytest.fixture
def received(world, intake):
    return intake("2026-03-02 09:00")


@pytest.fixture
def moved(world, received):
    d, _ = perform(received, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    return d


def test_page_shows_summary_applicant_components_timeline_and_control_sheet(
    login, world, moved, clock
):
    html = login("specialist").get(url(moved)).text
    for text in (
        moved.code,
        "Đang xử lý",
        "Đăng ký thường trú",
        "Nguyễn Văn An",
        "079090001234",  # full ID for staff in scope
        "0903123456",
        "12 Lê Lợi, phường Sài Gòn",
        "Tờ khai CT01",
        "Tiếp nhận hồ sơ",
        "Cấp mã 000.21.26.H29-260302-0001; hẹn trả 17:00 05/03/2026.",
        "Đến bước “Thẩm định”",
        "Phiếu kiểm soát quá trình giải quyết (Mẫu 06)",
        "Văn hóa – Xã hội",
    ):
        assert text in html, text


def test_only_the_actions_allowed_now_per_role(login, world, received, moved, clock):
    assert actions(login("officer").get(url(moved)).text) == ["stop", "withdraw"]
    assert actions(login("specialist").get(url(moved)).text) == [
        "assign",
        "complete_step",
        "send_back",
        "request_supplement",
        "await_obligation",
        "apologise",
    ]
    assert actions(login("leader").get(url(moved)).text) == []  # not the leaders' unit yet


def test_reception_officer_sees_transfer_on_a_received_dossier(login, received, clock):
    html = login("officer").get(url(received)).text
    assert actions(html)[0] == "transfer"
    assert "stop-reason" in html and "transfer-reason" not in html  # reason only when required


def test_supervisor_reads_but_gets_no_action_forms(login, world, moved, clock):
    client = login("supervisor")
    page = client.get(url(moved))
    assert page.status_code == 200 and actions(page.text) == []
    assert "chỉ xem" in page.text
    response = post(client, moved, "complete_step")
    assert response.status_code == 400
    assert "Bạn không có quyền thực hiện thao tác này" in response.text
    assert Dossier.objects.get().state == "in_process"


def test_specialist_of_another_unit_gets_404(login, world, moved, clock):
    client = login("other_specialist")
    assert client.get(url(moved)).status_code == 404
    assert post(client, moved, "complete_step").status_code == 404
    assert client.get(url(moved, "in", "01")).status_code == 404


def test_full_scenario_through_the_action_forms(login, world, received, clock):
    officer, specialist, leader = (login(n) for n in ("officer", "specialist", "leader"))
    clock("2026-03-02 09:10")
    client = login("officer")
    response = post(client, received, "transfer")
    assert response.status_code == 302 and response["Location"] == url(received)
    assert "Đã thực hiện: Chuyển xử lý." in client.get(url(received)).text
    client = login("specialist")
    s = world["specialist"]
    assert post(client, received, "assign", assignee_id=s.pk).status_code == 302
    assert Dossier.objects.get().assignee == s
    clock("2026-03-02 11:00")
    assert post(client, received, "complete_step").status_code == 302
    client = login("leader")
    clock("2026-03-02 14:00")
    assert actions(client.get(url(received)).text)[:2] == ["assign", "send_back"]
    assert post(client, received, "approve").status_code == 302
    d = Dossier.objects.get()
    assert d.result_code == f"{d.code}-KQ1"
    client = login("officer")
    clock("2026-03-02 15:00")
    assert post(client, d, "complete_step").status_code == 302
    html = client.get(url(d)).text
    assert 'value="Nguyễn Văn An"' in html  # returned_to prefilled
    response = post(client, d, "return_result", returned_to="Nguyễn Văn An", method="counter")
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == "returned" and d.returned_at == at("2026-03-02 15:00")
    assert d.timeliness == "early"
    timeline = client.get(url(d)).text
    assert "Trao cho Nguyễn Văn An (Nhận tại bộ phận một cửa)." in timeline


def test_assign_offers_the_staff_of_the_unit_that_owns_the_step(
    login, world, moved, make_user, roles, clock
):
    make_user("cv2", roles.SPECIALIST, world["agency"], world["processing"])
    html = login("specialist").get(url(moved)).text
    select = re.search(r'<select name="assign-assignee_id".*?</select>', html, re.S).group(0)
    assert "chuyenvien" in select and "cv2" in select
    assert "tiepnhan" not in select and "cv-b" not in select
    outsider = world["other_specialist"]
    response = post(login("specialist"), moved, "assign", assignee_id=outsider.pk)
    assert response.status_code == 400  # not one of the choices


def test_supplement_needs_a_reason_and_the_second_one_an_override(login, world, moved, clock):
    client = login("specialist")
    missing = post(client, moved, "request_supplement", reason="")
    assert missing.status_code == 400
    assert 'id="id_request_supplement-reason_error"' in missing.text
    assert "Cần ghi rõ lý do (theo quy định)." in missing.text
    assert post(client, moved, "request_supplement", reason="Thiếu tờ khai").status_code == 302
    d = Dossier.objects.get()
    assert d.state == "supplement_requested"
    clock("2026-03-02 14:00")
    assert post(login("officer"), d, "receive_supplement").status_code == 302
    client = login("specialist")
    html = client.get(url(d)).text
    assert "request_supplement-override" in html  # second request: explicit override
    refused = post(client, d, "request_supplement", reason="Thiếu bản sao")
    assert refused.status_code == 400 and Dossier.objects.get().supplement_requests == 1
    done = post(client, d, "request_supplement", reason="Thiếu bản sao", override="on")
    assert done.status_code == 302
    d = Dossier.objects.get()
    assert d.supplement_requests == 2 and d.late_by_rule


def test_apologise_with_a_new_date(login, world, moved, clock):
    clock("2026-03-04 09:00")
    client = login("specialist")
    response = post(
        client, moved, "apologise", reason="Cần xác minh tại Công an", new_due_at="2026-03-10T17:00"
    )
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.apologised and d.due_at == at("2026-03-10 17:00")
    letter = client.get(url(d, "in", "04")).text
    assert "17 giờ 00 phút, ngày 05/03/2026" in letter  # original appointment
    assert "17 giờ 00 phút, ngày 10/03/2026" in letter  # new appointment
    assert "Cần xác minh tại Công an" in letter


def test_apologise_errors_come_back_in_vietnamese_with_the_text_kept(login, world, moved, clock):
    clock("2026-03-04 09:00")
    client = login("specialist")
    early = post(client, moved, "apologise", reason="Chậm", new_due_at="2026-03-05T10:00")
    assert early.status_code == 400
    assert "Ngày hẹn trả mới phải sau ngày hẹn hiện tại." in early.text
    assert ">\nChậm</textarea>" in early.text and "<details open>" in early.text
    blank = post(client, moved, "apologise", reason="Chậm", new_due_at="")
    assert "Nhập ngày giờ hẹn trả mới." in blank.text
    clock("2026-03-05 09:00")
    late = post(client, moved, "apologise", reason="Chậm", new_due_at="2026-03-10T17:00")
    assert "chậm nhất 01 ngày làm việc trước ngày hẹn trả" in late.text


def test_stale_version_shows_the_reload_message(login, world, moved, clock):
    client = login("specialist")
    stale = moved.version
    perform(moved, "assign", world["specialist"], assignee_id=world["specialist"].pk)
    response = client.post(
        url(moved, "thao-tac", "complete_step"), {"complete_step-expected_version": stale}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Hồ sơ vừa được cập nhật, vui lòng tải lại" in page
    assert Dossier.objects.get().current_step.name == "Thẩm định"


def test_online_dossier_is_received_from_its_page(login, world, clock):
    from motcua.dossiers.services import NewDossier, create_dossier
    from tests.dossiers.conftest import APPLICANT

    data = NewDossier(offering=world["offering"], channel="online", applicant=APPLICANT)
    d, _ = create_dossier(None, data, now=at("2026-03-02 08:00"))
    client = login("officer")
    assert actions(client.get(url(d)).text) == [
        "receive",
        "request_completion",
        "refuse",
        "withdraw",
    ]
    response = post(client, d, "receive")
    d.refresh_from_db()
    assert d.code and response["Location"] == url(d)


def test_unknown_action_is_a_404(login, moved, clock):
    assert login("specialist").post(url(moved, "thao-tac", "teleport")).status_code == 404


@pytest.mark.parametrize("events", [0, 4])
def test_dossier_page_query_count_is_fixed(
    login, world, moved, clock, warm_calendars, django_assert_num_queries, events
):
    s = world["specialist"]
    d = moved
    for i in range(events):  # more events and steps: the same number of queries
        d, _ = perform(d, "assign", s, now=at(f"2026-03-02 10:{i:02d}"), assignee_id=s.pk)
    client = login("specialist")
    client.get(url(d))
    # session, user, grants, nav counts, dossier, components, pauses, events, control sheet
    # (steps, givers), assignable staff
    with django_assert_num_queries(11):
        page = client.get(url(d))
    assert page.status_code == 200
