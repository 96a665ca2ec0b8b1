"""Account messages follow the language of the page (Vietnamese is the source text): the
refusals, the codes' texts and the identity provider's; counts use the plural forms."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from motcua.accounts import codes, identifiers, messaging
from motcua.accounts.errors import AccountError
from motcua.accounts.identity import flows
from motcua.accounts.identity.base import IdentityError
from tests.accounts.conftest import code_sent_to
from tests.dossiers.test_translated_texts import english  # noqa: F401  (fixture)

WRONG = "Mã không đúng. Bạn còn %(n)s lần thử."
STATE = (
    "Phiên đăng nhập không hợp lệ hoặc đã được dùng (state không khớp). Có thể bạn đã mở một "
    "đường dẫn cũ hoặc đường dẫn đã bị sửa. Vui lòng bắt đầu đăng nhập lại."
)


def test_a_wrong_code_counts_the_tries_in_english(db, english):  # noqa: F811
    english(
        {(WRONG, 0): "Wrong code. %(n)s try left.", (WRONG, 1): "Wrong code. %(n)s tries left."}
    )
    row = codes.issue("signup", "sms", "0903123456", ip="203.0.113.7", now=timezone.now())
    wrong = "000000" if code_sent_to(row.recipient) != "000000" else "111111"
    with translation.override("en"), pytest.raises(AccountError) as refused:
        codes.verify(row.pk, wrong, now=timezone.now())
    assert refused.value.message == "Wrong code. 4 tries left."
    assert refused.value.code == "code_wrong"  # the machine code stays English
    with pytest.raises(AccountError, match="Bạn còn 3 lần thử"):
        codes.verify(row.pk, wrong, now=timezone.now())


def test_code_message_and_validation_follow_the_language(english):  # noqa: F811
    english(
        {
            "Mã xác nhận Một Cửa: %(code)s": "Một Cửa verification code: %(code)s",
            "Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0903123456).": (
                "A phone number has 10 digits and starts with 0 (e.g. 0903123456)."
            ),
        }
    )
    with translation.override("en"):
        subject, _body, _short = messaging._texts("sign-up", "123456", 10)
        with pytest.raises(ValidationError) as bad:
            identifiers.normalize_phone("12345")
    assert subject == "Một Cửa verification code: 123456"
    assert bad.value.messages == [
        "A phone number has 10 digits and starts with 0 (e.g. 0903123456)."
    ]
    with translation.override("vi"):
        subject, body, short = messaging._texts("đăng ký", "123456", 10)
    assert subject == "Mã xác nhận Một Cửa: 123456"
    assert "Mã có hiệu lực 10 phút" in body and short.isascii() and "123456" in short


def test_identity_refusals_follow_the_language(rf, english):  # noqa: F811
    english({STATE: "This sign-in is not valid any more (state mismatch). Start again."})
    request = rf.get("/", {"state": "nope"})
    request.session = {}
    with translation.override("en"), pytest.raises(IdentityError) as refused:
        flows.take(request)
    assert refused.value.message.startswith("This sign-in is not valid")
    assert refused.value.code == "state"
