"""Citizen-account tests: switched-on channels, a clean cache, codes read from the outbox."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import AccountKind
from motcua.accounts.security import Client
from motcua.notify.models import OutboxMessage

PASSWORD = "Mật-khẩu-an-toàn-2026"
#: Valid CCCD numbers: 079 = Hồ Chí Minh City, 0 = male born in the 1900s, 90 = 1990.
ID_AN = "079090001234"
ID_BINH = "001195004321"  # Hà Nội, female born 1995
CLIENT = Client("203.0.113.7", "pytest")


@pytest.fixture(autouse=True)
def _accounts_settings(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.NOTIFY_CHANNELS = ["email", "sms"]
    settings.NOTIFY_SMS_ASCII = False
    settings.IDENTITY_PROVIDERS = ["demo"]
    for name, value in {
        "ACCOUNT_CODE_TTL_MINUTES": 10,
        "ACCOUNT_CODE_MAX_ATTEMPTS": 5,
        "ACCOUNT_CODE_RESEND_SECONDS": 60,
        "ACCOUNT_CODE_MAX_PER_HOUR": 5,
        "ACCOUNT_CODE_IP_LIMIT": 100,
        "ACCOUNT_LOGIN_MAX_FAILURES": 5,
        "ACCOUNT_LOCKOUT_MINUTES": 15,
        "ACCOUNT_LOGIN_IP_ATTEMPTS": 50,
        "ACCOUNT_LOGIN_IP_WINDOW_SECONDS": 900,
    }.items():
        setattr(settings, name, value)
    cache.clear()
    yield
    cache.clear()


def code_sent_to(recipient: str) -> str:
    """The 6 digits of the newest code message written to the outbox for ``recipient``."""
    message = (
        OutboxMessage.objects.filter(recipient=recipient, template_key="account_code")
        .order_by("-created_at", "-pk")
        .first()
    )
    assert message is not None, f"no code message for {recipient}"
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match, message.body
    return match.group(1)


def signup_data(**overrides) -> services.Signup:
    data = {
        "kind": AccountKind.PERSON,
        "full_name": "Nguyễn Văn An",
        "id_number": ID_AN,
        "contact_kind": "phone",
        "contact": "0903123456",
        "birth_date": dt.date(1990, 5, 17),
        "language": "vi",
    }
    data.update(overrides)
    return services.Signup(**data)


@pytest.fixture
def make_citizen(db):
    """An account created through the services, as after a confirmed sign-up."""

    def make(**overrides):
        signup = signup_data(**overrides)
        user = services.complete_signup(signup, PASSWORD, client=CLIENT, now=timezone.now())
        return user.citizen_profile

    return make


@pytest.fixture
def citizen(make_citizen):
    """Nguyễn Văn An: phone 0903123456 (verified) and e-mail an@example.vn (verified)."""
    profile = make_citizen()
    profile.email, profile.email_verified = "an@example.vn", True
    profile.save()
    return profile
