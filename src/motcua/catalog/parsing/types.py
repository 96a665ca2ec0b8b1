"""Result types of the procedure parsers: plain frozen dataclasses, no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    """How a dossier is submitted (Decree 118 Art. 15)."""

    COUNTER = "counter"  # Trực tiếp
    ONLINE = "online"  # Trực tuyến
    POSTAL = "postal"  # Dịch vụ bưu chính


class TimeUnit(StrEnum):
    """Unit of a legal processing time."""

    WORKING_DAYS = "working_days"  # Ngày làm việc
    WORKING_HOURS = "working_hours"  # Giờ, Giờ làm việc
    DAYS = "days"  # Ngày (calendar days)
    MONTHS = "months"  # Tháng
    WITHIN_DAY = "within_day"  # Trong ngày


class FeeKind(StrEnum):
    """What a fee line is."""

    FEE = "fee"  # phí
    CHARGE = "charge"  # lệ phí
    FREE = "free"  # Miễn phí, or a labelled zero amount
    TEXT_ONLY = "text_only"  # a fee described in words, no amount
    UNSPECIFIED = "unspecified"  # an amount whose phí / lệ phí label was not published


class Level(StrEnum):
    """Administrative level that carries out a procedure (``cap_thuc_hien``)."""

    MINISTRY = "ministry"  # Cấp bộ
    PROVINCE = "province"  # Cấp tỉnh
    DISTRICT = "district"  # Cấp huyện (before the July 2025 reform)
    COMMUNE = "commune"  # Cấp xã
    OTHER = "other"  # Cơ quan khác


#: Every warning code the parsers emit, with what it means. Codes are stable; the importer
#: may filter on them (e.g. ``channel_several_rows`` and ``fee_missing`` are informative).
WARNING_CODES = {
    "code_missing": "the record has no procedure code",
    "name_missing": "the record has no procedure name",
    "level_unknown": "a level label other than Cấp bộ / tỉnh / huyện / xã / Cơ quan khác",
    "no_channels": "no submission channel could be read",
    "channels_leftover": "text before the first channel row was not understood",
    "channel_unknown": "a structured row names an unknown channel",
    "channel_duplicate": "a channel row is repeated word for word (dropped)",
    "channel_several_rows": "a channel has several rows (times or fees differ by case)",
    "time_without_unit": "a processing time is a bare number",
    "time_fee_fused": "a bare time was glued to the fee amount and split heuristically",
    "time_missing": "no processing time (placeholder, Không quy định, empty)",
    "time_unparsed": "the processing time is free text",
    "time_zero": "a processing time of zero",
    "fee_missing": "the fee cell says Không có thông tin (unknown, not free)",
    "fee_unparsed": "no fee cell where one was expected",
    "fee_note_unbalanced": "the bracketed fee note never closes; its end was guessed",
    "fee_small": "a fee under 1,000 VND, almost surely typed in thousands",
    "no_components": "no dossier component could be read",
    "components_leftover": "text without counts before/after the components",
    "document_without_counts": "a document with no Bản chính / Bản sao counts",
    "document_without_name": "counts with no document name before them",
    "name_has_file": "a document name still holds a file name",
    "legal_without_number": "legal-basis text in which no document number was found",
    "no_results": "no result document published",
    "result_without_code": "a result document without a Mã: code",
    "result_code_unusual": "a result code that does not look like KQ.G12.000327 (test data, text)",
}


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something doubtful met while parsing; ``code`` is stable, ``message`` is for people."""

    code: str
    message: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Fee:
    """One fee line of a channel. ``amount`` is in ``currency`` units; never guessed."""

    kind: FeeKind
    text: str
    amount: Decimal | None = None
    currency: str | None = None  # "VND", "USD"
    label: str | None = None  # "phí" or "lệ phí" when the text says so
    note: str | None = None  # the bracketed explanation published with the amount

    @property
    def amount_vnd(self) -> int | None:
        """The amount in đồng when it is a whole number of đồng, else ``None``."""
        if self.currency != "VND" or self.amount is None:
            return None
        if self.amount != self.amount.to_integral_value():
            return None
        return int(self.amount)


@dataclass(frozen=True, slots=True)
class ChannelOffer:
    """One row of the ``Hình thức nộp`` table: a channel, its time, fees and description."""

    channel: Channel
    raw: str
    time_value: Decimal | None = None
    time_unit: TimeUnit | None = None
    time_text: str | None = None
    fees: tuple[Fee, ...] = ()
    fee_text: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One dossier component."""

    name: str
    raw: str
    originals: int | None = None  # Bản chính
    copies: int | None = None  # Bản sao
    forms: tuple[str, ...] = ()  # template file names, e.g. "Mẫu số 01.docx"


@dataclass(frozen=True, slots=True)
class ComponentGroup:
    """Documents under one case heading (``case`` is ``None`` when there is no heading)."""

    case: str | None
    documents: tuple[Document, ...] = ()


@dataclass(frozen=True, slots=True)
class LegalRef:
    """A legal basis document: number such as ``105/2021/NĐ-CP`` and title when known."""

    number: str | None
    title: str | None = None
    issued_on: str | None = None  # as published (bqp: "24-03-2021")
    issuer: str | None = None


@dataclass(frozen=True, slots=True)
class ResultDoc:
    """A result document and its portal code (``KQ.G12.000327``)."""

    name: str | None
    code: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedProcedure:
    """Everything parsed from one published procedure, with the raw record kept beside it."""

    source: str  # "dvcqg" (flattened portal page) or "bqp" (structured export)
    code: str
    name: str | None
    decision: str | None = None
    decision_date: dt.date | None = None  # issue date of the decision, when the text gives it
    levels: tuple[Level, ...] = ()
    procedure_type: str | None = None
    field_name: str | None = None  # lĩnh vực
    applicant_types: tuple[str, ...] = ()
    competent_agency: str | None = None
    implementing_agency: str | None = None
    delegated_agency: str | None = None
    coordinating_agency: str | None = None
    receiving_address: str | None = None
    steps: str | None = None
    conditions: str | None = None
    related: str | None = None
    channels: tuple[ChannelOffer, ...] = ()
    component_groups: tuple[ComponentGroup, ...] = ()
    legal_basis: tuple[LegalRef, ...] = ()
    results: tuple[ResultDoc, ...] = ()
    result_keywords: str | None = None
    result_description: str | None = None
    detail_url: str | None = None
    formality_id: str | None = None
    warnings: tuple[ParseWarning, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def documents(self) -> tuple[Document, ...]:
        """All documents of all case groups, in order."""
        return tuple(doc for group in self.component_groups for doc in group.documents)

    def warning_codes(self) -> set[str]:
        """The distinct warning codes, handy in tests and reports."""
        return {w.code for w in self.warnings}
