"""Importing the national procedure catalogue (``motcua import-procedures``).

Reads the two shapes present in the data folder (the portal's flattened JSONL and the
structured per-procedure JSONL), parses them with :mod:`motcua.catalog.parsing`, and writes
published versions. Idempotent: a record whose content hash is unchanged is skipped; a changed
record becomes a new published version and the old one retires (dossiers keep theirs).
Records that carry another procedure's page are imported as flagged drafts, never as real.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from motcua.catalog import parsing
from motcua.catalog.models import (
    ChannelOption,
    ComponentSpec,
    Fee,
    Field,
    FormTemplate,
    OnlineClass,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    encode_levels,
)
from motcua.catalog.services import refresh_search_text
from motcua.core.text import fold


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    failed: int = 0
    warnings: int = 0
    problems: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.failed

    def problem(self, code: str, severity: str, kind: str, message: str) -> None:
        self.problems.append({"code": code, "severity": severity, "kind": kind, "message": message})


def jsonl_files(paths: Iterable[str | Path]) -> list[Path]:
    """The JSONL files named, or found in the folders named, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.glob("*.jsonl")))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"không tìm thấy tệp hoặc thư mục: {path}")
    return files


def read_records(files: Iterable[Path]) -> Iterator[tuple[str, int, dict | None, str]]:
    """Yield ``(file name, line number, record or None, error)`` for each non-blank line."""
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield path.name, number, json.loads(line), ""
                except json.JSONDecodeError as exc:
                    yield path.name, number, None, f"JSON hỏng: {exc.msg}"


