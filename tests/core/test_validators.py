import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.core.validators import validate_cccd, validate_tax_code


def test_valid_cccd_with_matching_birth_year():
    assert validate_cccd("079 090 001234", dt.date(1990, 5, 4)) == "079090001234"
    assert validate_cccd("001305012345", dt.date(2005, 1, 1)) == "001305012345"  # female, 2000s


@pytest.mark.parametrize(
    ("number", "birth", "code"),
    [
        ("12345", None, "cccd_length"),
        ("07909000123A", None, "cccd_length"),
        ("099090001234", None, "cccd_province"),  # 099 is no province code
        ("079090001234", dt.date(1991, 5, 4), "cccd_birth_year"),
        ("079290001234", dt.date(1990, 5, 4), "cccd_birth_year"),  # digit 2 means 2000s
    ],
)
def test_invalid_cccd_says_why_in_vietnamese(number, birth, code):
    with pytest.raises(ValidationError) as info:
        validate_cccd(number, birth)
    assert info.value.code == code


def test_tax_codes():
    assert validate_tax_code("0312345678") == "0312345678"
    assert validate_tax_code("0312345678-001") == "0312345678-001"
    for bad in ("031234567", "0312345678-1", "abc"):
        with pytest.raises(ValidationError):
            validate_tax_code(bad)
