"""The supervision entries of the back-office menu, for staff who hold ``supervision.view``
(no query: the permission service reads the grants the request already loaded)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.org import permissions
from motcua.supervision.queries import VIEW

register = template.Library()

#: (active key of the page, url name, Vietnamese label)
ENTRIES = (
    ("report", "supervision:report", _("Báo cáo tình hình giải quyết TTHC")),
    ("index", "supervision:index766", _("Bộ chỉ số 766")),
    ("ranking", "supervision:ranking", _("Xếp hạng theo Bộ chỉ số 766")),
    ("dashboard", "supervision:dashboard", _("Điều hành")),
    ("inspection", "supervision:inspection", _("Danh sách kiểm tra đột xuất")),
)


@register.inclusion_tag("supervision/_nav.html", takes_context=True)
def supervision_nav(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = bool(user and user.is_authenticated and permissions.can(user, VIEW))
    links = [(key, reverse(name), str(label)) for key, name, label in ENTRIES] if allowed else []
    return {"links": links, "active": context.get("active", "")}
