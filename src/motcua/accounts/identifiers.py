"""Login names of citizen accounts: phone numbers, e-mail addresses and ID numbers.

Pure functions (no database): normalising what people type and masking what is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from motcua.notify.privacy import mask_id, mask_recipient

__all__ = ["Identifier", "classify", "mask_id", "mask_recipient", "normalize_contact"]

PHONE, EMAIL, ID_NUMBER = "phone", "email", "id_number"
_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"0[1-9]\d{8}")


@dataclass(frozen=True)
class Identifier:
    """What a person typed as a login name, cleaned: ``kind`` is phone, email or id_number."""

    kind: str
    value: str

    @property
    def medium(self) -> str:
        """The notification medium that reaches this address (``sms`` or ``email``)."""
        return "email" if self.kind == EMAIL else "sms"

    def masked(self) -> str:
        return mask_id(self.value) if self.kind == ID_NUMBER else mask_recipient(self.value)


def normalize_phone(value: str) -> str:
    """``+84 903 123 456`` / ``84903123456`` / ``0903.123.456`` → ``0903123456``."""
    digits = _SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(
            _("Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0903123456)."),
            code="phone",
        )
    return digits


def normalize_email(value: str) -> str:
    """Trimmed and lower-cased; invalid addresses raise ``ValidationError``."""
    email = (value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            _("Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@example.vn)."), code="email"
        ) from exc
    return email


def normalize_contact(value: str) -> Identifier:
    """A phone number or an e-mail address (an ``@`` decides which)."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(
            _("Hãy nhập số điện thoại hoặc địa chỉ thư điện tử."), code="required"
        )
    if "@" in value:
        return Identifier(EMAIL, normalize_email(value))
    return Identifier(PHONE, normalize_phone(value))


def classify(value: str) -> Identifier:
    """A login name: e-mail (has ``@``), ID number (12 digits) or phone number."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(
            _("Hãy nhập số điện thoại, thư điện tử hoặc số định danh cá nhân."), code="required"
        )
    compact = _SEPARATORS.sub("", value)
    if "@" not in value and compact.isdigit() and len(compact) == 12:
        return Identifier(ID_NUMBER, compact)
    return normalize_contact(value)
