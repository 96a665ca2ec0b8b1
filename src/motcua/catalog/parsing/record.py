"""Whole records: the flattened portal shape (dvcqg) and the dispatcher."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.core.text import clean

from .bqp import parse_bqp_record
from .channels import parse_channels
from .components import parse_components
from .legal import decision_date, decision_number, parse_legal
from .lists import parse_applicant_types, parse_levels
from .results import parse_results
from .types import ParsedProcedure, ParseWarning


def parse_record(raw: Mapping[str, Any]) -> ParsedProcedure:
    """Parse one flattened portal record (``dvcqg_2026_part*.jsonl``).

    Every raw field stays available as ``parsed.raw``; nothing is guessed: what cannot
    be read is left ``None`` and reported in ``parsed.warnings``.
    """
    warnings: list[ParseWarning] = []
    code = clean(raw.get("ma_thu_tuc")) or ""
    if not code:
        warnings.append(ParseWarning("code_missing", "record has no procedure code", "ma_thu_tuc"))
    levels, level_warnings = parse_levels(raw.get("cap_thuc_hien"))
    channels, channel_warnings = parse_channels(raw.get("cach_thuc_thuc_hien"))
    groups, component_warnings = parse_components(raw.get("thanh_phan_ho_so"))
    legal, legal_warnings = parse_legal(raw.get("can_cu_phap_ly"))
    results, keywords, description, result_warnings = parse_results(raw.get("ket_qua_xu_ly"))
    for more in (level_warnings, channel_warnings, component_warnings):
        warnings.extend(more)
    warnings.extend(legal_warnings)
    warnings.extend(result_warnings)
    name = clean(raw.get("ten_thu_tuc"))
    if not name:
        warnings.append(ParseWarning("name_missing", "record has no name", "ten_thu_tuc"))
    return ParsedProcedure(
        source="dvcqg",
        code=code,
        name=name,
        decision=decision_number(raw.get("so_quyet_dinh")),
        decision_date=decision_date(raw.get("so_quyet_dinh")),
        levels=levels,
        procedure_type=clean(raw.get("loai_thu_tuc")),
        field_name=clean(raw.get("linh_vuc")),
        applicant_types=parse_applicant_types(raw.get("doi_tuong_thuc_hien")),
        competent_agency=clean(raw.get("co_quan_co_tham_quyen")),
        implementing_agency=clean(raw.get("co_quan_thuc_hien")),
        delegated_agency=clean(raw.get("co_quan_duoc_uy_quyen")),
        coordinating_agency=clean(raw.get("co_quan_phoi_hop")),
        receiving_address=clean(raw.get("dia_chi_tiep_nhan"), keep_newlines=True),
        steps=clean(raw.get("trinh_tu_thuc_hien"), keep_newlines=True),
        conditions=clean(raw.get("yeu_cau_dieu_kien"), keep_newlines=True),
        related=clean(raw.get("thu_tuc_lien_quan"), keep_newlines=True),
        channels=tuple(channels),
        component_groups=tuple(groups),
        legal_basis=tuple(legal),
        results=tuple(results),
        result_keywords=keywords,
        result_description=description,
        detail_url=clean(raw.get("detail_url")),
        formality_id=clean(raw.get("formality_id")),
        warnings=tuple(warnings),
        raw=dict(raw),
    )


def parse_any(raw: Mapping[str, Any]) -> ParsedProcedure:
    """Parse either shape: structured bqp records have ``metadata``/``content``/``tables``."""
    if "metadata" in raw and "tables" in raw:
        return parse_bqp_record(raw)
    return parse_record(raw)
