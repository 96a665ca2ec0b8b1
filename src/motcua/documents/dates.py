"""Dates and times as Vietnamese administrative documents write them (Decree 30/2020).

The date line reads ``Sài Gòn, ngày 05 tháng 3 năm 2026``: a day below 10 and the months
January and February take a leading zero; other months do not. Aware instants are shown in
the local time zone (``TIME_ZONE``, Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def vn_date(value: dt.date | dt.datetime | None) -> str:
    """``ngày 05 tháng 3 năm 2026`` (``ngày … tháng … năm …`` when unknown)."""
    if value is None:
        return _("ngày … tháng … năm …")
    value = _local(value)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return _("ngày %(d)s tháng %(m)s năm %(y)s") % {
        "d": f"{value.day:02d}",
        "m": month,
        "y": value.year,
    }


def vn_date_line(place: str | None, value: dt.date | dt.datetime | None) -> str:
    """``Sài Gòn, ngày 05 tháng 3 năm 2026``: the place-and-date line under the motto."""
    return f"{place or '……'}, {vn_date(value)}"


def vn_moment(value: dt.datetime | None) -> str:
    """``09 giờ 30 phút, ngày 05 tháng 3 năm 2026``: receipt and appointment times."""
    if value is None:
        return _("…… giờ …… phút, ngày … tháng … năm …")
    value = _local(value)
    return _("%(h)s giờ %(m)s phút, %(date)s") % {
        "h": f"{value.hour:02d}",
        "m": f"{value.minute:02d}",
        "date": vn_date(value),
    }


def vn_short(value: dt.datetime | None) -> str:
    """``14:05:09 ngày 05/03/2026`` (signature stamps and verification pages)."""
    if value is None:
        return ""
    value = _local(value)
    return f"{value:%H:%M:%S} " + _("ngày") + f" {value:%d/%m/%Y}"
