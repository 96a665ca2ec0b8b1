"""Commands that maintain the aggregates: the dossier-event subscriber, the rating hook and
(in :mod:`motcua.supervision.rebuild`) the rebuild.

Exactly once, by a per-dossier watermark (``StatCursor.last_seq``). The counters contain
exactly the events of each dossier with ``seq <= last_seq`` (and its rating when
``StatCursor.rated``). Every write is "advance the watermark from ``w`` to ``s`` and add the
events ``(w, s]``", done while the dossier row is locked (``perform`` and the rating service
lock it; the rebuild locks its batch), in the same transaction as the counters:

* the live path runs inside the action's transaction (``in_transaction=True``): the event,
  the counters and the watermark commit or roll back together;
* a normal event is one conditional ``UPDATE … SET last_seq = s WHERE last_seq = s - 1
  RETURNING digitised, reused`` plus, for the events that count, one upsert; an event seen
  again (``seq <= w``) adds nothing;
* a gap (no watermark yet, e.g. right after ``rebuild-stats`` emptied the tables) is caught
  up from the event table (and the rating table), so live traffic may go on during a rebuild.
  A watermark, once written, is always at the dossier's last event: the rebuild skips the
  dossiers that have one.

``digitised`` and ``reused`` on the watermark remember what the receipt said (the
``digitised_components`` and ``reused_components`` of the ``receive`` payload), so that the
result and return events can be counted for indicators 4.2 and 4.4 without another query.

A failure here fails the action (no savepoint swallowing it): a dossier change whose
statistics were not written would make every later report silently wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection

from motcua.dossiers.lifecycle import END_STATES, OPEN_STATES, State
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.supervision.dimensions import level_of, local_day
from motcua.supervision.models import COUNTERS, DailyStat, StatCursor

#: The actions that change a counter (every other event only moves the watermark).
COUNTED_ACTIONS = frozenset(
    {
        "receive",
        "refuse",
        "request_supplement",
        "apologise",
        "approve",
        "complete_step",
        "reject",
        "stop",
        "withdraw",
        "return_result",
    }
)
RECEIVED_BY_CHANNEL = {
    "online": "received_online",
    "counter": "received_direct",
    "postal": "received_postal",
}
SIMPLE = {"refuse": "refused", "apologise": "apologies", "return_result": "returned"}
ENDED_AS = {
    State.NOT_ELIGIBLE: "not_eligible",
    State.STOPPED: "stopped",
    State.WITHDRAWN: "withdrawn",
}
RESULT_ACTIONS = ("approve", "complete_step")
_EVENT_FIELDS = ("dossier_id", "seq", "action", "from_state", "to_state", "at", "payload")


@dataclass(frozen=True)
class Dims:
    """Where a dossier counts: its immutable attributes from receipt on."""

    agency_id: int
    unit_id: int
    procedure_id: int
    field_id: int | None
    level: str
    channel: str

    def key(self, day: dt.date) -> str:
        field = self.field_id or 0
        parts = (day.isoformat(), self.agency_id, self.unit_id, self.procedure_id, field)
        return "|".join(map(str, (*parts, self.level, self.channel)))


@dataclass(frozen=True)
class Subject:
    """A dossier as the counters see it: dimensions, receipt instant and fee."""

    dims: Dims
    received_at: dt.datetime | None
    fee_amount: int = 0


@dataclass(frozen=True)
class EventRow:
    seq: int
    action: str
    from_state: str
    to_state: str
    at: dt.datetime
    payload: dict


@dataclass(frozen=True)
class Flags:
    """What the dossier's receipt said (carried on its watermark)."""

    digitised: bool = False
    reused: bool = False


def subject_of(dossier: Dossier) -> Subject:
    version = dossier.procedure_version
    dims = Dims(
        agency_id=dossier.receiving_agency_id,
        unit_id=dossier.receiving_unit_id,
        procedure_id=version.procedure_id,
        field_id=version.field_id,
        level=level_of(version.levels, dossier.receiving_agency.kind),
        channel=dossier.channel,
    )
    return Subject(dims, dossier.received_at, dossier.fee_amount or 0)


