"""Record-level rules: commune procedures and records that carry another procedure's page."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from motcua.core.text import fold

from .types import Level, ParsedProcedure

# Folded. "Cấp xã" alone is not enough (customs and tax offices use it): the agency must be
# the commune People's Committee (or its chair) or the commune police.
_COMMUNE_AGENCY = re.compile(
    r"\b(?:chu tich )?(?:uy ban nhan dan|ubnd)(?: cap)? (?:xa|phuong)\b"
    r"|\bcong an (?:cap )?(?:xa|phuong)\b"
)


def commune_evidence(parsed: ParsedProcedure, *, use_steps: bool = True) -> str | None:
    """Why ``parsed`` counts as a commune (UBND xã) procedure, or ``None``.

    ``"agency"``: the competent, implementing or delegated agency names UBND / Chủ tịch
    UBND cấp xã or Công an cấp xã. ``"steps"``: no agency is published at all, the level
    includes Cấp xã and the steps name one of those bodies (e.g. 1.001193 Đăng ký khai
    sinh, whose agency fields are empty).
    """
    agencies = [parsed.competent_agency, parsed.implementing_agency, parsed.delegated_agency]
    if any(_COMMUNE_AGENCY.search(fold(a)) for a in agencies if a):
        return "agency"
    if (
        use_steps
        and not any(agencies)
        and Level.COMMUNE in parsed.levels
        and _COMMUNE_AGENCY.search(fold(parsed.steps))
    ):
        return "steps"
    return None


def is_commune_procedure(parsed: ParsedProcedure, *, use_steps: bool = True) -> bool:
    """True when a commune People's Committee or commune police handles the procedure."""
    return commune_evidence(parsed, use_steps=use_steps) is not None


# -- shared pages ----------------------------------------------------------------------------

_IDENTITY = {"ma_thu_tuc", "source_dir"}


def _raw(record: Mapping[str, Any] | ParsedProcedure) -> Mapping[str, Any]:
    return record.raw if isinstance(record, ParsedProcedure) else record


def _fingerprint(raw: Mapping[str, Any]) -> str:
    content = {k: v for k, v in raw.items() if k not in _IDENTITY}
    blob = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def shared_page_groups(
    records: Iterable[Mapping[str, Any] | ParsedProcedure],
) -> dict[str, tuple[str, ...]]:
    """``detail_url`` → codes, for pages published under several codes with the same content.

    Such records carry another procedure's page under their own code (the portal crawl
    has two such URLs, shared by 10 and 7 codes); none of them can be trusted as is.
    """
    by_url: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        raw = _raw(record)
        url = (raw.get("detail_url") or "").strip()
        code = (raw.get("ma_thu_tuc") or "").strip()
        if url and code:
            by_url[url][_fingerprint(raw)].append(code)
    groups = {}
    for url, contents in by_url.items():
        codes = sorted({c for same in contents.values() if len(set(same)) > 1 for c in same})
        if codes:
            groups[url] = tuple(codes)
    return groups


def find_shared_pages(records: Iterable[Mapping[str, Any] | ParsedProcedure]) -> set[str]:
    """Codes of the records that share one detail page and its content with other codes."""
    return {code for codes in shared_page_groups(records).values() for code in codes}
