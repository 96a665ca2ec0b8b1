"""Commands that maintain the aggregates: the dossier-event subscriber and the rebuild.

Exactly once, by a per-dossier watermark (``StatCursor.last_seq``). The counters contain
exactly the events of each dossier with ``seq <= last_seq``. Every write is "advance the
watermark from ``w`` to ``s`` and add the events ``(w, s]``", done while the dossier row is
locked (``perform`` locks it; the rebuild locks its batch), in the same transaction as the
counters:

* the live path runs inside the action's transaction (``in_transaction=True``): the event,
  the counters and the watermark commit or roll back together;
* a normal event is one conditional ``UPDATE … SET last_seq = s WHERE last_seq = s - 1`` plus,
  for the events that count, one upsert; an event seen again (``seq <= w``) adds nothing;
* a gap (no watermark yet, e.g. right after ``rebuild-stats`` emptied the tables) is caught
  up from the event table, so live traffic may go on during a rebuild.

A failure here fails the action (no savepoint swallowing it): a dossier change whose
statistics were not written would make every later report silently wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

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
class EventRow:
    seq: int
    action: str
    from_state: str
    to_state: str
    at: dt.datetime
    payload: dict


def dims_of(dossier: Dossier) -> tuple[Dims, dt.datetime | None]:
    """The dossier's dimensions and its receipt instant."""
    version = dossier.procedure_version
    dims = Dims(
        agency_id=dossier.receiving_agency_id,
        unit_id=dossier.receiving_unit_id,
        procedure_id=version.procedure_id,
        field_id=version.field_id,
        level=level_of(version.levels, dossier.receiving_agency.kind),
        channel=dossier.channel,
    )
    return dims, dossier.received_at


def contributions(
    event: EventRow, channel: str, received_at: dt.datetime | None
) -> list[tuple[dt.date, str]]:
    """The (local day, counter) pairs one event of a dossier adds 1 to."""
    day = local_day(event.at)
    action, payload = event.action, event.payload or {}
    if action == "receive":  # counted on the receipt day, by channel
        receipt_day = local_day(received_at or event.at)
        return [(receipt_day, RECEIVED_BY_CHANNEL.get(channel, "received_direct"))]
    if action in SIMPLE:
        return [(day, SIMPLE[action])]
    if action == "request_supplement":
        first = int(payload.get("request_no") or 1) <= 1
        return [(day, "supplements_first" if first else "supplements_repeated")]
    found: list[tuple[dt.date, str]] = []
    if action in ("approve", "complete_step") and payload.get("result_code"):
        found.append((day, "results_issued"))
    if event.from_state in OPEN_STATES and event.to_state in END_STATES:
        # the end of processing of a received dossier (DOMAIN.md "Timeliness")
        found.append((day, f"resolved_{payload.get('timeliness') or 'on_time'}"))
        if event.to_state in ENDED_AS:
            found.append((day, ENDED_AS[event.to_state]))
    return found


def _add(deltas: dict, subject: tuple[Dims, dt.datetime | None], event: EventRow) -> None:
    dims, received_at = subject
    for day, counter in contributions(event, dims.channel, received_at):
        deltas[(day, dims)][counter] += 1


def new_deltas() -> dict[tuple[dt.date, Dims], Counter]:
    return defaultdict(Counter)


# --- the live path -------------------------------------------------------------------------


def on_dossier_event(event: DossierEvent) -> None:
    """In-transaction subscriber: advance the dossier's watermark to this event."""
    dossier_id, seq = event.dossier_id, event.seq
    moved = StatCursor.objects.filter(dossier_id=dossier_id, last_seq=seq - 1).update(last_seq=seq)
    if not moved:
        rows = _catch_up(event)
    elif event.action in COUNTED_ACTIONS:
        rows = [_row(event)]
    else:
        return
    if not rows:
        return
    deltas = new_deltas()
    subject = dims_of(event.dossier)
    for row in rows:
        _add(deltas, subject, row)
    bump(deltas)


def _row(event) -> EventRow:
    return EventRow(
        event.seq, event.action, event.from_state, event.to_state, event.at, event.payload
    )


