"""Submission channels from ``cach_thuc_thuc_hien``.

The portal table ``Hình thức nộp | Thời gian | Phí, lệ phí | Mô tả`` is published flattened,
with no cell separators::

    Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến05 Ngày làm việcLệ phí…Dịch vụ bưu chính…

Each row is ``<channel><time><fee cell><description>``. The fee cell is ``Miễn phí``,
``Không có thông tin`` or ``<amount> <currency>``, optionally followed by a bracketed note.
"""

from __future__ import annotations

import re
from decimal import Decimal

from motcua.core.text import clean, fold, normalize

from .fees import AMOUNT_CELL, amount_fee, fee_warnings, labelled_fees, merge_extra_fees
from .types import Channel, ChannelOffer, Fee, FeeKind, ParseWarning, TimeUnit

FIELD = "cach_thuc_thuc_hien"
HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"

CHANNEL_NAMES = {
    "Trực tiếp": Channel.COUNTER,
    "Trực tuyến": Channel.ONLINE,
    "Dịch vụ bưu chính": Channel.POSTAL,
}

# A channel name starts a row when it is glued to what follows (the time cell); inside a
# description the same words are followed by a space or punctuation.
_ROW_START = re.compile(r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=[^\s:;,.()\-–/+\"“]|$)")

UNITS = {
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "gio lam viec": TimeUnit.WORKING_HOURS,
    "gio": TimeUnit.WORKING_HOURS,
    "ngay": TimeUnit.DAYS,
    "thang": TimeUnit.MONTHS,
}
_TIME = re.compile(
    r"\s*(?P<value>\d+(?:[.,]\d+)?)\s*(?P<unit>Ngày làm việc|Giờ làm việc|Ngày|Giờ|Tháng)?",
    re.I,
)
_FUSED = re.compile(r"(?P<digits>\d[\d,]*)\s*(?=(?:Việt Nam Đồng|VNĐ|USD))")
_COUNT_FMT = re.compile(r"[1-9]\d{0,2}(?:,\d{3})*|0")
_PLACEHOLDER = "Không có thông tin"
_FREE = re.compile("Miễn phí")
_FEE_START = re.compile(r"Miễn phí|Không có thông tin|" + AMOUNT_CELL.pattern)
NO_TIME = {"khong co thong tin", "khong quy dinh", "khong", ""}
_WITHIN_DAY = re.compile(r"\b(ngay )?trong (ngay|buoi)\b")


def parse_time(text: str | None) -> tuple[Decimal | None, TimeUnit | None]:
    """Parse a standalone time cell: ``05 Ngày làm việc`` → (5, working days)."""
    text = clean(text)
    if not text:
        return None, None
    m = _TIME.fullmatch(text)
    if m:
        unit = UNITS[fold(m["unit"])] if m["unit"] else None
        return Decimal(m["value"].replace(",", ".")), unit
    if _WITHIN_DAY.search(fold(text)):
        return None, TimeUnit.WITHIN_DAY
    return None, None


def split_rows(text: str) -> tuple[str, list[tuple[Channel, str]]]:
    """Split the flattened table into (leading text, [(channel, row text)])."""
    text = normalize(text)
    body = text[len(HEADER) :] if text.startswith(HEADER) else text
    starts = list(_ROW_START.finditer(body))
    lead = body[: starts[0].start()] if starts else body
    rows = []
    for m, nxt in zip(starts, [*starts[1:], None], strict=True):
        end = nxt.start() if nxt else len(body)
        rows.append((CHANNEL_NAMES[m[1]], body[m.end() : end]))
    return lead, rows


def parse_channels(text: str | None) -> tuple[list[ChannelOffer], list[ParseWarning]]:
    """Parse ``cach_thuc_thuc_hien`` into channel offers and warnings."""
    warnings: list[ParseWarning] = []
    if clean(text) is None:
        return [], [ParseWarning("no_channels", "no submission channel published", FIELD)]
    lead, rows = split_rows(text or "")
    if clean(lead):
        warnings.append(ParseWarning("channels_leftover", f"text before channels: {lead!r}", FIELD))
    offers: list[ChannelOffer] = []
    for channel, row in rows:
        offer, row_warnings = parse_row(channel, row)
        if any(o.raw == offer.raw and o.channel == channel for o in offers):
            warnings.append(ParseWarning("channel_duplicate", f"{channel}: row repeated", FIELD))
            continue
        if any(o.channel == channel for o in offers):
            warnings.append(
                ParseWarning(
                    "channel_several_rows",
                    f"{channel}: several rows (times or fees differ by case)",
                    FIELD,
                )
            )
        warnings.extend(row_warnings)
        offers.append(offer)
    if not offers:
        warnings.append(ParseWarning("no_channels", "no submission channel found", FIELD))
    return offers, warnings


def parse_row(channel: Channel, row: str) -> tuple[ChannelOffer, list[ParseWarning]]:
    """Parse one row (the text after the channel name)."""
    warnings: list[ParseWarning] = []
    time_text, value, unit, rest = _take_time(channel, row, warnings)
    fee_text, fees, description = _take_fee(channel, rest, warnings)
    extra = labelled_fees(" ".join(f.note or "" for f in fees) + " " + (description or ""))
    fees = merge_extra_fees(fees, extra)
    warnings.extend(fee_warnings(fees, str(channel)))
    offer = ChannelOffer(
        channel=channel,
        raw=row,
        time_value=value,
        time_unit=unit,
        time_text=time_text,
        fees=tuple(fees),
        fee_text=fee_text,
        description=clean(description, keep_newlines=True),
    )
    return offer, warnings


def _take_time(
    channel: Channel, row: str, warnings: list[ParseWarning]
) -> tuple[str | None, Decimal | None, TimeUnit | None, str]:
    """Consume the time cell; return (time text, value, unit, rest of the row)."""
    fused = _FUSED.match(row)
    if fused:
        return _split_fused(channel, row, fused, warnings)
    m = _TIME.match(row)
    if m:
        value = Decimal(m["value"].replace(",", "."))
        unit = UNITS[fold(m["unit"])] if m["unit"] else None
        if unit is None:
            warnings.append(
                ParseWarning(
                    "time_without_unit", f"{channel}: time {m[0].strip()!r} has no unit", FIELD
                )
            )
        elif value == 0:
            warnings.append(ParseWarning("time_zero", f"{channel}: time {m[0].strip()!r}", FIELD))
        return m[0].strip(), value, unit, row[m.end() :]
    if row.startswith(_PLACEHOLDER):
        time_text, rest = _PLACEHOLDER, row[len(_PLACEHOLDER) :]
    else:
        fee = _FEE_START.search(row)
        cut = fee.start() if fee else len(row)
        time_text, rest = row[:cut], row[cut:]
    return _classify_time_text(channel, time_text, rest, warnings)


def _classify_time_text(
    channel: Channel, time_text: str, rest: str, warnings: list[ParseWarning]
) -> tuple[str | None, Decimal | None, TimeUnit | None, str]:
    cleaned = clean(time_text)
    folded = fold(time_text)
    if folded in NO_TIME:
        warnings.append(ParseWarning("time_missing", f"{channel}: no processing time", FIELD))
        return (cleaned or None), None, None, rest
    if _WITHIN_DAY.search(folded):
        return cleaned, None, TimeUnit.WITHIN_DAY, rest
    warnings.append(
        ParseWarning("time_unparsed", f"{channel}: time given as text {cleaned!r}", FIELD)
    )
    return cleaned, None, None, rest


def _split_fused(
    channel: Channel, row: str, m: re.Match[str], warnings: list[ParseWarning]
) -> tuple[str | None, Decimal | None, TimeUnit | None, str]:
    """A bare time glued to the amount (``Trực tuyến120 VNĐ`` = 1 + ``20 VNĐ``).

    Amounts are printed with comma grouping and no leading zero, so the time is the
    shortest leading run of digits that leaves a well-formed amount. When no split
    works the digits are all amount and the time is missing.
    """
    digits = m["digits"]
    for k in range(1, len(digits)):
        head, tail = digits[:k], digits[k:]
        if head.isdigit() and _COUNT_FMT.fullmatch(tail):
            warnings.append(
                ParseWarning(
                    "time_fee_fused",
                    f"{channel}: {digits!r} read as time {head} (no unit) + amount {tail}",
                    FIELD,
                )
            )
            return head, Decimal(head), None, row[k:]
    warnings.append(ParseWarning("time_missing", f"{channel}: no processing time", FIELD))
    return None, None, None, row


def _take_fee(
    channel: Channel, rest: str, warnings: list[ParseWarning]
) -> tuple[str | None, list[Fee], str | None]:
    """Consume the fee cell; return (fee cell text, fees, description)."""
    if rest.startswith(_PLACEHOLDER):
        warnings.append(ParseWarning("fee_missing", f"{channel}: fee not published", FIELD))
        return None, [], rest[len(_PLACEHOLDER) :]
    amount = AMOUNT_CELL.match(rest)
    head = amount or _FREE.match(rest)
    if head is None:
        warnings.append(
            ParseWarning("fee_unparsed", f"{channel}: no fee cell in {rest[:60]!r}", FIELD)
        )
        return None, [], rest
    note, end, balanced = _bracketed(rest, head.end())
    if not balanced:
        warnings.append(
            ParseWarning("fee_note_unbalanced", f"{channel}: fee note brackets do not close", FIELD)
        )
    cell = clean(rest[:end]) or rest[:end]
    note = clean(note)
    if amount:
        label = _note_label(note)
        fee = amount_fee(amount["amount"], amount["currency"], text=cell, label=label, note=note)
    else:
        fee = Fee(FeeKind.FREE, cell, note=note)
    return cell, [fee], rest[end:]


def _bracketed(text: str, start: int) -> tuple[str | None, int, bool]:
    """The bracketed note at ``start``: (note, index after it, brackets balanced).

    When the brackets never balance, the note ends at the last ``)`` that brings the
    nesting to its lowest depth, or runs to the end of the row.
    """
    if not text.startswith("(", start):
        return None, start, True
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i], i + 1, True
    # Never balanced: end the note at the last ")" that brings the depth to its lowest.
    depth, lowest, cut = 0, None, None
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if lowest is None or depth <= lowest:
                lowest, cut = depth, i
    if cut is None:
        return text[start + 1 :], len(text), False
    return text[start + 1 : cut], cut + 1, False


_NOTE_LABEL = re.compile(r"^[\s(\-–+*]*(Lệ phí|Phí)\b", re.I)


def _note_label(note: str | None) -> str | None:
    """The ``phí`` / ``lệ phí`` label a note starts with (``Lệ phí : 400.000 Đồng …``)."""
    if not note:
        return None
    m = _NOTE_LABEL.match(note)
    return m[1] if m else None
