"""Vietnamese text helpers: one folding for search, and cleaning of published portal text.

``fold`` is THE normalisation used both when indexing and when querying, so that
``Đăng ký kết hôn``, ``ĐĂNG KÝ KẾT HÔN`` and ``dang ky ket hon`` meet on the same key.
``normalize`` makes raw published text safe for pattern matching without changing its
layout; ``clean`` also collapses whitespace and maps the portal's "no information"
placeholder and blank strings to ``None``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["PLACEHOLDER", "clean", "fold", "is_placeholder", "normalize"]

#: What the National Public Service Portal prints when a field has no content.
PLACEHOLDER = "Không có thông tin"

# Runs to collapse; a lone plain space is left alone (replacing it would be wasted work).
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S\n ]")  # whitespace except newline
_ANY_SPACE = re.compile(r"\s{2,}|[^\S ]")
# Combining marks (the Combining Diacritical Marks blocks) left by NFD.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_PLACEHOLDER_FOLDED = "khong co thong tin"

# Characters that carry no text: soft hyphen, zero-width marks, direction marks, BOM.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
# Whitespace other than space, tab and newline, and the private-use area (Wingdings bullets).
_ODD_SPACE = re.compile(
    "[\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ue000-\uf8ff]"
)


def fold(text: str | None) -> str:
    """Fold ``text`` for search: no diacritics, ``đ`` → ``d``, casefolded, single spaces.

    >>> fold("  ĐĂNG KÝ\\xa0KẾT   HÔN ")
    'dang ky ket hon'
    """
    if not text:
        return ""
    # Casefold first: it can itself produce combining marks ("İ" → "i̇").
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text.casefold()))
    stripped = stripped.replace("đ", "d")
    if not stripped.isascii():  # marks outside the usual blocks (rare: other scripts)
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return _ANY_SPACE.sub(" ", stripped).strip()


def normalize(text: str | None) -> str:
    """Return ``text`` in NFC with odd spaces made plain, keeping its line layout.

    Non-breaking and other exotic spaces become a plain space, ``\\r\\n`` becomes ``\\n``,
    invisible characters (soft hyphen, zero-width and direction marks) are removed and
    private-use glyphs (Wingdings bullets pasted from Word) become a space. Tabs are kept:
    they sometimes separate table cells.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ODD_SPACE.sub(" ", text)


def is_placeholder(text: str | None) -> bool:
    """True for ``Không có thông tin`` in any case, spacing or trailing punctuation."""
    if not text or len(text) > 2 * len(PLACEHOLDER):
        return False
    return fold(text).strip(" .:;-") == _PLACEHOLDER_FOLDED


def clean(text: str | None, *, keep_newlines: bool = False) -> str | None:
    """Clean published text: ``None`` for blanks and the portal placeholder.

    Whitespace runs (``\\xa0`` and tabs included) become one space. With
    ``keep_newlines=True`` line breaks survive: each line is cleaned on its own and blank
    lines are dropped.
    """
    text = normalize(text)
    if keep_newlines:
        lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        result = "\n".join(line for line in lines if line)
    else:
        result = _ANY_SPACE.sub(" ", text).strip()
    if not result or is_placeholder(result):
        return None
    return result
