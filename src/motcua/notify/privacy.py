"""Masking personal data (Personal Data Protection Law 2025): IDs, e-mail and phone numbers.

Messages never carry a full ID number, and administrators' lists show recipients masked.
"""

from __future__ import annotations

import re

MASK = "•"
#: A 12-digit personal identification number (CCCD / số định danh cá nhân) standing alone.
_ID_NUMBER = re.compile(r"(?<![\d.\-])\d{12}(?![\d.\-])")


def mask_id(number: str, keep: int = 4) -> str:
    """``079090001234`` → ``••••••••1234`` (only the last digits shown)."""
    number = (number or "").replace(" ", "")
    return MASK * max(len(number) - keep, 0) + number[-keep:]


def mask_recipient(address: str) -> str:
    """``an@example.vn`` → ``a•@example.vn``; ``0903123456`` → ``•••••••456``."""
    address = address or ""
    if "@" in address:
        local, _at, domain = address.rpartition("@")
        return (local[:1] + MASK * max(len(local) - 1, 1)) + "@" + domain
    return mask_id(address, keep=3)


def scrub(text: str, *id_numbers: str) -> str:
    """Mask the given ID numbers, and any stand-alone 12-digit number, in ``text``."""
    for number in id_numbers:
        number = (number or "").replace(" ", "")
        if len(number) >= 8:
            text = text.replace(number, mask_id(number))
    return _ID_NUMBER.sub(lambda m: mask_id(m.group(0)), text)
