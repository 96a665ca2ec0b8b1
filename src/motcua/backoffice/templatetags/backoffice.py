"""Date and time as Vietnamese forms write them."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.backoffice import presenters

register = template.Library()


def _local(value):
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


@register.filter
def hm_dmy(value) -> str:
    """``09:00 02/03/2026`` (local time)."""
    return presenters.moment(value)


@register.filter
def vn_moment(value) -> str:
    """``09 giờ 00 phút, ngày 02/03/2026``: hour and minute as the receipt shows them."""
    value = _local(value)
    if not value:
        return ""
    return _("%(h)s giờ %(m)s phút, ngày %(d)s") % {
        "h": f"{value:%H}",
        "m": f"{value:%M}",
        "d": f"{value:%d/%m/%Y}",
    }


@register.filter
def vn_long_date(value) -> str:
    """``ngày 02 tháng 03 năm 2026``."""
    value = _local(value)
    if not value:
        return _("ngày … tháng … năm …")
    return _("ngày %(d)s tháng %(m)s năm %(y)s") % {
        "d": f"{value:%d}",
        "m": f"{value:%m}",
        "y": f"{value:%Y}",
    }
