"""Password sign-in by phone, e-mail or ID number; lockout; throttling; sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.errors import AccountError, LoginThrottled
from motcua.accounts.models import CitizenProfile, LoginEvent

from .conftest import CLIENT, ID_AN, PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("portal:account_login")
LOGOUT = reverse("portal:account_logout")
PROFILE = reverse("portal:account_profile")


def login(client, identifier: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"identifier": identifier, "password": password, **extra})


@pytest.mark.parametrize(
    "identifier", ["0903123456", "+84903123456", "AN@Example.vn", ID_AN, "079 090 001 234"]
)
def test_login_by_phone_email_or_id_number(client, citizen, identifier):
    response = login(client, identifier)
    assert response.status_code == 302 and response.url == PROFILE
    assert int(client.session[SESSION_KEY]) == citizen.user.pk
    page = client.get(PROFILE).content.decode()
    assert "Hồ sơ cá nhân" in page and "••••••••1234" in page
    event = LoginEvent.objects.get(kind="login")
    assert event.user == citizen.user and ID_AN not in event.identifier


def test_login_rotates_the_session_key(client, citizen):
    client.get(LOGIN)
    session = client.session
    session["before"] = True
    session.save()
    before = session.session_key
    login(client, "0903123456")
    assert client.session.session_key != before


def test_session_cookie_is_lax_and_http_only(client, citizen, settings):
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    response = login(client, "0903123456")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["samesite"] == "Lax" and cookie["httponly"]


def test_wrong_password_keeps_the_identifier_and_explains(client, citizen):
    response = login(client, "0903123456", "sai-mat-khau")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page
    assert 'value="0903123456"' in page and "sai-mat-khau" not in page
    assert SESSION_KEY not in client.session


def test_unknown_account_gets_the_same_answer(client, citizen):
    response = login(client, "0999999999", "whatever")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert LoginEvent.objects.get(kind="login_failed").user is None


def test_malformed_identifier_is_explained_next_to_the_field(client):
    response = login(client, "abc")
    assert "Số điện thoại phải gồm 10 chữ số" in response.content.decode()


def test_lockout_after_five_failures_even_with_the_right_password(client, citizen):
    for _ in range(4):
        assert "không đúng" in login(client, "0903123456", "sai").content.decode()
    page = login(client, "0903123456", "sai").content.decode()
    assert "Tài khoản đang tạm khóa vì nhập sai mật khẩu 5 lần liên tiếp" in page
    assert "khoảng 15 phút nữa" in page
    page = login(client, ID_AN).content.decode()  # the right password, by another name
    assert "Tài khoản đang tạm khóa" in page
    assert SESSION_KEY not in client.session
    kinds = list(LoginEvent.objects.values_list("kind", flat=True))
    assert kinds.count("login_failed") == 5 and "locked" in kinds and "refused_locked" in kinds


def test_the_lock_lifts_after_the_window(citizen):
    now = timezone.now()
    for _ in range(5):
        with pytest.raises(AccountError):
            services.login("0903123456", "sai", client=CLIENT, now=now)
    with pytest.raises(AccountError) as locked:
        services.login("0903123456", PASSWORD, client=CLIENT, now=now + dt.timedelta(minutes=14))
    assert locked.value.code == "locked"
    later = now + dt.timedelta(minutes=15, seconds=1)
    user = services.login("0903123456", PASSWORD, client=CLIENT, now=later)
    assert user == citizen.user
    citizen.refresh_from_db()
    assert citizen.failed_logins == 0 and citizen.locked_until is None


def test_a_success_resets_the_failure_count(citizen):
    now = timezone.now()
    for _ in range(4):
        with pytest.raises(AccountError):
            services.login("0903123456", "sai", client=CLIENT, now=now)
    services.login("0903123456", PASSWORD, client=CLIENT, now=now)
    with pytest.raises(AccountError) as error:
        services.login("0903123456", "sai", client=CLIENT, now=now)
    assert error.value.code == "bad_credentials"


def test_lockout_settings_are_read(citizen, settings):
    settings.ACCOUNT_LOGIN_MAX_FAILURES = 2
    settings.ACCOUNT_LOCKOUT_MINUTES = 1
    now = timezone.now()
    with pytest.raises(AccountError):
        services.login("0903123456", "sai", client=CLIENT, now=now)
    with pytest.raises(AccountError) as error:
        services.login("0903123456", "sai", client=CLIENT, now=now)
    assert error.value.code == "locked"
    citizen.refresh_from_db()
    assert citizen.locked_until == now + dt.timedelta(minutes=1)


def test_client_address_is_throttled_across_accounts(client, citizen, settings):
    settings.ACCOUNT_LOGIN_IP_ATTEMPTS = 3
    for number in ("0911000001", "0911000002", "0911000003"):
        login(client, number, "x")
    response = login(client, "0903123456")
    assert response.status_code == 429
    assert "Có quá nhiều lần đăng nhập sai từ máy của bạn" in response.content.decode()
    assert LoginEvent.objects.filter(kind="throttled").exists()
    with pytest.raises(LoginThrottled):
        services.login(
            "0903123456", PASSWORD, client=services.Client("127.0.0.1"), now=timezone.now()
        )


def test_inactive_account_cannot_sign_in(client, citizen):
    citizen.user.is_active = False
    citizen.user.save()
    assert "không đúng" in login(client, "0903123456").content.decode()


def test_next_is_followed_only_inside_the_site(client, citizen):
    response = login(client, "0903123456", next="/tra-cuu/")
    assert response.url == "/tra-cuu/"
    client.post(LOGOUT)
    response = login(client, "0903123456", next="https://evil.example/")
    assert response.url == PROFILE


def test_logout_is_post_only(client, citizen):
    login(client, "0903123456")
    assert client.get(LOGOUT).status_code == 405
    response = client.post(LOGOUT)
    assert response.status_code == 302 and SESSION_KEY not in client.session
    assert LoginEvent.objects.filter(kind="logout", user=citizen.user).exists()


def test_profile_needs_a_citizen_login(client, make_user):
    response = client.get(PROFILE)
    assert response.status_code == 302 and response.url.startswith(LOGIN + "?next=")
    client.force_login(make_user("canbo"))
    response = client.get(PROFILE)
    assert response.status_code == 403 and "tài khoản cán bộ" in response.content.decode()


def test_staff_accounts_cannot_use_the_citizen_login(client, make_user):
    make_user("canbo")
    assert "không đúng" in login(client, "canbo@example.vn", "x-pass-123456").content.decode()


def test_login_page_offers_the_enabled_providers(client):
    page = client.get(LOGIN).content.decode()
    assert reverse("portal:account_external_login", args=["demo"]) in page
    assert 'autocomplete="current-password"' in page


def test_lock_reaches_the_database_atomically(citizen):
    CitizenProfile.objects.filter(pk=citizen.pk).update(failed_logins=4)
    with pytest.raises(AccountError) as error:
        services.login(ID_AN, "sai", client=CLIENT, now=timezone.now())
    assert error.value.code == "locked"
