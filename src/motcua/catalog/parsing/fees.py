"""Fee text: amounts, currencies, ``Phí :`` / ``Lệ phí :`` labels and bracketed notes."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from motcua.core.text import clean, fold

from .types import Fee, FeeKind, ParseWarning

#: Below this many đồng a published fee is almost certainly a data-entry error
#: (amounts typed in thousands: ``50 VNĐ`` for 50.000 đồng).
SMALL_FEE_VND = 1000

CURRENCY = r"(?:Việt Nam Đồng|VNĐ|VND|vnđ|Đồng|đồng|USD)"
_CURRENCY_CODES = {"usd": "USD"}  # everything else written here is the đồng

#: An amount as the portal prints it in the fee cell, followed by its currency.
AMOUNT_CELL = re.compile(r"(?P<amount>\d[\d.,]*)\s*(?P<currency>" + CURRENCY + r")")
#: ``Phí : 50.000 Đồng`` / ``Lệ phí: 100.000 đồng`` inside notes and descriptions.
LABELLED = re.compile(
    r"(?<![\w])(?P<label>Lệ phí|lệ phí|Phí|phí)\s*:\s*(?P<amount>\d[\d.,]*)\s*"
    r"(?P<currency>" + CURRENCY + r"|đ\b|Đ\b)"
)
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DECIMAL = re.compile(r"\d+(?:[.,]\d+)?")


def parse_amount(text: str) -> Decimal | None:
    """Parse ``20.000``, ``120,000``, ``10,000,000``, ``1.5`` or ``05``; ``None`` if unsure.

    A dot or comma followed by exactly three digits groups thousands (both styles are
    published); otherwise a single separator is a decimal point (``1.5 USD``).
    """
    text = text.strip().rstrip(".,")
    if _GROUPED.fullmatch(text):
        return Decimal(re.sub(r"[.,]", "", text))
    if _DECIMAL.fullmatch(text):
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            return None
    return None


def currency_code(text: str | None) -> str | None:
    """Map a published currency word to ``VND`` / ``USD``."""
    if not text:
        return None
    return _CURRENCY_CODES.get(fold(text), "VND")


def kind_from_label(label: str | None) -> FeeKind | None:
    """``phí`` → fee, ``lệ phí`` → charge."""
    if not label:
        return None
    return FeeKind.CHARGE if fold(label) == "le phi" else FeeKind.FEE


def norm_label(label: str | None) -> str | None:
    if not label:
        return None
    return "lệ phí" if fold(label) == "le phi" else "phí"


def amount_fee(
    amount_text: str,
    currency_text: str,
    *,
    text: str,
    label: str | None = None,
    note: str | None = None,
) -> Fee:
    """Build a fee from an amount; zero means free, an unreadable amount keeps only text."""
    amount = parse_amount(amount_text)
    if amount is None:
        kind = FeeKind.TEXT_ONLY
    elif amount == 0:
        kind = FeeKind.FREE
    else:
        kind = kind_from_label(label) or FeeKind.UNSPECIFIED
    return Fee(
        kind=kind,
        text=text,
        amount=amount,
        currency=currency_code(currency_text),
        label=norm_label(label),
        note=note,
    )


def fee_warnings(fees: tuple[Fee, ...] | list[Fee], where: str) -> list[ParseWarning]:
    """Warn about amounts too small to be real (``50 VNĐ``)."""
    out = []
    for fee in fees:
        vnd = fee.amount_vnd
        if vnd is not None and 0 < vnd < SMALL_FEE_VND:
            out.append(
                ParseWarning(
                    "fee_small",
                    f"{where}: fee of {vnd} VND looks like a data-entry error ({fee.text!r})",
                    "cach_thuc_thuc_hien",
                )
            )
    return out


def labelled_fees(text: str | None) -> list[Fee]:
    """Every ``Phí : <amount> <currency>`` / ``Lệ phí : …`` statement in ``text``."""
    if not text:
        return []
    fees = []
    for m in LABELLED.finditer(text):
        fees.append(amount_fee(m["amount"], m["currency"], text=m[0], label=m["label"]))
    return fees


def merge_extra_fees(primary: list[Fee], extra: list[Fee]) -> list[Fee]:
    """Add labelled fees found in notes/descriptions to the fee cell's fees.

    A labelled statement with the same amount as an unlabelled primary fee only gives that
    fee its label; free (zero) statements never add a line; repeats are dropped.
    """
    result = list(primary)
    for fee in extra:
        if fee.kind is FeeKind.FREE or fee.amount is None:
            continue
        same = [
            i for i, p in enumerate(result) if p.amount == fee.amount and p.currency == fee.currency
        ]
        if not same:
            result.append(fee)
            continue
        i = same[0]
        if result[i].kind is FeeKind.UNSPECIFIED:
            p = result[i]
            result[i] = Fee(fee.kind, p.text, p.amount, p.currency, fee.label, p.note)
    return result


# -- the bqp shape: "Phí : 0.5 USD (note)\nLệ phí : 01 USD (note)" --------------------------

_BQP_LINE = re.compile(r"(?m)^\s*(?=(?:Lệ phí|Phí)\s*:)")
_BQP_FEE = re.compile(
    r"(?P<label>Lệ phí|Phí)\s*:\s*(?P<value>[^(\n]*?)\s*(?P<currency>" + CURRENCY + r")?\s*"
    r"(?:\((?P<note>.*)\))?\s*$",
    re.S,
)


def parse_fee_lines(text: str | None) -> list[Fee]:
    """Parse a structured fee cell: one ``Phí :`` / ``Lệ phí :`` statement per line."""
    text = clean(text, keep_newlines=True)
    if not text:
        return []
    parts = [p.strip() for p in _BQP_LINE.split(text) if p.strip()]
    fees = []
    for part in parts:
        fees.append(_parse_fee_line(part))
    return fees


def _parse_fee_line(part: str) -> Fee:
    m = _BQP_FEE.match(part)
    if not m:
        if fold(part).startswith("mien phi"):
            return Fee(FeeKind.FREE, part)
        return Fee(FeeKind.TEXT_ONLY, part)
    value, note = m["value"].strip(), clean(m["note"])
    amount = parse_amount(value) if value else None
    if amount is not None:
        return amount_fee(value, m["currency"] or "Đồng", text=part, label=m["label"], note=note)
    folded = fold(value)
    if folded in {"khong", "0", "o"} or folded.startswith("mien"):
        return Fee(FeeKind.FREE, part, label=norm_label(m["label"]), note=note)
    return Fee(FeeKind.TEXT_ONLY, part, label=norm_label(m["label"]), note=clean(value) or note)
