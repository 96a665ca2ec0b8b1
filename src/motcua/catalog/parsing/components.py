"""Dossier components from ``thanh_phan_ho_so``.

Flattened layout, one group per case::

    <case heading or "--">Tên giấy tờMẫu đơn, tờ khaiSố lượng
    <name><file>…<n> bản chính[,<m> bản sao]<name><file>…<n> bản chính…
    <next case heading>Tên giấy tờMẫu đơn, tờ khaiSố lượng…

The next heading is glued after the last count of the previous group. Counts are single
digits on the portal; digits glued before them belong to the name (``…ngày 31/5/2023`` +
``1 bản chính``). ``(01 bản chính)`` or ``nộp 02 bản chính tờ khai`` inside a name are not
counts: a real count is followed by the next document (glued), not by a space and a word,
a bracket or punctuation.
"""

from __future__ import annotations

import re

from motcua.core.text import clean, fold, normalize

from .forms import has_file_name, split_forms
from .types import ComponentGroup, Document, ParseWarning

FIELD = "thanh_phan_ho_so"
GROUP_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

_COUNT = re.compile(r"(?P<orig>\d+) bản chính(?:,(?P<copy>\d+) bản sao)?")
# What follows a count inside a name: a space and a word, a bracket or punctuation.
_NOT_AFTER_COUNT = re.compile(r"\s+\w|[)\],;.]")
_NEXT_COUNT = re.compile(r"\d+ bản chính")
_NO_CASE = {"", "-", "--"}


def parse_components(text: str | None) -> tuple[list[ComponentGroup], list[ParseWarning]]:
    """Parse ``thanh_phan_ho_so`` into case groups of documents."""
    if clean(text) is None:
        return [], [ParseWarning("no_components", "no dossier component published", FIELD)]
    text = normalize(text)
    parts = text.split(GROUP_HEADER)
    warnings: list[ParseWarning] = []
    if len(parts) == 1:
        docs, tail = _documents(text, warnings)
        if clean(tail):
            warnings.append(ParseWarning("components_leftover", f"unparsed: {tail[:80]!r}", FIELD))
        groups = [ComponentGroup(None, tuple(docs))] if docs else []
        if not groups:
            warnings.append(ParseWarning("no_components", "no document with counts found", FIELD))
        return groups, warnings
    groups = []
    heading = parts[0]
    for i, part in enumerate(parts[1:], start=1):
        docs, tail = _documents(part, warnings)
        last = i == len(parts) - 1
        if last and clean(tail):
            docs.append(_uncounted(tail, warnings))
            tail = ""
        groups.append(ComponentGroup(_case(heading), tuple(docs)))
        heading = tail
    return [g for g in groups if g.documents or g.case], warnings


def _case(heading: str) -> str | None:
    heading = clean(heading) or ""
    return None if heading in _NO_CASE else heading.rstrip(":").strip() or None


def _documents(text: str, warnings: list[ParseWarning]) -> tuple[list[Document], str]:
    """Documents ended by counts, and the text after the last count."""
    docs: list[Document] = []
    pos = 0
    for m in _COUNT.finditer(text):
        if not _is_real_count(text, m):
            continue
        orig, name_digits = _split_digits(text, m)
        raw = text[pos : m.end()]
        docs.append(_document(text[pos : m.start() + name_digits], raw, orig, m["copy"], warnings))
        pos = m.end()
    return docs, text[pos:]


def _is_real_count(text: str, m: re.Match[str]) -> bool:
    if m.start() > 0 and text[m.start() - 1] == "(":
        return False
    if _NOT_AFTER_COUNT.match(text, m.end()):
        return False
    # "nhập khẩu: 01 bản chính1 bản chính": the spaced one is part of the name.
    spaced = m.start() == 0 or not text[m.start() - 1].isalnum()
    return not (spaced and _NEXT_COUNT.match(text, m.end()))


def _split_digits(text: str, m: re.Match[str]) -> tuple[int, int]:
    """(originals, how many leading digits of the run belong to the name)."""
    run = m["orig"]
    before = text[m.start() - 1] if m.start() > 0 else " "
    if len(run) == 2 and run[0] == "0" and (before.isspace() or before == ":"):
        return int(run), 0
    return int(run[-1]), len(run) - 1


def _document(
    text: str, raw: str, originals: int, copies: str | None, warnings: list[ParseWarning]
) -> Document:
    name, forms = split_forms(normalize(text))
    name = clean(name) or ""
    if has_file_name(name):
        warnings.append(
            ParseWarning("name_has_file", f"document name still holds a file name: {name!r}", FIELD)
        )
    if not name:
        warnings.append(ParseWarning("document_without_name", f"document {raw[:60]!r}", FIELD))
    return Document(
        name=name,
        raw=raw,
        originals=originals,
        copies=int(copies) if copies is not None else 0,
        forms=forms,
    )


def _uncounted(text: str, warnings: list[ParseWarning]) -> Document:
    """Trailing text without counts: kept as a document with unknown counts."""
    name, forms = split_forms(text)
    warnings.append(
        ParseWarning("document_without_counts", f"no counts for {clean(text)!r:.80}", FIELD)
    )
    return Document(name=clean(name) or "", raw=text, originals=None, copies=None, forms=forms)


def parse_counts(text: str | None) -> tuple[int | None, int | None]:
    """Parse the structured ``Bản chính: 1\\nBản sao: 0`` cell (bqp shape)."""
    folded = fold(text)
    orig = re.search(r"ban chinh\s*:\s*(\d+)", folded)
    copy = re.search(r"ban sao\s*:\s*(\d+)", folded)
    return (int(orig[1]) if orig else None), (int(copy[1]) if copy else None)
