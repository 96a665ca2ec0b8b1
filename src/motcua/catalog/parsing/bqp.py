"""The structured shape (``bqp_2025.jsonl``, Bộ Quốc phòng "Chi tiết TTHC" exports).

``{"thu_tuc_id", "metadata": {mã_thủ_tục, tên_thủ_tục, số_quyết_định, cấp_thực_hiện, …},
"content": {trình_tự_thực_hiện, cơ_quan_thực_hiện, kết_quả_thực_hiện, …},
"tables": {"hinh_thuc_nop": [...], "thanh_phan_ho_so": [...], "can_cu_phap_ly": [...]}}``
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from motcua.core.text import clean, fold

from .channels import NO_TIME, parse_time
from .components import parse_counts
from .fees import fee_warnings, parse_fee_lines
from .forms import has_file_name
from .legal import decision_date, decision_number, parse_legal_rows
from .lists import parse_applicant_types, parse_levels
from .types import (
    Channel,
    ChannelOffer,
    ComponentGroup,
    Document,
    ParsedProcedure,
    ParseWarning,
    ResultDoc,
    TimeUnit,
)

FIELD = "hinh_thuc_nop"
DOC_FIELD = "thanh_phan_ho_so"
_CHANNELS = {
    "truc tiep": Channel.COUNTER,
    "truc tuyen": Channel.ONLINE,
    "dich vu buu chinh": Channel.POSTAL,
}


def parse_bqp_record(raw: Mapping[str, Any]) -> ParsedProcedure:
    """Parse one structured record; the whole input stays available as ``parsed.raw``."""
    meta: Mapping[str, Any] = raw.get("metadata") or {}
    content: Mapping[str, Any] = raw.get("content") or {}
    tables: Mapping[str, Any] = raw.get("tables") or {}
    warnings: list[ParseWarning] = []
    code = clean(meta.get("mã_thủ_tục")) or clean(raw.get("thu_tuc_id")) or ""
    levels, level_warnings = parse_levels(meta.get("cấp_thực_hiện"))
    channels = _channels(tables.get("hinh_thuc_nop") or [], warnings)
    documents = _documents(tables.get("thanh_phan_ho_so") or [], warnings)
    result = clean(content.get("kết_quả_thực_hiện"), keep_newlines=True)
    warnings.extend(level_warnings)
    return ParsedProcedure(
        source="bqp",
        code=code,
        name=clean(meta.get("tên_thủ_tục")),
        decision=decision_number(meta.get("số_quyết_định")),
        decision_date=decision_date(meta.get("số_quyết_định")),
        levels=levels,
        procedure_type=clean(meta.get("loại_thủ_tục")),
        field_name=clean(meta.get("lĩnh_vực")),
        applicant_types=parse_applicant_types(content.get("đối_tượng_thực_hiện")),
        competent_agency=clean(content.get("cơ_quan_có_thẩm_quyền")),
        implementing_agency=clean(content.get("cơ_quan_thực_hiện")),
        delegated_agency=clean(content.get("cơ_quan_được_ủy_quyền")),
        coordinating_agency=clean(content.get("cơ_quan_phối_hợp")),
        receiving_address=clean(content.get("địa_chỉ_tiếp_nhận_hs"), keep_newlines=True),
        steps=clean(content.get("trình_tự_thực_hiện"), keep_newlines=True),
        conditions=clean(content.get("yêu_cầu_điều_kiện_thực_hiện"), keep_newlines=True),
        channels=tuple(channels),
        component_groups=(ComponentGroup(None, tuple(documents)),) if documents else (),
        legal_basis=tuple(parse_legal_rows(tables.get("can_cu_phap_ly") or [])),
        results=(ResultDoc(result, None),) if result else (),
        result_keywords=clean(content.get("từ_khóa")),
        result_description=clean(content.get("mô_tả"), keep_newlines=True),
        warnings=tuple(warnings),
        raw=dict(raw),
    )


def _channels(
    rows: Iterable[Mapping[str, Any]], warnings: list[ParseWarning]
) -> list[ChannelOffer]:
    offers = []
    for row in rows:
        label = clean(row.get("hinh_thuc")) or ""
        channel = _CHANNELS.get(fold(label))
        if channel is None:
            warnings.append(ParseWarning("channel_unknown", f"unknown channel {label!r}", FIELD))
            continue
        time_text = clean(row.get("thoi_han_giai_quyet"))
        value, unit = _time(channel, time_text, warnings)
        fees = parse_fee_lines(row.get("phi_le_phi"))
        if not fees:
            warnings.append(ParseWarning("fee_missing", f"{channel}: fee not published", FIELD))
        warnings.extend(fee_warnings(fees, str(channel)))
        offers.append(
            ChannelOffer(
                channel=channel,
                raw=json.dumps(row, ensure_ascii=False),
                time_value=value,
                time_unit=unit,
                time_text=time_text,
                fees=tuple(fees),
                fee_text=clean(row.get("phi_le_phi"), keep_newlines=True),
                description=clean(row.get("mo_ta"), keep_newlines=True),
            )
        )
    if not offers:
        warnings.append(ParseWarning("no_channels", "no submission channel found", FIELD))
    return offers


def _time(
    channel: Channel, text: str | None, warnings: list[ParseWarning]
) -> tuple[Any, TimeUnit | None]:
    value, unit = parse_time(text)
    field = FIELD
    if value is not None and unit is None:
        warnings.append(
            ParseWarning("time_without_unit", f"{channel}: time {text!r} has no unit", field)
        )
    elif value is not None and value == 0:
        warnings.append(ParseWarning("time_zero", f"{channel}: time {text!r}", field))
    elif value is None and unit is None:
        if fold(text) in NO_TIME:
            warnings.append(ParseWarning("time_missing", f"{channel}: no processing time", field))
        else:
            warnings.append(
                ParseWarning("time_unparsed", f"{channel}: time given as text {text!r}", field)
            )
    return value, unit


def _documents(rows: Iterable[Mapping[str, Any]], warnings: list[ParseWarning]) -> list[Document]:
    docs = []
    for row in rows:
        name = clean(row.get("ten_giay_to")) or ""
        originals, copies = parse_counts(row.get("ghi_chu"))
        forms = tuple(
            f for f in (clean(x) for x in str(row.get("so_luong") or "").split("\n")) if f
        )
        if has_file_name(name):
            warnings.append(
                ParseWarning(
                    "name_has_file",
                    f"document name holds a file name: {name!r}",
                    DOC_FIELD,
                )
            )
        if originals is None and copies is None:
            warnings.append(
                ParseWarning("document_without_counts", f"no counts for {name[:80]!r}", DOC_FIELD)
            )
        raw = json.dumps(row, ensure_ascii=False)
        docs.append(Document(name=name, raw=raw, originals=originals, copies=copies, forms=forms))
    if not docs:
        warnings.append(ParseWarning("no_components", "no dossier component published", DOC_FIELD))
    return docs
