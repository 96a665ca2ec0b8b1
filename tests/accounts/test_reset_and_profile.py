"""Password reset by a one-time code; the profile page; changing the phone or e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import CitizenProfile, LoginEvent, OneTimeCode
from motcua.notify.models import OutboxMessage

from .conftest import ID_AN, ID_BINH, PASSWORD, code_sent_to

pytestmark = pytest.mark.django_db

FORGOT = reverse("portal:account_forgot")
CONFIRM = reverse("portal:account_confirm")
SET_PASSWORD = reverse("portal:account_set_password")
LOGIN = reverse("portal:account_login")
PROFILE = reverse("portal:account_profile")
CONTACT = reverse("portal:account_change_contact")
NEW_PASSWORD = "Mật-khẩu-mới-2027!"


def reset(client, identifier: str, recipient: str):
    response = client.post(FORGOT, {"identifier": identifier})
    assert response.status_code == 302 and response.url == CONFIRM
    client.post(CONFIRM, {"action": "confirm", "code": code_sent_to(recipient)})
    return client.post(SET_PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_password_reset_by_phone(client, citizen):
    response = reset(client, "0903 123 456", "0903123456")
    assert response.status_code == 302 and response.url == PROFILE
    citizen.user.refresh_from_db()
    assert citizen.user.check_password(NEW_PASSWORD) and not citizen.user.check_password(PASSWORD)
    assert int(client.session[SESSION_KEY]) == citizen.user.pk
    assert LoginEvent.objects.filter(kind="password_reset", user=citizen.user).exists()


def test_reset_by_id_number_sends_to_the_phone_and_by_email_to_the_email(client, citizen):
    client.post(FORGOT, {"identifier": ID_AN})
    assert OutboxMessage.objects.get(template_key="account_code").recipient == "0903123456"
    client.post(FORGOT, {"identifier": "an@example.vn"})
    assert OutboxMessage.objects.filter(recipient="an@example.vn").exists()


def test_reset_of_an_unknown_account_says_so_next_to_the_field(client):
    response = client.post(FORGOT, {"identifier": "0911222333"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không tìm thấy tài khoản với thông tin này." in page
    assert 'value="0911222333"' in page


def test_reset_lifts_a_lockout(client, citizen):
    CitizenProfile.objects.filter(pk=citizen.pk).update(
        locked_until=timezone.now() + dt.timedelta(minutes=10)
    )
    reset(client, "0903123456", "0903123456")
    citizen.refresh_from_db()
    assert citizen.locked_until is None
    client.post(reverse("portal:account_logout"))
    response = client.post(LOGIN, {"identifier": "0903123456", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_reset_code_cannot_set_a_password_after_the_window(client, citizen):
    client.post(FORGOT, {"identifier": "0903123456"})
    client.post(CONFIRM, {"action": "confirm", "code": code_sent_to("0903123456")})
    session = client.session
    flow = session["account_flow"]
    flow["verified_at"] -= 11 * 60
    session["account_flow"] = flow
    session.save()
    response = client.post(SET_PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == CONFIRM
    citizen.user.refresh_from_db()
    assert citizen.user.check_password(PASSWORD)


def test_used_code_is_blanked_from_the_outbox_once_sent(client, citizen):
    client.post(FORGOT, {"identifier": "0903123456"})
    code = code_sent_to("0903123456")
    OutboxMessage.objects.update(status=OutboxMessage.Status.SENT)
    client.post(CONFIRM, {"action": "confirm", "code": code})
    assert code not in OutboxMessage.objects.get().body


# --- profile ---------------------------------------------------------------------------------


def profile_form(**overrides) -> dict:
    data = {
        "full_name": "Nguyễn Văn An",
        "id_number": ID_AN,
        "birth_date": "17/05/1990",
        "address": "12 Lê Lợi, phường Sài Gòn, TP. Hồ Chí Minh",
        "language": "en",
    }
    data.update(overrides)
    return data


def test_profile_edit(client, citizen):
    client.force_login(citizen.user)
    response = client.post(PROFILE, profile_form(full_name="Nguyễn Văn Ân"))
    assert response.status_code == 302
    citizen.refresh_from_db()
    citizen.user.refresh_from_db()
    assert citizen.address.startswith("12 Lê Lợi") and citizen.language == "en"
    assert citizen.user.full_name == "Nguyễn Văn Ân"
    assert "Đã lưu thông tin cá nhân." in client.get(PROFILE).content.decode()


def test_profile_errors_stay_next_to_the_field_and_keep_the_input(client, citizen, make_citizen):
    make_citizen(id_number=ID_BINH, birth_date=dt.date(1995, 2, 2), contact="0911000111")
    client.force_login(citizen.user)
    response = client.post(PROFILE, profile_form(id_number=ID_BINH, birth_date="02/02/1995"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Số định danh này đã có tài khoản khác." in page
    assert "12 Lê Lợi" in page
    response = client.post(PROFILE, profile_form(birth_date="31/02/1990"))
    assert "Ngày sinh không hợp lệ" in response.content.decode()


def test_identity_fields_are_locked_once_verified(client, citizen):
    citizen.identity_verified = True
    citizen.save()
    client.force_login(citizen.user)
    client.post(PROFILE, profile_form(full_name="Tên Khác", id_number=ID_BINH))
    citizen.refresh_from_db()
    citizen.user.refresh_from_db()
    assert citizen.user.full_name == "Nguyễn Văn An" and citizen.id_number == ID_AN
    assert citizen.address.startswith("12 Lê Lợi")


def test_changing_the_phone_needs_a_code_sent_to_the_new_number(client, citizen):
    client.force_login(citizen.user)
    response = client.post(CONTACT, {"contact": "0987 654 321"})
    assert response.status_code == 302 and response.url == CONFIRM
    citizen.refresh_from_db()
    assert citizen.phone == "0903123456"  # not before the code
    response = client.post(CONFIRM, {"action": "confirm", "code": code_sent_to("0987654321")})
    assert response.status_code == 302 and response.url == PROFILE
    citizen.refresh_from_db()
    citizen.user.refresh_from_db()
    assert citizen.phone == "0987654321" and citizen.phone_verified
    assert citizen.user.phone == "0987654321"
    notice = OutboxMessage.objects.get(template_key="account_notice")
    assert notice.recipient == "0903123456" and "••••••321" in notice.body
    assert LoginEvent.objects.filter(kind="contact_changed").exists()


def test_adding_an_email_and_refusing_a_taken_one(client, citizen, make_citizen):
    make_citizen(
        id_number=ID_BINH,
        birth_date=dt.date(1995, 2, 2),
        contact_kind="email",
        contact="binh@example.vn",
    )
    client.force_login(citizen.user)
    response = client.post(CONTACT, {"contact": "binh@example.vn"})
    assert "đã dùng cho một tài khoản khác" in response.content.decode()
    response = client.post(CONTACT, {"contact": "0903123456"})
    assert "Đây đã là liên hệ hiện tại của bạn." in response.content.decode()
    client.post(CONTACT, {"contact": "An.Moi@Example.vn"})
    client.post(CONFIRM, {"action": "confirm", "code": code_sent_to("an.moi@example.vn")})
    citizen.refresh_from_db()
    assert citizen.email == "an.moi@example.vn"


def test_a_wrong_code_leaves_the_contact_unchanged(client, citizen):
    client.force_login(citizen.user)
    client.post(CONTACT, {"contact": "0987654321"})
    good = code_sent_to("0987654321")
    client.post(CONFIRM, {"action": "confirm", "code": "000000" if good != "000000" else "1" * 6})
    citizen.refresh_from_db()
    assert citizen.phone == "0903123456"
    assert OneTimeCode.objects.get(recipient="0987654321").attempts == 1
