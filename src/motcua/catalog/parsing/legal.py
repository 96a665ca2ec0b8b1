"""Legal basis from ``can_cu_phap_ly``.

The portal table ``Tên văn bản pháp lý | Mã văn bản`` is flattened to
``<title><number><title><number>…``: a document number ends a row when the next title is
glued to it (or the text ends); numbers followed by ``ngày``, ``của``, ``;`` … are quoted
inside a title. Numbers look like ``68/2020/QH14``, ``105/2021/NĐ-CP``, ``01/2023/TT-VPCP``,
``766/QĐ-TTg`` or ``21/2008/TTLT-BQP-BLĐTBXH-BTC``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from motcua.core.text import clean, normalize

from .types import LegalRef, ParseWarning

FIELD = "can_cu_phap_ly"
HEADER = "Tên văn bản pháp lýMã văn bản"

_UPPER = "A-ZĐĂÂÊÔƠƯ"
_TOKEN = r"[" + _UPPER + r"][" + _UPPER + r"a-z0-9]*"
_BODY = (
    r"(?P<no>\d{1,3}\.\d{1,3}|\d{1,5})/(?:(?P<year>(?:19|20)\d\d)/)?"
    r"(?P<issuer>" + _TOKEN + r"(?:\s?[-–/]\s?" + _TOKEN + r")*)"
)
# Not inside another number, except right after a year ("năm 202072/2020/QH14").
NUMBER = re.compile(r"(?:(?<![\d/])|(?<=(?:19|20)\d\d))" + _BODY)
#: A number glued right after the previous one ("…/QH1527/2023/QH15").
_GLUED_NUMBER = re.compile(_BODY)
# Issuing bodies that end a number. The last part of a number glued to the next title
# ("NĐ-CPNghị định", "QH1527/2023/QH15", "NHNNphân cấp") is cut back to the longest of them.
_KNOWN_ISSUER = re.compile(
    r"(?:UBTV)?QH\d\d|BLĐTBXH|BNNPTNT|BVHTTDL|VKSNDTC|TANDTC|BGDĐT|BKHĐT|BKHCN|BTTTT|BNNMT"
    r"|BTNMT|BGTVT|NHNN|VPCP|VPQH|UBND|HĐND|BHXH|TTCP|UBDT|KTNN|TCHQ|MTTQ|HĐTP"
    r"|BTC|BXD|BTP|BCA|BQP|BNG|BNV|BCT|BYT|TCT|TTg|CP"
)
_DOC_TYPE_TAIL = re.compile(
    r"(?:(?<=[^\W\d_])(?:Luật|Bộ luật|Nghị định|Thông tư(?: liên tịch)?|Quyết định|Nghị quyết"
    r"|Pháp lệnh|Chỉ thị|Văn bản hợp nhất))?\s*(?<![^\W\d_A-ZĐ])số\s*$"
)


def find_numbers(text: str) -> list[tuple[str, int, int]]:
    """All document numbers in ``text`` as (number, start, end)."""
    found: list[tuple[str, int, int]] = []
    pos = 0
    while m := (found and _GLUED_NUMBER.match(text, pos)) or NUMBER.search(text, pos):
        issuer = _trim_issuer(m["issuer"])
        end = m.start("issuer") + _issuer_span(m["issuer"], issuer)
        pos = max(end, m.start() + 1)
        if not issuer or (m["year"] is None and "-" not in issuer):
            continue
        number = f"{m['no']}/{m['year']}/{issuer}" if m["year"] else f"{m['no']}/{issuer}"
        found.append((number, m.start(), end))
    return found


def _trim_issuer(issuer: str) -> str:
    """Cut what the next, glued words added: ``QH1527`` → ``QH15``, ``CPThông`` → ``CP``,
    ``BTP - Quy định`` → ``BTP``."""
    parts = re.split(r"(\s*[-–/]\s*)", issuer)
    first = _trim_token(parts[0])
    out = first
    if first != parts[0]:
        return out
    for sep, token in zip(parts[1::2], parts[2::2], strict=True):
        trimmed = _trim_token(token)
        spaced = sep != sep.strip()
        if not trimmed or (spaced and (trimmed != token or len(trimmed) < 2)):
            break
        out += sep.strip().replace("–", "-") + trimmed
        if trimmed != token:
            break
    return out


def _trim_token(token: str) -> str:
    known = _KNOWN_ISSUER.match(token)
    if known:
        return known[0]
    return re.sub(r"[" + _UPPER + r"]?[a-z]+$", "", token)


def _issuer_span(raw: str, trimmed: str) -> int:
    """Length of ``raw`` that ``trimmed`` covers (spaces around dashes were removed)."""
    want = len(re.sub(r"[\s–]", "", trimmed))
    count = 0
    for i, ch in enumerate(raw):
        if count == want:
            return i
        if not ch.isspace():
            count += 1
    return len(raw)


def _ends_row(text: str, end: int) -> bool:
    """Does a number ending at ``end`` end a table row (next title glued or text ends)?"""
    rest = text[end : end + 2]
    if not rest.strip():
        return True
    if not rest[0].isspace():
        return rest[0] not in ",;.:)]"
    return rest[1].isupper()


def parse_legal(text: str | None) -> tuple[list[LegalRef], list[ParseWarning]]:
    """Parse the flattened legal basis into references (one per distinct number)."""
    text = normalize(text)
    if clean(text) is None:
        return [], []
    body = text[len(HEADER) :] if text.startswith(HEADER) else text
    refs: list[LegalRef] = []
    seen: dict[str, int] = {}
    pos = 0
    for number, start, end in find_numbers(body):
        if not _ends_row(body, end):
            continue
        title = _clean_title(body[pos:start])
        pos = end
        if number in seen:
            if title and refs[seen[number]].title is None:
                refs[seen[number]] = LegalRef(number, title)
            continue
        seen[number] = len(refs)
        refs.append(LegalRef(number, title))
    warnings = []
    tail = clean(body[pos:])
    if tail:
        refs.append(LegalRef(None, tail))
        warnings.append(ParseWarning("legal_without_number", f"no number for {tail[:80]!r}", FIELD))
    return refs, warnings


def _clean_title(text: str) -> str | None:
    title = clean(text)
    if not title:
        return None
    title = _DOC_TYPE_TAIL.sub("", title)
    return title.strip(" ;,.-–:") or None


def parse_legal_rows(rows: Iterable[Mapping[str, Any]]) -> list[LegalRef]:
    """Legal basis from structured rows (bqp: so_ky_hieu, trich_yeu, ngay_ban_hanh, …)."""
    refs = []
    for row in rows:
        title = clean(row.get("trich_yeu"))
        refs.append(
            LegalRef(
                number=_row_number(clean(row.get("so_ky_hieu")), title),
                title=title,
                issued_on=clean(row.get("ngay_ban_hanh")),
                issuer=clean(row.get("co_quan_ban_hanh")),
            )
        )
    return refs


def _row_number(symbol: str | None, title: str | None) -> str | None:
    """The full number: ``so_ky_hieu`` when complete, else the one in the title it starts."""
    if symbol:
        own = find_numbers(symbol)  # "21/2008/TTLT-BQP-…", "Thông tư số 104/2024/TT-BQP"
        if own:
            return own[0][0]
    in_title = find_numbers(title or "")
    if symbol:
        for number, _, _ in in_title:
            if number.startswith(symbol.rstrip("/") + "/"):
                return number
        return symbol
    return in_title[0][0] if in_title else None


def decision_number(text: str | None) -> str | None:
    """``Quyết định số 6225/QĐ-BQP`` → ``6225/QĐ-BQP``; other text is kept cleaned."""
    text = clean(text)
    if not text:
        return None
    numbers = find_numbers(text)
    return numbers[0][0] if numbers else text


#: "ngày 05/3/2025", "ngày 05-03-2025", "ngày 5 tháng 3 năm 2025" after a decision number.
_DECISION_DATE = re.compile(
    r"ngày\s*(?P<d>\d{1,2})\s*(?:[/.-]|tháng)\s*(?P<m>\d{1,2})\s*(?:[/.-]|năm)\s*"
    r"(?P<y>(?:19|20)\d\d)",
    re.IGNORECASE,
)


def decision_date(text: str | None) -> dt.date | None:
    """The issue date written with a decision number, e.g. ``Quyết định số 123/QĐ-UBND
    ngày 05/3/2025`` → 2025-03-05; None when the text gives none (the national portal's
    ``so_quyet_dinh`` and the bqp ``số_quyết_định`` carry the number only) or an impossible
    date."""
    found = _DECISION_DATE.search(clean(text) or "")
    if not found:
        return None
    try:
        return dt.date(int(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        return None
