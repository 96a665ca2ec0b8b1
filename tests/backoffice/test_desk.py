"""The reception desk: search, the intake form, the three outcomes, double submit, errors."""

import pytest

from motcua.catalog.models import Offering
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

DESK = "/can-bo/tiep-nhan/"
CHOSEN = f"{DESK}?co-quan=000.21.26.H29&thu-tuc=1.004222"


def form_data(world, **overrides):
    case = world["version"].cases.first()
    spec = case.components.first()
    data = {
        "idempotency_key": "desk-key-1",
        "case": case.pk,
        f"got_{spec.pk}": "on",
        f"orig_{spec.pk}": "1",
        f"copy_{spec.pk}": "0",
        "extra_name": "Giấy xác nhận thông tin về cư trú",
        "extra_originals": "0",
        "extra_copies": "1",
        "sets": "1",
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "079090001234",
        "applicant_birth_date": "1990-05-04",
        "applicant_phone": "0903123456",
        "applicant_email": "an@example.vn",
        "applicant_address": "12 Lê Lợi, phường Sài Gòn",
        "result_delivery": "counter",
        "outcome": "receive",
        "deficiencies": "",
        "reason": "",
    }
    data.update(overrides)
    return data


def test_search_is_diacritic_insensitive_and_limited_to_the_agency(login, world):
    client = login("officer")
    page = client.get(DESK, {"q": "dang ky thuong tru"})
    assert page.status_code == 200
    assert "Đăng ký thường trú" in page.text
    assert "thu-tuc=1.004222" in page.text


def test_good_path_receives_and_shows_the_receipt(login, world, clock):
    clock("2026-03-02 09:00")
    client = login("officer")
    form = client.get(CHOSEN)
    assert form.status_code == 200
    assert 'name="idempotency_key"' in form.text
    response = client.post(CHOSEN, form_data(world))
    d = Dossier.objects.get()
    assert d.state == "received" and d.code == "000.21.26.H29-260302-0001"
    assert response.status_code == 302
    assert response["Location"] == f"/can-bo/ho-so/{d.code}/in/01/"
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    text = receipt.text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert d.code in text
    assert "09 giờ 00 phút, ngày 02/03/2026" in text  # receipt to the minute
    assert "17 giờ 00 phút, ngày 05/03/2026" in text  # appointment to the minute
    assert text.count("NGƯỜI TIẾP NHẬN HỒ SƠ") == 2  # two copies
    assert "Giấy xác nhận thông tin về cư trú" in text
    assert list(d.components.values_list("name", "originals", "copies")) == [
        ("Tờ khai đăng ký khai sinh", 1, 0),
        ("Giấy xác nhận thông tin về cư trú", 0, 1),
    ]


def test_double_submit_with_the_same_key_creates_one_dossier(login, world, clock):
    client = login("officer")
    first = client.post(CHOSEN, form_data(world))
    second = client.post(CHOSEN, form_data(world))
    assert Dossier.objects.count() == 1
    assert first["Location"] == second["Location"]
    other = client.post(CHOSEN, form_data(world, idempotency_key="desk-key-2"))
    assert Dossier.objects.count() == 2 and other["Location"] != first["Location"]


def test_invalid_cccd_message_next_to_the_field_and_input_kept(login, world):
    client = login("officer")
    data = form_data(world, applicant_id_number="07909000123", applicant_name="Trần Thị Bình")
    response = client.post(CHOSEN, data)
    assert response.status_code == 400
    assert Dossier.objects.count() == 0
    html = response.text
    message = "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert f'<p class="field-error" id="id_applicant_id_number_error">{message}</p>' in html
    assert 'aria-describedby="id_applicant_id_number_helptext id_applicant_id_number_error"' in html
    assert 'aria-invalid="true"' in html
    for kept in ('value="07909000123"', 'value="Trần Thị Bình"', 'value="0903123456"'):
        assert kept in html
    assert "Giấy xác nhận thông tin về cư trú" in html  # the extra component is kept too
    assert 'value="desk-key-1"' in html  # same key: retrying still makes one dossier