def record_hash(record: dict) -> str:
    return hashlib.sha256(
        json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


class _Fields:
    """Fields (lĩnh vực) by name, created on first sight, with unique slugs."""

    def __init__(self) -> None:
        self.by_name = {f.name: f for f in Field.objects.all()}
        self.codes = {f.code for f in self.by_name.values()}

    def get(self, name: str | None) -> Field | None:
        if not name:
            return None
        if name not in self.by_name:
            base = slugify(fold(name))[:100] or "linh-vuc"
            code, n = base, 2
            while code in self.codes:
                code, n = f"{base}-{n}", n + 1
            self.codes.add(code)
            self.by_name[name] = Field.objects.create(name=name, code=code, name_folded=fold(name))
        return self.by_name[name]


def online_class_by_rule(parsed) -> str:
    """Default online class (the national data lacks it): an online channel → partial,
    "toàn trình" in its description → full; otherwise none. Editable in the admin."""
    online = [c for c in parsed.channels if c.channel == parsing.Channel.ONLINE]
    if not online:
        return OnlineClass.NONE
    text = fold(" ".join(c.description or "" for c in online))
    return OnlineClass.FULL if "toan trinh" in text else OnlineClass.PARTIAL


def import_procedures(
    paths: Iterable[str | Path],
    *,
    batch_size: int = 200,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every record of the files/folders in ``paths``; returns what happened."""
    report = ImportReport()
    entries = list(read_records(jsonl_files(paths)))
    shared = parsing.find_shared_pages([r for _, _, r, _ in entries if r is not None])
    fields = _Fields()
    for start in range(0, len(entries), batch_size):
        batch = entries[start : start + batch_size]
        with transaction.atomic():
            for file_name, line, record, error in batch:
                _import_one(file_name, line, record, error, shared, fields, report)
        if progress:
            progress(len(batch))
    _analyze()
    return report


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk import (cheap; autovacuum may be off)."""
    from django.db import connection

    tables = [m._meta.db_table for m in (ProcedureVersion, ChannelOption, ComponentSpec)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _import_one(file_name, line, record, error, shared, fields, report) -> None:
    where = f"{file_name}:{line}"
    if record is None:
        report.failed += 1
        report.problem(where, "failed", "invalid_json", error)
        return
    try:
        with transaction.atomic():
            parsed = parsing.parse_any(record)
            outcome = _store(parsed, record, shared, fields)
    except Exception as exc:  # one bad record must not stop the import
        report.failed += 1
        report.problem(
            str(record.get("ma_thu_tuc") or where), "failed", type(exc).__name__, str(exc)[:300]
        )
        return
    setattr(report, outcome, getattr(report, outcome) + 1)
    for w in parsed.warnings:
        report.warnings += 1
        report.problem(parsed.code, "warning", w.code, w.message)
    if parsed.code in shared:
        report.flagged += 1
        report.problem(parsed.code, "flagged", "shared_page", _SHARED_REASON)


_SHARED_REASON = (
    "Bản ghi mang trang chi tiết của thủ tục khác (nhiều mã dùng chung một "
    "đường dẫn với cùng nội dung): nhập dưới dạng bản nháp bị gắn cờ."
)


def _store(parsed, record: dict, shared: set[str], fields: _Fields) -> str:
    """Create or update the version of one record; returns the outcome counter's name."""
    digest = record_hash(record)
    procedure, _ = Procedure.objects.get_or_create(code=parsed.code)
    current = (
        procedure.versions.filter(source=ProcedureVersion.Source.NATIONAL)
        .exclude(status=ProcedureVersion.Status.RETIRED)
        .order_by("-number")
        .first()
    )
    if current and current.source_hash == digest:
        return "unchanged"
    flagged = parsed.code in shared
    if current and current.status == ProcedureVersion.Status.PUBLISHED and not flagged:
        current.status = ProcedureVersion.Status.RETIRED
        current.valid_to = timezone.localdate()
        current.save(update_fields=["status", "valid_to"])
    elif current and current.status == ProcedureVersion.Status.DRAFT:
        current.delete()  # a flagged draft from an earlier run is replaced
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = _new_version(procedure, last + 1, parsed, record, digest, flagged, fields)
    _store_children(version, parsed)
    return "updated" if current else "created"


def _new_version(procedure, number, parsed, record, digest, flagged, fields) -> ProcedureVersion:
    status = ProcedureVersion.Status.DRAFT if flagged else ProcedureVersion.Status.PUBLISHED
    version = ProcedureVersion(
        procedure=procedure,
        number=number,
        status=status,
        published_at=None if flagged else timezone.now(),
        decision_number=(parsed.decision or "")[:120],
        decision_date=parsed.decision_date,
        name=parsed.name or parsed.code,
        field=fields.get(parsed.field_name),
        levels=encode_levels(parsed.levels),
        procedure_type=(parsed.procedure_type or "")[:255],
        applicant_types=list(parsed.applicant_types),
        competent_agency_text=parsed.competent_agency or "",
        implementing_agency_text=parsed.implementing_agency or "",
        delegated_agency_text=parsed.delegated_agency or "",
        coordinating_agency_text=parsed.coordinating_agency or "",
        receiving_address_text=parsed.receiving_address or "",
        steps_text=parsed.steps or "",
        conditions_text=parsed.conditions or "",
        legal_basis=[{"number": r.number, "title": r.title} for r in parsed.legal_basis],
        legal_basis_text=str(record.get("can_cu_phap_ly") or ""),
        results=[{"name": r.name, "code": r.code} for r in parsed.results],
        online_class=online_class_by_rule(parsed),
        online_class_by_rule=True,
        source=ProcedureVersion.Source.NATIONAL,
        source_url=(parsed.detail_url or "")[:500],
        source_hash=digest,
        raw=dict(record),
        warnings=[
            {"code": w.code, "message": w.message, "field": w.field} for w in parsed.warnings
        ],
        flagged=flagged,
        flag_reason=_SHARED_REASON if flagged else "",
    )
    refresh_search_text(version)
    version.save()
    if not flagged:  # one published version at a time
        procedure.versions.filter(status=ProcedureVersion.Status.PUBLISHED).exclude(
            pk=version.pk
        ).update(status=ProcedureVersion.Status.RETIRED, valid_to=timezone.localdate())
    return version


_FEE_KIND = {
    "fee": Fee.Kind.FEE,
    "charge": Fee.Kind.CHARGE,
    "free": Fee.Kind.FREE,
    "text_only": Fee.Kind.TEXT,
    "unspecified": Fee.Kind.UNSPECIFIED,
}


def _store_children(version: ProcedureVersion, parsed) -> None:
    for position, offer in enumerate(parsed.channels):
        option = ChannelOption.objects.create(
            version=version,
            order=position,
            channel=str(offer.channel),
            time_value=offer.time_value,
            time_unit=str(offer.time_unit or ""),
            time_text=(offer.time_text or "")[:255],
            description=offer.description or "",
        )
        Fee.objects.bulk_create(
            [
                Fee(
                    option=option,
                    kind=_FEE_KIND[str(f.kind)],
                    amount=f.amount_vnd,
                    text=f.text or "",
                )
                for f in offer.fees
            ]
        )
    for order, group in enumerate(parsed.component_groups, start=1):
        case = ProcedureCase.objects.create(
            version=version, order=order, name=group.case or "Hồ sơ gồm"
        )
        for position, doc in enumerate(group.documents, start=1):
            component = ComponentSpec.objects.create(
                case=case,
                order=position,
                name=doc.name,
                originals=doc.originals or 0,
                copies=doc.copies or 0,
                raw_text=doc.raw,
            )
            FormTemplate.objects.bulk_create(
                [FormTemplate(component=component, file_name=name[:255]) for name in doc.forms]
            )


def write_problems(report: ImportReport, path: Path) -> None:
    """Write the problems CSV (one row per warning, flag or failure)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "severity", "kind", "message"])
        writer.writeheader()
        writer.writerows(report.problems)