def _count(payload: dict, key: str) -> int:
    try:
        return max(int(payload.get(key) or 0), 0)
    except (TypeError, ValueError):
        return 0


def receipt_counts(payload: dict | None) -> tuple[int, int]:
    """Digitised and reused components announced by a ``receive`` payload."""
    payload = payload or {}
    return _count(payload, "digitised_components"), _count(payload, "reused_components")


def contributions(event: EventRow, subject: Subject, flags: Flags) -> list[tuple]:
    """The (local day, counter, amount) one event of a dossier adds; ``flags`` are the
    receipt's (for the ``receive`` event itself they are read from its payload)."""
    day = local_day(event.at)
    action, payload = event.action, event.payload or {}
    channel = subject.dims.channel
    if action == "receive":  # counted on the receipt day, by channel
        return _receipt(local_day(subject.received_at or event.at), subject, payload)
    if action == "request_supplement":
        first = int(payload.get("request_no") or 1) <= 1
        return [(day, "supplements_first" if first else "supplements_repeated", 1)]
    found: list[tuple] = []
    if action in SIMPLE:
        found.append((day, SIMPLE[action], 1))
    if action == "return_result":
        electronic = payload.get("method") == "online"
        if electronic:
            found.append((day, "results_electronic", 1))
            if not flags.reused:  # a dossier that took nothing from the store sends to it
                found.append((day, "datastore_used", 1))
        elif channel == "online":
            found.append((day, "online_paper_result", 1))
        return found
    if action in RESULT_ACTIONS and payload.get("result_code"):
        found.append((day, "results_issued", 1))
    if event.from_state in OPEN_STATES and event.to_state in END_STATES:
        # the end of processing of a received dossier (DOMAIN.md "Timeliness")
        found.append((day, f"resolved_{payload.get('timeliness') or 'on_time'}", 1))
        if event.to_state in ENDED_AS:
            found.append((day, ENDED_AS[event.to_state], 1))
        if event.to_state == State.RESOLVED and flags.digitised:  # indicator 4.2
            found.append((day, "results_digitised", 1))
    return found


def _receipt(day: dt.date, subject: Subject, payload: dict) -> list[tuple]:
    found = [(day, RECEIVED_BY_CHANNEL.get(subject.dims.channel, "received_direct"), 1)]
    digitised, reused = receipt_counts(payload)
    if digitised:
        found += [(day, "received_digitised", 1), (day, "digitised_components", digitised)]
    if reused:
        found += [(day, "received_reused", 1), (day, "reused_components", reused)]
        found.append((day, "datastore_used", 1))
    if subject.fee_amount > 0:
        found += [(day, "fee_dossiers", 1), (day, "fee_amount", subject.fee_amount)]
    return found


def new_deltas() -> dict[tuple[dt.date, Dims], Counter]:
    return defaultdict(Counter)


def add_event(deltas: dict, subject: Subject, event: EventRow, flags: Flags) -> Flags:
    """Add one event's counts to ``deltas``; returns the flags after it."""
    for day, counter, amount in contributions(event, subject, flags):
        deltas[(day, subject.dims)][counter] += amount
    if event.action == "receive":
        digitised, reused = receipt_counts(event.payload)
        return Flags(digitised > 0, reused > 0)
    return flags


def add_rating(deltas: dict, subject: Subject, at: dt.datetime, satisfied: bool) -> None:
    counter = "rated_satisfied" if satisfied else "rated_dissatisfied"
    deltas[(local_day(at), subject.dims)][counter] += 1


# --- the live path -------------------------------------------------------------------------


def on_dossier_event(event: DossierEvent) -> None:
    """In-transaction subscriber: advance the dossier's watermark to this event."""
    flags = _advance(event)
    if flags is None:
        rows, flags, rating = _catch_up(event)
    elif event.action in COUNTED_ACTIONS:
        rows, rating = [_row(event)], None
    else:
        return
    if not rows and rating is None:
        return
    deltas = new_deltas()
    subject = subject_of(event.dossier)
    for row in rows:
        flags = add_event(deltas, subject, row, flags)
    if rating is not None:
        add_rating(deltas, subject, *rating)
    bump(deltas)


