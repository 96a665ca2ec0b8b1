"""Validators for Vietnamese identifiers."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Province-of-birth codes (first three digits) under Circular 59/2021/TT-BCA, Annex I.
_PROVINCE_CODES = (
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 "
    "034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 "
    "067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096"
)
CCCD_PROVINCES = frozenset(_PROVINCE_CODES.split())


def validate_cccd(value: str, birth_date: dt.date | None = None) -> str:
    """Check a 12-digit personal identification number (số định danh cá nhân, CCCD).

    Digits 1–3: province of birth; digit 4: sex and century of birth (0/1 → 1900s, 2/3 →
    2000s, 4/5 → 2100s…); digits 5–6: the last two digits of the year of birth (Decree
    137/2015/NĐ-CP Art. 7; Circular 59/2021/TT-BCA). Returns the cleaned number.
    """
    number = (value or "").replace(" ", "").replace(".", "")
    if len(number) != 12 or not number.isdigit():
        raise ValidationError(
            _("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="cccd_length"
        )
    if number[:3] not in CCCD_PROVINCES:
        raise ValidationError(
            _("Ba chữ số đầu (%(code)s) không phải mã tỉnh nơi đăng ký khai sinh hợp lệ.")
            % {"code": number[:3]},
            code="cccd_province",
        )
    if birth_date is not None:
        century = 1900 + 100 * (int(number[3]) // 2)
        if century > 2200:
            century = 1800  # digits 8/9 are kept for the 1800s in practice
        if century + int(number[4:6]) != birth_date.year:
            raise ValidationError(
                _("Số định danh không khớp năm sinh %(year)s (chữ số thứ 4–6).")
                % {"year": birth_date.year},
                code="cccd_birth_year",
            )
    return number


def validate_tax_code(value: str) -> str:
    """A tax code (mã số thuế): 10 digits, or 10 digits + '-' + 3 digits for a branch."""
    code = (value or "").strip()
    head, _sep, branch = code.partition("-")
    if not (
        len(head) == 10
        and head.isdigit()
        and (not branch or (len(branch) == 3 and branch.isdigit()))
    ):
        raise ValidationError(
            _("Mã số thuế gồm 10 chữ số (chi nhánh: thêm -xxx)."), code="tax_code"
        )
    return code
