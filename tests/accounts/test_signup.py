"""Sign-up with a phone number or an e-mail address and a one-time code from the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from motcua.accounts.models import CitizenProfile, LoginEvent, OneTimeCode, User
from motcua.notify.models import OutboxMessage

from .conftest import ID_AN, ID_BINH, PASSWORD, code_sent_to

pytestmark = pytest.mark.django_db

SIGNUP = reverse("portal:account_signup")
CONFIRM = reverse("portal:account_confirm")
SET_PASSWORD = reverse("portal:account_set_password")
PROFILE = reverse("portal:account_profile")


def form(**overrides) -> dict:
    data = {
        "kind": "person",
        "full_name": "Nguyễn Văn An",
        "id_number": ID_AN,
        "birth_date": "1990-05-17",
        "organisation_name": "",
        "tax_code": "",
        "contact": "an@example.vn",
    }
    data.update(overrides)
    return data


def finish(client, recipient: str) -> None:
    response = client.post(CONFIRM, {"action": "confirm", "code": code_sent_to(recipient)})
    assert response.status_code == 302 and response.url == SET_PASSWORD
    response = client.post(SET_PASSWORD, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response.url == PROFILE


def test_sign_up_by_email_with_the_code_from_the_outbox(client):
    response = client.post(SIGNUP, form())
    assert response.status_code == 302 and response.url == CONFIRM
    message = OutboxMessage.objects.get(recipient="an@example.vn")
    assert message.channel == "email" and message.dossier_id is None
    assert message.template_key == "account_code" and message.status == "pending"
    assert "10 phút" in message.body
    stored = OneTimeCode.objects.get(recipient="an@example.vn")
    assert code_sent_to("an@example.vn") not in stored.code_hash  # only a keyed hash is kept
    page = client.get(CONFIRM)
    assert "a•@example.vn" in page.content.decode()

    finish(client, "an@example.vn")

    profile = CitizenProfile.objects.select_related("user").get(id_number=ID_AN)
    assert profile.email == "an@example.vn" and profile.email_verified
    assert profile.phone is None and not profile.phone_verified
    assert profile.user.full_name == "Nguyễn Văn An"
    assert profile.user.check_password(PASSWORD)
    assert profile.birth_date == dt.date(1990, 5, 17)
    assert client.get(PROFILE).status_code == 200  # signed in
    assert LoginEvent.objects.filter(kind="signup", user=profile.user).exists()


def test_sign_up_by_phone_writes_an_sms(client):
    response = client.post(SIGNUP, form(contact="+84 903 123 456"))
    assert response.status_code == 302
    message = OutboxMessage.objects.get(recipient="0903123456")
    assert message.channel == "sms" and message.subject == ""
    assert len(message.body) <= 160
    finish(client, "0903123456")
    profile = CitizenProfile.objects.get(id_number=ID_AN)
    assert profile.phone == "0903123456" and profile.phone_verified
    assert profile.user.phone == "0903123456"


def test_organisation_sign_up_needs_a_name_and_a_tax_code(client):
    response = client.post(SIGNUP, form(kind="organisation", birth_date=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vui lòng nhập tên tổ chức." in page
    assert "Vui lòng nhập mã số thuế của tổ chức." in page
    response = client.post(
        SIGNUP,
        form(
            kind="organisation",
            birth_date="",
            organisation_name="Công ty TNHH Sen Vàng",
            tax_code="0312345678",
        ),
    )
    assert response.status_code == 302
    finish(client, "an@example.vn")
    profile = CitizenProfile.objects.get(tax_code="0312345678")
    assert profile.is_organisation and profile.organisation_name == "Công ty TNHH Sen Vàng"


def test_wrong_code_says_how_many_tries_are_left(client):
    client.post(SIGNUP, form())
    good = code_sent_to("an@example.vn")
    wrong = "000000" if good != "000000" else "111111"
    response = client.post(CONFIRM, {"action": "confirm", "code": wrong})
    assert response.status_code == 200
    assert "Mã không đúng. Bạn còn 4 lần thử." in response.content.decode()
    response = client.post(CONFIRM, {"action": "confirm", "code": "12ab"})
    assert "Mã xác nhận gồm đúng 6 chữ số." in response.content.decode()
    assert LoginEvent.objects.filter(kind="code_failed").count() == 1
    assert client.post(CONFIRM, {"action": "confirm", "code": good}).status_code == 302


def test_expired_code_is_refused(client):
    client.post(SIGNUP, form())
    code = code_sent_to("an@example.vn")
    OneTimeCode.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = client.post(CONFIRM, {"action": "confirm", "code": code})
    assert response.status_code == 200
    assert "Mã đã hết hạn (mã chỉ có hiệu lực 10 phút)" in response.content.decode()
    assert not User.objects.filter(citizen_profile__id_number=ID_AN).exists()


def test_five_wrong_tries_cancel_the_code_even_the_right_one_after(client):
    client.post(SIGNUP, form())
    good = code_sent_to("an@example.vn")
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(4):
        client.post(CONFIRM, {"action": "confirm", "code": wrong})
    response = client.post(CONFIRM, {"action": "confirm", "code": wrong})
    assert "Bạn đã nhập sai 5 lần nên mã này đã bị hủy" in response.content.decode()
    response = client.post(CONFIRM, {"action": "confirm", "code": good})
    assert "Bạn đã nhập sai 5 lần nên mã này đã bị hủy" in response.content.decode()
    assert OneTimeCode.objects.get().attempts == 5


def test_resend_is_throttled_then_replaces_the_old_code(client, settings):
    client.post(SIGNUP, form())
    first = code_sent_to("an@example.vn")
    response = client.post(CONFIRM, {"action": "resend"})
    assert response.status_code == 200
    assert "Vui lòng chờ" in response.content.decode() and "giây" in response.content.decode()
    assert OneTimeCode.objects.count() == 1

    OneTimeCode.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = client.post(CONFIRM, {"action": "resend"})
    assert response.status_code == 302
    assert OneTimeCode.objects.count() == 2
    second = code_sent_to("an@example.vn")
    if second != first:  # the old code no longer works
        response = client.post(CONFIRM, {"action": "confirm", "code": first})
        assert "Mã không đúng" in response.content.decode()
    assert client.post(CONFIRM, {"action": "confirm", "code": second}).status_code == 302


def test_hourly_cap_on_codes_to_one_address(client, settings):
    settings.ACCOUNT_CODE_RESEND_SECONDS = 0
    settings.ACCOUNT_CODE_MAX_PER_HOUR = 2
    client.post(SIGNUP, form())
    assert client.post(CONFIRM, {"action": "resend"}).status_code == 302
    response = client.post(CONFIRM, {"action": "resend"})
    assert "Đã gửi 2 mã tới địa chỉ này trong một giờ" in response.content.decode()


def test_duplicate_id_number_is_refused_next_to_the_field(client, make_citizen):
    make_citizen(contact="0911000111")
    response = client.post(SIGNUP, form())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Số định danh này đã có tài khoản." in page
    assert 'id="id_id_number_error"' in page
    assert 'value="Nguyễn Văn An"' in page and 'value="an@example.vn"' in page  # nothing lost
    assert not OutboxMessage.objects.exists()


def test_duplicate_contact_is_refused(client, make_citizen):
    make_citizen(
        id_number=ID_BINH,
        birth_date=dt.date(1995, 1, 1),
        contact_kind="email",
        contact="an@example.vn",
    )
    response = client.post(SIGNUP, form())
    assert "Địa chỉ thư điện tử này đã dùng cho một tài khoản khác." in response.content.decode()


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("07909000123", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        ("999090001234", "không phải mã tỉnh nơi đăng ký khai sinh hợp lệ"),
        ("079095001234", "Số định danh không khớp năm sinh 1990"),
    ],
)
def test_invalid_cccd_is_explained(client, id_number, message):
    response = client.post(SIGNUP, form(id_number=id_number))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'aria-invalid="true"' in page
    assert not OneTimeCode.objects.exists()


def test_bad_contact_and_missing_fields_have_precise_messages(client):
    response = client.post(SIGNUP, form(contact="0903", full_name="", birth_date=""))
    page = response.content.decode()
    assert "Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0" in page
    assert "Vui lòng nhập họ và tên." in page
    assert "Vui lòng nhập ngày sinh." in page


def test_going_back_keeps_what_was_typed_and_the_code(client):
    client.post(SIGNUP, form())
    page = client.get(SIGNUP).content.decode()
    assert 'value="Nguyễn Văn An"' in page and 'value="an@example.vn"' in page
    assert 'value="1990-05-17"' in page
    response = client.post(SIGNUP, form(full_name="Nguyễn Văn Ân"))
    assert response.status_code == 302
    assert OneTimeCode.objects.count() == 1  # same address: the code already sent still works
    finish(client, "an@example.vn")
    assert User.objects.get(citizen_profile__id_number=ID_AN).full_name == "Nguyễn Văn Ân"


def test_weak_or_mismatched_passwords_are_refused(client):
    client.post(SIGNUP, form())
    client.post(CONFIRM, {"action": "confirm", "code": code_sent_to("an@example.vn")})
    response = client.post(SET_PASSWORD, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert not CitizenProfile.objects.exists()
    response = client.post(SET_PASSWORD, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "Hai mật khẩu không giống nhau." in response.content.decode()


def test_password_page_needs_a_confirmed_code(client):
    response = client.get(SET_PASSWORD)
    assert response.status_code == 302 and response.url == SIGNUP
    client.post(SIGNUP, form())
    response = client.get(SET_PASSWORD)
    assert response.status_code == 302 and response.url == CONFIRM


def test_no_sms_channel_switched_on_is_said_plainly(client, settings):
    settings.NOTIFY_CHANNELS = ["email"]
    response = client.post(SIGNUP, form(contact="0903123456"))
    assert "Hệ thống chưa bật kênh gửi tin này." in response.content.decode()
