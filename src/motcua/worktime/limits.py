"""Processing-time limits (thời hạn giải quyết): a value and a unit, and a forgiving parser.

The national catalogue gives each channel of a procedure a time such as ``05 Ngày làm việc``,
``1.5 Ngày làm việc``, ``8 Giờ``, ``15 Ngày`` or ``1 Tháng``; some procedures are settled
``trong ngày`` (within the day). :func:`Limit.parse` reads those and their English forms.

Units (DOMAIN.md "Procedure catalogue"): working days, working hours, days (calendar days,
Civil Code 2015 Art. 147–148), months, and within the day. A bare ``giờ``/``hours`` means
working hours: the catalogue has no unit of clock hours. A bare ``ngày``/``days`` means
calendar days.

Pure Python: no Django import, so the engine and the benchmark can use it anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

__all__ = ["Limit", "LimitUnit"]


class LimitUnit(StrEnum):
    """Unit of a processing time (đơn vị thời hạn)."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    DAYS = "days"
    MONTHS = "months"
    WITHIN_DAY = "within_day"

    @property
    def label_vi(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_LABELS = {
    LimitUnit.WORKING_DAYS: ("ngày làm việc", "working days"),
    LimitUnit.WORKING_HOURS: ("giờ làm việc", "working hours"),
    LimitUnit.DAYS: ("ngày", "days"),
    LimitUnit.MONTHS: ("tháng", "months"),
    LimitUnit.WITHIN_DAY: ("trong ngày", "within the day"),
}

# Units whose value may carry a fraction ("1.5 ngày làm việc", "0,5 giờ").
_FRACTIONAL_UNITS = frozenset({LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS})

_EXAMPLES = (
    "ví dụ / e.g. '3 ngày làm việc', '8 giờ làm việc', '15 ngày', '1 tháng', 'trong ngày', "
    "'3 working days', '8 working hours', '15 days', '1 month', 'within the day'"
)


def _error(text: object, vi: str, en: str) -> ValueError:
    return ValueError(f"Thời hạn không hợp lệ / Invalid limit {text!r}: {vi} / {en}; {_EXAMPLES}")


@dataclass(frozen=True, slots=True)
class Limit:
    """A processing time: ``value`` (≥ 0, a :class:`~decimal.Decimal`) and ``unit``.

    ``value`` is whole for calendar days and months; working days and working hours may be
    fractional (a fractional working-hour value must come to whole minutes). For
    ``within_day`` the value is always 0. Construction validates; bad input raises
    :class:`ValueError` with a Vietnamese and English message.
    """

    value: Decimal
    unit: LimitUnit
    # Derived, for the engine's hot path: whole units and the fraction's share in millionths
    # (working days) or the length in minutes (working hours).
    whole: int = field(init=False, repr=False, compare=False)
    minutes: int = field(init=False, repr=False, compare=False)
    fraction_ppm: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            unit = LimitUnit(self.unit)
        except ValueError:
            raise _error(self.unit, "đơn vị không được hỗ trợ", "unsupported unit") from None
        value = _to_decimal(self.value)
        if unit is LimitUnit.WITHIN_DAY:
            value = Decimal(0)
        if value < 0:
            raise _error(self.value, "thời hạn không được âm", "a limit must not be negative")
        whole = int(value)
        if value != whole and unit not in _FRACTIONAL_UNITS:
            raise _error(
                self.value, "ngày/tháng phải là số nguyên", "days and months must be whole"
            )
        minutes = value * 60
        if unit is LimitUnit.WORKING_HOURS and minutes != int(minutes):
            raise _error(
                self.value, "giờ phải quy ra số phút nguyên", "hours must be whole minutes"
            )
        setter = object.__setattr__
        setter(self, "unit", unit)
        setter(self, "value", value)
        setter(self, "whole", whole)
        setter(self, "minutes", int(minutes) if unit is LimitUnit.WORKING_HOURS else 0)
        setter(self, "fraction_ppm", int((value - whole) * 1_000_000))

    @classmethod
    def parse(cls, text: str) -> Limit:
        """Read a limit written in Vietnamese or English (with or without diacritics).

        >>> Limit.parse("03 Ngày làm việc")
        Limit(value=Decimal('3'), unit=<LimitUnit.WORKING_DAYS: 'working_days'>)
        >>> str(Limit.parse("8 working hours")), str(Limit.parse("trong ngày"))
        ('8 giờ làm việc', 'trong ngày')
        """
        if not isinstance(text, str):
            raise _error(text, "cần một chuỗi văn bản", "expected text")
        folded = _fold(text)
        if _WITHIN_DAY.fullmatch(folded):
            return cls(Decimal(0), LimitUnit.WITHIN_DAY)
        match = _AMOUNT.fullmatch(_PREFIX.sub("", folded))
        if match is None:
            raise _error(text, "không hiểu cách viết", "cannot read it")
        if match["sign"] == "-":
            raise _error(text, "thời hạn không được âm", "a limit must not be negative")
        unit = _unit_of(match["unit"])
        if unit is None:
            raise _error(text, "không rõ đơn vị", "unknown unit")
        return cls(Decimal(match["number"].replace(",", ".")), unit)

    def __str__(self) -> str:
        return self._render(self.unit.label_vi, decimal_mark=",")

    def english(self) -> str:
        """The limit in English, e.g. ``3 working days``."""
        return self._render(self.unit.label_en, decimal_mark=".")

    def _render(self, label: str, decimal_mark: str) -> str:
        if self.unit is LimitUnit.WITHIN_DAY:
            return label
        number = format(self.value.normalize(), "f").replace(".", decimal_mark)
        if self.unit is not LimitUnit.WITHIN_DAY and self.value == 1 and label.endswith("s"):
            label = label[:-1]
        return f"{number} {label}"


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise _error(value, "giá trị phải là số", "the value must be a number")
    try:
        result = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise _error(value, "giá trị phải là số", "the value must be a number") from None
    if not result.is_finite():
        raise _error(value, "giá trị phải là số hữu hạn", "the value must be finite")
    return result


def _fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, single spaces: ``Ngày Làm Việc`` → ``ngay lam viec``."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


_WITHIN_DAY = re.compile(
    r"(?:trong (?:ngay|ngay lam viec|ngay tiep nhan)|ngay trong ngay|within (?:the )?(?:same )?"
    r"(?:working )?day|same(?: working)? day|the same day)\.?"
)
_PREFIX = re.compile(
    r"^(?:trong vong|trong thoi han|trong|khong qua|toi da|within|in|up to|no more than)\s"
)
_AMOUNT = re.compile(r"(?P<sign>[+-]?)\s*(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-z ()]+?)\.?")

_UNIT_WORDS: dict[str, LimitUnit] = {
    "ngay lam viec": LimitUnit.WORKING_DAYS,
    "working day": LimitUnit.WORKING_DAYS,
    "working days": LimitUnit.WORKING_DAYS,
    "business day": LimitUnit.WORKING_DAYS,
    "business days": LimitUnit.WORKING_DAYS,
    "gio lam viec": LimitUnit.WORKING_HOURS,
    "working hour": LimitUnit.WORKING_HOURS,
    "working hours": LimitUnit.WORKING_HOURS,
    "gio": LimitUnit.WORKING_HOURS,
    "hour": LimitUnit.WORKING_HOURS,
    "hours": LimitUnit.WORKING_HOURS,
    "h": LimitUnit.WORKING_HOURS,
    "ngay": LimitUnit.DAYS,
    "ngay lich": LimitUnit.DAYS,
    "ngay (lich)": LimitUnit.DAYS,
    "day": LimitUnit.DAYS,
    "days": LimitUnit.DAYS,
    "calendar day": LimitUnit.DAYS,
    "calendar days": LimitUnit.DAYS,
    "thang": LimitUnit.MONTHS,
    "month": LimitUnit.MONTHS,
    "months": LimitUnit.MONTHS,
}


def _unit_of(words: str) -> LimitUnit | None:
    return _UNIT_WORDS.get(" ".join(words.split()))