def read_ahead(dossier, action: str) -> None:
    """Called by ``dossiers.services`` for a dossier created and answered with ``action`` in
    one transaction, before its events are written: they are its submission (seq 1, which
    counts nothing) and ``action`` (seq 2), dispatched in order in that transaction, so the
    watermark is written once, at seq 2."""
    dossier._stats_answer = action


on_dossier_event.read_ahead = read_ahead


def _created_with(event: DossierEvent) -> str | None:
    """``"skip"`` for the submission of a dossier marked by :func:`read_ahead`, ``"write"``
    for its answer (the mark is then dropped), otherwise None."""
    if not DossierEvent.dossier.is_cached(event):  # never a query to find out
        return None
    answer = getattr(event.dossier, "_stats_answer", None)
    if answer is None:
        return None
    if event.seq == 1 and event.action not in COUNTED_ACTIONS:
        return "skip"
    del event.dossier._stats_answer
    return "write" if event.seq == 2 and event.action == answer else None


def _advance(event: DossierEvent) -> Flags | None:
    """The fast path: move the watermark from ``seq - 1`` to ``seq`` in one statement;
    returns the receipt flags before this event, or None when the watermark was elsewhere.

    A dossier's first event writes its watermark with one ``INSERT … ON CONFLICT DO NOTHING``
    (PostgreSQL and SQLite): nothing can precede it, so there is nothing to catch up; for a
    dossier created and answered at once, the answer does, at seq 2 (:func:`read_ahead`). A
    watermark already there (the event dispatched again) inserts nothing and takes the slow
    path, which finds it counted."""
    qn = connection.ops.quote_name
    table = qn(StatCursor._meta.db_table)
    digitised = reused = False
    if event.action == "receive":
        digitised, reused = (n > 0 for n in receipt_counts(event.payload))
    created = _created_with(event)
    if created == "skip":
        return Flags()
    if event.seq == 1 or created == "write":
        sql = (
            f"INSERT INTO {table} (dossier_id, last_seq, digitised, reused, rated) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (dossier_id) DO NOTHING "
            "RETURNING digitised, reused"
        )
        params = [event.dossier_id, event.seq, digitised, reused, False]
    else:
        sets, params = "last_seq = %s", [event.seq]
        if event.action == "receive":
            sets += ", digitised = %s, reused = %s"
            params += [digitised, reused]
        sql = (
            f"UPDATE {table} SET {sets} WHERE dossier_id = %s AND last_seq = %s "
            "RETURNING digitised, reused"
        )
        params += [event.dossier_id, event.seq - 1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    if event.action == "receive":
        return Flags()  # the receipt's own counts come from its payload
    return Flags(bool(row[0]), bool(row[1]))


def _row(event) -> EventRow:
    return EventRow(
        event.seq, event.action, event.from_state, event.to_state, event.at, event.payload
    )


def _catch_up(event: DossierEvent) -> tuple[list[EventRow], Flags, tuple | None]:
    """Slow path: no watermark yet, a gap, or an event seen again."""
    cursor = StatCursor.objects.filter(dossier_id=event.dossier_id).first()
    mark = cursor.last_seq if cursor else 0
    flags = Flags(cursor.digitised, cursor.reused) if cursor else Flags()
    if event.seq <= mark:
        return [], flags, None  # already counted
    if mark == event.seq - 1:
        rows = [_row(event)]
    else:
        earlier = DossierEvent.objects.filter(
            dossier_id=event.dossier_id, seq__gt=mark, seq__lte=event.seq
        ).order_by("seq")
        rows = [EventRow(*values[1:]) for values in earlier.values_list(*_EVENT_FIELDS)]
    after = flags
    for row in rows:
        if row.action == "receive":
            digitised, reused = receipt_counts(row.payload)
            after = Flags(digitised > 0, reused > 0)
    # a dossier's first event cannot have a rating; a gap may (tables emptied by a rebuild)
    rating = _rating_of(event.dossier_id) if cursor is None and event.seq > 1 else None
    values = {"last_seq": event.seq, "digitised": after.digitised, "reused": after.reused}
    if cursor is None:
        StatCursor.objects.create(dossier_id=event.dossier_id, rated=rating is not None, **values)
    else:
        StatCursor.objects.filter(dossier_id=event.dossier_id).update(**values)
    return [row for row in rows if row.action in COUNTED_ACTIONS], flags, rating


def _rating_of(dossier_id: int) -> tuple | None:
    from motcua.ratings.models import Rating

    found = Rating.objects.filter(dossier_id=dossier_id).values_list("submitted_at", "satisfied")
    return found.first()


def on_rating(dossier_id: int, submitted_at: dt.datetime, satisfied: bool) -> None:
    """Count a citizen's rating of a dossier, exactly once, in the rating's transaction
    (the rating service holds the dossier's row lock): one conditional ``UPDATE`` of the
    watermark plus one upsert. Without a watermark (tables just emptied by a rebuild) the
    dossier's whole history is caught up with it."""
    moved = StatCursor.objects.filter(dossier_id=dossier_id, rated=False).update(rated=True)
    dossier = Dossier.objects.select_related("receiving_agency", "procedure_version").get(
        pk=dossier_id
    )
    subject = subject_of(dossier)
    deltas = new_deltas()
    if moved:
        add_rating(deltas, subject, submitted_at, satisfied)
    elif not StatCursor.objects.filter(dossier_id=dossier_id).exists():
        flags = Flags()
        rows = DossierEvent.objects.filter(dossier_id=dossier_id).order_by("seq")
        last = 0
        for values in rows.values_list(*_EVENT_FIELDS):
            row = EventRow(*values[1:])
            last = row.seq
            if row.action in COUNTED_ACTIONS:
                flags = add_event(deltas, subject, row, flags)
        add_rating(deltas, subject, submitted_at, satisfied)
        StatCursor.objects.create(
            dossier_id=dossier_id,
            last_seq=last,
            digitised=flags.digitised,
            reused=flags.reused,
            rated=True,
        )
    bump(deltas)


# --- writing counters ----------------------------------------------------------------------

_ROWS_PER_STATEMENT = 200


def bump(deltas: dict[tuple[dt.date, Dims], Counter]) -> None:
    """Add ``deltas`` to the counters: one ``INSERT … ON CONFLICT DO UPDATE`` per 200 rows
    (PostgreSQL and SQLite ≥ 3.24 share the syntax), in key order to avoid deadlocks."""
    items = sorted(
        (dims.key(day), day, dims, c) for (day, dims), c in deltas.items() if any(c.values())
    )
    for start in range(0, len(items), _ROWS_PER_STATEMENT):
        _upsert(items[start : start + _ROWS_PER_STATEMENT])


def _upsert(items: list) -> None:
    qn = connection.ops.quote_name
    table = qn(DailyStat._meta.db_table)
    columns = ["key", "day", "agency_id", "unit_id", "procedure_id", "field_id", "level"]
    columns += ["channel", *COUNTERS]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params: list = []
    for key, day, dims, counts in items:
        params += [key, connection.ops.adapt_datefield_value(day), dims.agency_id, dims.unit_id]
        params += [dims.procedure_id, dims.field_id, dims.level, dims.channel]
        params += [counts.get(name, 0) for name in COUNTERS]
    updates = ", ".join(f"{qn(c)} = {table}.{qn(c)} + EXCLUDED.{qn(c)}" for c in COUNTERS)
    sql = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES {', '.join([placeholders] * len(items))} "
        f"ON CONFLICT ({qn('key')}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def snapshot() -> dict[str, dict[str, int]]:
    """Every aggregate row as ``{key: {counter: n}}`` without the zeros (for comparisons)."""
    rows = DailyStat.objects.values_list("key", *COUNTERS)
    return {row[0]: {c: n for c, n in zip(COUNTERS, row[1:], strict=True) if n} for row in rows}


def __getattr__(name: str):
    """The rebuild lives in :mod:`motcua.supervision.rebuild` (kept reachable from here)."""
    if name in ("rebuild", "replay", "_empty"):
        from motcua.supervision import rebuild

        return getattr(rebuild, {"rebuild": "rebuild_all"}.get(name, name))
    raise AttributeError(name)
