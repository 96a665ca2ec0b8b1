"""Template filters for printed documents: Vietnamese dates and masked identifiers."""

from __future__ import annotations

from django import template

from motcua.documents import dates, qr

register = template.Library()

register.filter("vn_date", dates.vn_date)
register.filter("vn_moment", dates.vn_moment)
register.filter("vn_short", dates.vn_short)
register.filter("masked", qr.mask_identifier)


@register.simple_tag
def vn_date_line(place, value) -> str:
    """``{% vn_date_line place issued_at %}`` → ``Sài Gòn, ngày 05 tháng 3 năm 2026``."""
    return dates.vn_date_line(place, value)