def _catch_up(event: DossierEvent) -> list[EventRow]:
    """Slow path: no watermark yet, a gap, or an event seen again."""
    cursor = StatCursor.objects.filter(dossier_id=event.dossier_id).first()
    mark = cursor.last_seq if cursor else 0
    if event.seq <= mark:
        return []  # already counted
    if mark == event.seq - 1:
        rows = [_row(event)]
    else:
        earlier = DossierEvent.objects.filter(
            dossier_id=event.dossier_id, seq__gt=mark, seq__lte=event.seq
        ).order_by("seq")
        rows = [EventRow(*values[1:]) for values in earlier.values_list(*_EVENT_FIELDS)]
    if cursor is None:
        StatCursor.objects.create(dossier_id=event.dossier_id, last_seq=event.seq)
    else:
        StatCursor.objects.filter(dossier_id=event.dossier_id).update(last_seq=event.seq)
    return [row for row in rows if row.action in COUNTED_ACTIONS]


# --- writing counters ----------------------------------------------------------------------

_ROWS_PER_STATEMENT = 200


def bump(deltas: dict[tuple[dt.date, Dims], Counter]) -> None:
    """Add ``deltas`` to the counters: one ``INSERT … ON CONFLICT DO UPDATE`` per 200 rows
    (PostgreSQL and SQLite ≥ 3.24 share the syntax), in key order to avoid deadlocks."""
    items = sorted(((dims.key(day), day, dims, c) for (day, dims), c in deltas.items()))
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


# --- the rebuild ---------------------------------------------------------------------------

Progress = Callable[[int, int], None]


def rebuild(*, batch: int | None = None, progress: Progress | None = None) -> int:
    """Recompute every aggregate from the events: empty the tables, then replay the events
    of each dossier in ``seq`` order, ``batch`` dossiers per transaction. Returns the number
    of dossiers replayed. Live actions may go on meanwhile (see the module docstring)."""
    batch = batch or settings.SUPERVISION_REBUILD_BATCH
    _empty()
    total, done, last_pk = Dossier.objects.count(), 0, 0
    while True:
        ids = list(
            Dossier.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        replay(ids)
        done, last_pk = done + len(ids), ids[-1]
        if progress:
            progress(done, total)


def _empty() -> None:
    """TRUNCATE on PostgreSQL waits for the transactions writing these tables and holds new
    ones back until it commits; SQLite runs one writer at a time anyway."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            qn = connection.ops.quote_name
            tables = ", ".join(qn(m._meta.db_table) for m in (DailyStat, StatCursor))
            with connection.cursor() as cursor:
                # deferred foreign-key checks of rows written earlier in an enclosing
                # transaction must run first: TRUNCATE refuses pending trigger events
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE TABLE {tables}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            DailyStat.objects.all().delete()
            StatCursor.objects.all().delete()


def replay(ids: Iterable[int]) -> None:
    """Bring the watermarks of dossiers ``ids`` up to their last event, adding what lies
    above each watermark (all of it after the tables were emptied)."""
    ids = list(ids)
    with transaction.atomic():
        dossiers = {
            d.pk: dims_of(d)
            for d in Dossier.objects.select_for_update(of=("self",))
            .select_related("receiving_agency", "procedure_version")
            .filter(pk__in=ids)
        }
        marks = dict(
            StatCursor.objects.filter(dossier_id__in=ids).values_list("dossier_id", "last_seq")
        )
        last = dict(
            DossierEvent.objects.filter(dossier_id__in=ids)
            .values("dossier_id")
            .annotate(top=Max("seq"))
            .values_list("dossier_id", "top")
        )
        events = (
            DossierEvent.objects.filter(dossier_id__in=ids, action__in=COUNTED_ACTIONS)
            .order_by("dossier_id", "seq")
            .values_list(*_EVENT_FIELDS)
        )
        deltas = new_deltas()
        for values in events:
            if values[1] > marks.get(values[0], 0):
                _add(deltas, dossiers[values[0]], EventRow(*values[1:]))
        bump(deltas)
        moved = [
            StatCursor(dossier_id=d, last_seq=s) for d, s in last.items() if s > marks.get(d, 0)
        ]
        StatCursor.objects.bulk_create(
            moved, update_conflicts=True, unique_fields=["dossier"], update_fields=["last_seq"]
        )


def snapshot() -> dict[str, dict[str, int]]:
    """Every aggregate row as ``{key: {counter: n}}`` without the zeros (for comparisons)."""
    rows = DailyStat.objects.values_list("key", *COUNTERS)
    return {row[0]: {c: n for c, n in zip(COUNTERS, row[1:], strict=True) if n} for row in rows}
