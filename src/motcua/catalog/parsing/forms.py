"""Separate form template file names from a document name they are glued to.

The flattened components table prints ``<name><file><file>…<counts>`` with no separator,
e.g. ``…theo Mẫu số 04 Phụ lục III…Mus04.docxMus05.docx`` or
``Giấy đề nghị hợp nhất công ty luậtMẫu TP-LS-28-sđ.docx``. File names end with a known
extension, so only the start of the first one has to be guessed: it is a point where a word
is glued to the previous text without a space (after ``;`` ``)`` ``.`` or a case change),
preferring one that starts like a template name (``Mẫu``, ``Mau``, ``Phụ lục``, ``TK``…).
"""

from __future__ import annotations

import re

from motcua.core.text import fold

EXTENSIONS = ("docx", "doc", "pdf", "xlsx", "xls", "rar", "zip", "odt", "ods", "rtf", "jpg", "png")
_EXT = re.compile(r"\.(?:" + "|".join(EXTENSIONS) + r")", re.I)
#: File names are short; a start further back than this is part of the name.
MAX_STEM = 150
_PUNCT = set(';:)”"],.')
# How template file names usually start (folded): Mẫu/Mau/Mus/Ms, Phụ lục/PL/Phlc, TK, Đơn…
_STEM_PREFIX = re.compile(
    r"(mau|mus|ms\d|mu\d|m\d|phu ?luc|phlc|pl\b|pl ?\d|tk|to ?khai|don\b|giay|bc\b|van ?ban"
    r"|bieu|bang|danh ?sach|phieu|bao ?cao|de ?nghi|\d+[.\-])"
)


_GLUED_WORD = re.compile(
    r"(mau|van ban|bao cao|to khai|to trinh|phu luc|bieu mau|danh sach|don de nghi)\b"
)


def split_forms(text: str) -> tuple[str, tuple[str, ...]]:
    """Return (name, file names) for the text of one document.

    Only a run of file names at the very end of ``text`` is taken; an extension in the
    middle of the text stays in the name. When no start can be found for the first file
    the whole text stays the name (and still holds the file name).
    """
    body = text.rstrip()
    exts = list(_EXT.finditer(body))
    if not exts or exts[-1].end() != len(body):
        return text, ()
    first = _first_file_start(body[: exts[0].start()])
    if first is None:
        return text, ()
    bounds = [first] + [m.end() for m in exts[:-1]]
    files = [body[start : m.end()].strip() for start, m in zip(bounds, exts, strict=True)]
    return body[:first], tuple(f for f in files if f and not f.startswith("."))


def _first_file_start(head: str) -> int | None:
    """Index in ``head`` (name + first file stem) where the first file name starts.

    Preference: a template-like start glued after punctuation or a case change, then one
    glued after a letter (``nhân7-Mẫu NA6``), then any glued start; nearest the extension
    first, and never more than ``MAX_STEM`` characters before it.
    """
    lo = max(1, len(head) - MAX_STEM)
    strong = [i for i in range(lo, len(head)) if _is_glued_start(head, i)]
    weak = [i for i in range(lo, len(head)) if _is_letter_digit(head, i)]
    for pool in (strong, weak):
        known = [i for i in pool if _STEM_PREFIX.match(fold(head[i : i + 12]))]
        if known:
            return _extend_back(head, known)
    # "…theo quy địnhvăn bản đề nghị.docx": a template word glued to a lowercase word.
    words = [
        i
        for i in range(lo, len(head))
        if head[i - 1].isalpha() and _GLUED_WORD.match(fold(head[i : i + 12]))
    ]
    for pool in (words, strong, weak):
        if pool:
            return pool[-1]
    return None


def _extend_back(head: str, known: list[int]) -> int:
    """From the nearest start, join earlier template-like starts reached without a space
    ("Mus13-PhlcIII" is one file name)."""
    start = known[-1]
    for i in reversed(known[:-1]):
        if any(ch.isspace() for ch in head[i:start]):
            break
        start = i
    return start


def _is_letter_digit(s: str, i: int) -> bool:
    """A number glued to a word (``cá nhân7-Mẫu NA6.doc``)."""
    return s[i].isdigit() and s[i - 1].isalpha()


def _is_glued_start(s: str, i: int) -> bool:
    """Does a new word start at ``s[i]`` with no space before it?"""
    prev, cur = s[i - 1], s[i]
    if cur.isspace() or prev.isspace() or not cur.isalnum():
        return False
    if prev in _PUNCT:
        # "Ms02.DT" and "87.2025.TT" are inside one file name; "NĐ-CP.Mus13" and
        # "ngày 30/6/2023.NA5" are not.
        if prev in ".," and i >= 2 and s[i - 2].isdigit():
            return "/" in s[: i - 1].rsplit(None, 1)[-1]
        return True
    if (prev.islower() or prev.isdigit()) and cur.isupper():
        return True
    nxt = s[i + 1] if i + 1 < len(s) else ""
    return prev.isupper() and cur.isupper() and nxt.islower()


def has_file_name(text: str | None) -> bool:
    """True when ``text`` still contains something like ``x.docx``."""
    return bool(text and _FILE.search(text))


# "x.docx" not followed by a lowercase letter ("Mus04.docxMus05.docx" counts, ".document" not).
_FILE = re.compile(r"\w\.(?i:" + "|".join(EXTENSIONS) + r")(?![a-z])")
