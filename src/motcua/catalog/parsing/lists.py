"""Comma-joined lists: applicant types (``doi_tuong_thuc_hien``) and levels (``cap_thuc_hien``)."""

from __future__ import annotations

from motcua.core.text import clean, fold

from .types import Level, ParseWarning

LEVELS = {
    "cap bo": Level.MINISTRY,
    "cap tinh": Level.PROVINCE,
    "cap huyen": Level.DISTRICT,
    "cap xa": Level.COMMUNE,
    "co quan khac": Level.OTHER,
}


def split_top_level(text: str | None, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside brackets: ``Tổ chức (không bao gồm doanh nghiệp, HTX)`` is one."""
    text = clean(text)
    if not text:
        return []
    items, depth, current = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if ch == sep and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def parse_applicant_types(text: str | None) -> tuple[str, ...]:
    """Applicant types in published order, without repeats.

    The portal's own category ``Cán bộ, công chức, viên chức`` holds commas outside
    brackets: an item starting in lower case continues the previous one.
    """
    merged: list[str] = []
    for item in split_top_level(text):
        if merged and item[:1].islower():
            merged[-1] = f"{merged[-1]}, {item}"
        else:
            merged.append(item)
    seen: set[str] = set()
    result = []
    for item in merged:
        key = fold(item)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return tuple(result)


def parse_levels(text: str | None) -> tuple[tuple[Level, ...], list[ParseWarning]]:
    """``Cấp bộ, Cấp tỉnh`` → (ministry, province); unknown labels are warned about."""
    levels: list[Level] = []
    warnings = []
    for item in split_top_level(text):
        level = LEVELS.get(fold(item))
        if level is None:
            warnings.append(
                ParseWarning("level_unknown", f"unknown level {item!r}", "cap_thuc_hien")
            )
        elif level not in levels:
            levels.append(level)
    return tuple(levels), warnings
