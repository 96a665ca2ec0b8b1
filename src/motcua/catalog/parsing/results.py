"""Result documents from ``ket_qua_xu_ly``.

Flattened as ``<name>Mã: <code><name>Mã: <code>…Từ khóa<keywords>Mô tả<description>`` and
then, on most records, text leaked from the page around it (``Chọn cơ quan thực hiện…``,
``Nộp hồ sơ``), which is dropped.
"""

from __future__ import annotations

import re

from motcua.core.text import clean, normalize

from .types import ParseWarning, ResultDoc

FIELD = "ket_qua_xu_ly"

_LEAK = re.compile(r"Chọn cơ quan thực hiện|Hệ thống chỉ hiển thị|-- Chọn ")
_CODE_LABEL = re.compile(r"Mã:\s*")
# KQ.G12.000327, 000.00.00.G15-KQ0187, G19-KQ006098, BQP-CCS.KQ0001, TP-G12.KQ.120, 1212:
# dot/dash separated parts ending in digits; the next name is glued right after them.
_CODE = re.compile(r"(?:[A-Za-z0-9]+[._-])*[A-Za-z]*\d+")
_STANDARD_CODE = re.compile(r"[A-Z0-9]+(?:[._-][A-Za-z0-9]+)*\d")
_KEYWORDS = "Từ khóa"
_DESCRIPTION = "Mô tả"


def parse_results(
    text: str | None,
) -> tuple[list[ResultDoc], str | None, str | None, list[ParseWarning]]:
    """Return (result documents, keywords, description, warnings)."""
    text = normalize(text)
    if clean(text) is None:
        return [], None, None, [ParseWarning("no_results", "no result document published", FIELD)]
    leak = _LEAK.search(text)
    body = text[: leak.start()] if leak else text
    keywords = description = None
    kw = body.rfind(_KEYWORDS)
    if kw >= 0:
        tail = body[kw + len(_KEYWORDS) :]
        body = body[:kw]
        keywords, _, description = tail.partition(_DESCRIPTION)
        keywords = clean(keywords)
        description = clean(description, keep_newlines=True)
    docs, warnings = _documents(body)
    return docs, keywords, description, warnings


def _documents(body: str) -> tuple[list[ResultDoc], list[ParseWarning]]:
    docs: list[ResultDoc] = []
    warnings: list[ParseWarning] = []
    labels = list(_CODE_LABEL.finditer(body))
    if not labels:
        name = clean(body, keep_newlines=True)
        if name:
            docs.append(ResultDoc(name, None))
            warnings.append(ParseWarning("result_without_code", f"result {name[:60]!r}", FIELD))
        return docs, warnings
    pos = 0
    for label, nxt in zip(labels, [*labels[1:], None], strict=True):
        name = clean(body[pos : label.start()], keep_newlines=True)
        limit = nxt.start() if nxt else len(body)
        code, pos = _code(body, label.end(), limit)
        if code is None or not _STANDARD_CODE.fullmatch(code):
            warnings.append(
                ParseWarning("result_code_unusual", f"result code {code!r} for {name!r}", FIELD)
            )
        docs.append(ResultDoc(name, code))
    rest = clean(body[pos:])
    if rest:
        docs.append(ResultDoc(rest, None))
        warnings.append(ParseWarning("result_without_code", f"result {rest[:60]!r}", FIELD))
    return docs, warnings


def _code(body: str, start: int, limit: int) -> tuple[str | None, int]:
    """The code after ``Mã:`` and where the next name starts.

    Without digits ("Mã: Chưa xác định", "Mã: VBTT") the code cannot be told apart from
    a following name, so it runs to the next label or the end.
    """
    m = _CODE.match(body, start, limit)
    if m:
        return m[0], m.end()
    return clean(body[start:limit]), limit
