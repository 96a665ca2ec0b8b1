"""Commands that change the organisation: importing divisions, creating agencies."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from motcua.org.models import Division


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    division_type: str
    level: str
    codename: str
    parent_code: str | None


def national_divisions() -> list[DivisionRow]:
    """The 34 provinces and 3,321 communes of the 2025 reform, from ``vietnam-provinces``."""
    from vietnam_provinces import Province, Ward

    rows = [
        DivisionRow(
            f"{int(p.code):02d}",
            p.name,
            p.division_type.value,
            Division.Level.PROVINCE,
            p.codename,
            None,
        )
        for p in Province.iter_all()
    ]
    rows += [
        DivisionRow(
            f"{int(w.code):05d}",
            w.name,
            w.division_type.value,
            Division.Level.COMMUNE,
            w.codename,
            f"{int(w.province_code):02d}",
        )
        for w in Ward.iter_all()
    ]
    return rows


_FIELDS = ("name", "division_type", "level", "codename")


def import_divisions(
    rows: Iterable[DivisionRow] | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 500,
) -> ImportSummary:
    """Create or update divisions by code; running it twice changes nothing the second time."""
    rows = list(national_divisions() if rows is None else rows)
    summary = ImportSummary()
    with transaction.atomic():
        existing = {d.code: d for d in Division.objects.all()}
        # Provinces first, in their own batches, so that communes find saved parents.
        for level_rows in (
            [r for r in rows if not r.parent_code],
            [r for r in rows if r.parent_code],
        ):
            for start in range(0, len(level_rows), batch_size):
                batch = level_rows[start : start + batch_size]
                _apply_batch(batch, existing, summary)
                if progress:
                    progress(len(batch))
    return summary


def _apply_batch(batch: list[DivisionRow], existing: dict[str, Division], summary) -> None:
    to_create, to_update = [], []
    for row in batch:
        parent = existing.get(row.parent_code) if row.parent_code else None
        if row.parent_code and parent is None:
            raise ValueError(f"division {row.code}: unknown province {row.parent_code}")
        obj = existing.get(row.code)
        values = {f: getattr(row, f) for f in _FIELDS}
        if obj is None:
            obj = Division(code=row.code, parent=parent, **values)
            to_create.append(obj)
            existing[row.code] = obj
        elif any(getattr(obj, f) != v for f, v in values.items()) or obj.parent_id != (
            parent.pk if parent else None
        ):
            for f, v in values.items():
                setattr(obj, f, v)
            obj.parent = parent
            to_update.append(obj)
        else:
            summary.unchanged += 1
    Division.objects.bulk_create(to_create)
    if to_update:
        Division.objects.bulk_update(to_update, [*_FIELDS, "parent"])
    summary.created += len(to_create)
    summary.updated += len(to_update)
