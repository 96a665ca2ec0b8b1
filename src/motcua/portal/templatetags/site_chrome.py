"""The site header's navigation and language links (``base.html``).

The menu is the same for every page of one language and one kind of visitor (anonymous,
signed-in citizen, staff), so each variant is rendered once per process and reused: the
header then costs almost nothing on the busiest pages (public tracking). The language links
point at the current page in the other language (``/en/…`` prefix, Django's i18n patterns):
plain links, no form, no script, no cookie.
"""

from __future__ import annotations

import functools
import threading

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()
_menus: dict[tuple[str, str], SafeString] = {}
_lock = threading.Lock()


@functools.lru_cache(maxsize=2048)
def _in_language(current: str, path: str, code: str) -> str:
    """``path`` (a page in ``current``) in language ``code``; resolving a path is the dear
    part of the header, and the busiest pages are few paths."""
    return translate_url(path, code)


@receiver(setting_changed)
def _forget(*, setting: str, **_kwargs) -> None:
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "INSTALLED_APPS"}:
        with _lock:
            _menus.clear()
        _in_language.cache_clear()


def visitor_kind(user) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    return "staff" if user.is_staff else "citizen"


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """The main menu: the public pages; "Hồ sơ của tôi", "Tài liệu của tôi" and the account
    for a signed-in citizen; the sign-in links otherwise."""
    request = context.get("request")
    kind = visitor_kind(getattr(request, "user", None))
    key = (get_language() or settings.LANGUAGE_CODE, kind)
    menu = _menus.get(key)
    if menu is None:
        menu = mark_safe(render_to_string("portal/_site_nav.html", {"kind": kind}))  # noqa: S308
        with _lock:
            _menus[key] = menu
    return menu


@register.simple_tag(takes_context=True)
def language_links(context) -> SafeString:
    """This page in each language; the current one marked, not linked."""
    request = context.get("request")
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path() if request is not None and request.method == "GET" else None
    if path is None and request is not None:
        path = request.path  # after a post: the same page, freshly asked for
    items = []
    for code, name in settings.LANGUAGES:
        if code == current:
            items.append(format_html('<li><span aria-current="true" lang="{}">{}</span></li>',
                                     code, name))  # fmt: skip
        else:
            href = _in_language(current, path or "/", code)
            items.append(format_html('<li><a href="{}" hreflang="{}" lang="{}">{}</a></li>',
                                     href, code, code, name))  # fmt: skip
    return mark_safe("".join(items))  # noqa: S308 (each item escaped by format_html)