def test_birth_year_must_match_the_id_number(login, world):
    response = login("officer").post(CHOSEN, form_data(world, applicant_birth_date="1991-05-04"))
    assert response.status_code == 400
    assert "Số định danh không khớp năm sinh 1991" in response.text


def test_request_completion_lists_every_deficiency_on_form_02(login, world, clock):
    client = login("officer")
    data = form_data(
        world,
        outcome="request_completion",
        deficiencies="Bản sao sổ hộ khẩu\nGiấy tờ chứng minh chỗ ở hợp pháp\n",
        reason="Hồ sơ chưa đủ thành phần",
    )
    response = client.post(CHOSEN, data)
    d = Dossier.objects.get()
    assert d.state == "needs_completion" and d.code is None
    assert response["Location"] == f"/can-bo/ho-so/{d.reference}/in/02/"
    text = client.get(response["Location"]).text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "<li>Bản sao sổ hộ khẩu</li>" in text
    assert "<li>Giấy tờ chứng minh chỗ ở hợp pháp</li>" in text
    assert "Hồ sơ chưa đủ thành phần" in text


def test_request_completion_without_deficiencies_is_refused_with_the_text_kept(login, world):
    data = form_data(world, outcome="request_completion", reason="Thiếu giấy tờ")
    response = login("officer").post(CHOSEN, data)
    assert response.status_code == 400 and Dossier.objects.count() == 0
    assert 'id="id_deficiencies_error"' in response.text
    assert "Thiếu giấy tờ" in response.text


def test_refuse_needs_a_reason_and_prints_form_03(login, world):
    client = login("officer")
    missing = client.post(CHOSEN, form_data(world, outcome="refuse"))
    assert missing.status_code == 400
    assert "Cần ghi rõ lý do (theo quy định)." in missing.text
    reason = "Thủ tục không thuộc thẩm quyền của phường"
    response = client.post(CHOSEN, form_data(world, outcome="refuse", reason=reason))
    d = Dossier.objects.get()
    assert d.state == "refused"
    text = client.get(response["Location"]).text
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and reason in text


def test_receive_needs_at_least_one_component(login, world):
    case = world["version"].cases.first()
    spec = case.components.first()
    data = form_data(world, extra_name="")
    del data[f"got_{spec.pk}"]
    response = login("officer").post(CHOSEN, data)
    assert response.status_code == 400
    assert "Đánh dấu các giấy tờ đã nhận" in response.text


def test_lookup_prefills_the_blank_fields_from_a_previous_dossier(login, world, intake):
    intake("2026-03-02 09:00")
    client = login("officer")
    data = form_data(world, applicant_name="", applicant_phone="0911000111", applicant_address="")
    data["lookup"] = "1"
    response = client.post(CHOSEN, data)
    assert response.status_code == 200
    html = response.text
    assert 'value="Nguyễn Văn An"' in html  # blank: taken from the previous dossier
    assert 'value="12 Lê Lợi, phường Sài Gòn"' in html
    assert 'value="0911000111"' in html  # typed: kept
    assert "Đã điền các ô còn trống theo hồ sơ 000.21.26.H29-260302-0001" in html
    assert Dossier.objects.count() == 1


def test_lookup_does_not_reach_dossiers_out_of_scope(client, world, intake, make_user, roles):
    intake("2026-03-02 09:00")  # received by ward A
    b = world["org"]["b"]
    Offering.objects.create(agency=b["agency"], version=world["version"])
    client.force_login(make_user("tn-b", roles.RECEPTION_OFFICER, b["agency"], b["one_stop"]))
    data = form_data(world, applicant_name="", applicant_address="", lookup="1")
    response = client.post(f"{DESK}?co-quan=000.22.26.H29&thu-tuc=1.004222", data)
    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ trước đây của số định danh này" in response.text
    assert "Nguyễn Văn An" not in response.text


def test_desk_is_for_reception_officers_only(login, client):
    assert login("specialist").get(DESK).status_code == 403
    client.logout()
    anonymous = client.get(DESK)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/can-bo/dang-nhap/?next=")
