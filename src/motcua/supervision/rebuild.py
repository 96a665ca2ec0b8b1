"""``motcua rebuild-stats``: recompute every aggregate from the dossier events and ratings.

Empties both tables, then goes through the dossiers in primary-key order, ``batch`` per
transaction. For each batch it locks the dossier rows (a live action or rating of one of them
waits, or has already caught it up — then it has a watermark and is skipped), and lets the
database do the counting: one grouped query over the batch's counting events, one over its
ratings (the local day and the raw dimensions per row; the level is folded in Python), the
upsert of the sums, and one ``INSERT … SELECT`` of the watermarks.

The SQL expressions below say the same as :func:`motcua.supervision.services.contributions`
(the live path); tests run both over the same dossiers and require identical tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, When
from django.db.models import Value as V
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, NullIf, TruncDate

from motcua.dossiers.lifecycle import END_STATES, OPEN_STATES, State
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.supervision.dimensions import level_of, tz
from motcua.supervision.models import COUNTERS, DailyStat, StatCursor
from motcua.supervision.services import (
    COUNTED_ACTIONS,
    Dims,
    bump,
    new_deltas,
)

Progress = Callable[[int, int], None]
#: The raw dimensions read per grouped row (``dossier__`` prefixed on events and ratings).
_RAW = (
    "receiving_agency_id",
    "receiving_unit_id",
    "procedure_version__procedure_id",
    "procedure_version__field_id",
    "procedure_version__levels",
    "receiving_agency__kind",
    "channel",
)


def rebuild_all(*, batch: int | None = None, progress: Progress | None = None) -> int:
    """Recompute every aggregate; returns the number of dossiers gone through."""
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
        _replay(Q(dossier_id__gte=ids[0], dossier_id__lte=ids[-1]))
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
    """Count the events and ratings of the dossiers ``ids`` that have no watermark yet and
    give them one at their last event (one transaction, their rows locked)."""
    _replay(Q(dossier_id__in=list(ids)))


def _replay(where: Q) -> None:
    """``where`` selects dossiers by ``dossier_id`` (a range in the rebuild: cheaper than a
    list of ids)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")  # the grouped sort in memory
                # one batch is small: parallel workers only add start-up and contention
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
                # the subplans inflate the estimates past the JIT threshold: compiling costs
                # seconds per batch and saves nothing on a few hundred thousand rows
                cursor.execute("SET LOCAL jit = off")
        dossiers = Dossier.objects.filter(_on_dossier(where))
        list(dossiers.select_for_update().values_list("pk"))
        # dossiers a live action or rating caught up meanwhile are counted already (usually
        # none: one indexed read, rather than an anti-join against every watermark)
        marked = list(StatCursor.objects.filter(where).values_list("dossier_id", flat=True))
        if marked:
            where &= ~Q(dossier_id__in=marked)
        deltas = new_deltas()
        for row in _event_sums(where):
            _fold(deltas, row)
        for row in _rating_sums(where):
            _fold(deltas, row)
        bump(deltas)
        _insert_watermarks(_on_dossier(where), where)


def _on_joined_dossier(where: Q) -> tuple[list[str], list]:
    """``where`` as SQL on the joined dossier table (``"dossiers_dossier"."id" …``): the
    planner then reads only the batch's dossiers instead of hashing or merging the whole
    table (it does not carry a range on ``dossier_id`` across the join by itself)."""
    query = Dossier.objects.filter(_on_dossier(where)).query
    sql, params = query.where.as_sql(query.get_compiler(connection=connection), connection)
    return [sql], list(params)


def _on_dossier(where: Q) -> Q:
    """The same condition on the dossier table itself (``dossier_id`` → ``pk``)."""
    children = [
        _on_dossier(child)
        if isinstance(child, Q)
        else (child[0].replace("dossier_id", "pk"), child[1])
        for child in where.children
    ]
    q = Q(*children, _connector=where.connector, _negated=where.negated)
    return q


def _fold(deltas: dict, row: dict) -> None:
    dims = Dims(
        agency_id=row.pop("d_agency"),
        unit_id=row.pop("d_unit"),
        procedure_id=row.pop("d_procedure"),
        field_id=row.pop("d_field"),
        level=level_of(row.pop("d_levels") or "", row.pop("d_kind")),
        channel=row.pop("d_channel"),
    )
    day = row.pop("day")
    counts = deltas[(day, dims)]
    for name, value in row.items():
        if value:
            counts[name] += value


_DIM_NAMES = ("agency", "unit", "procedure", "field", "levels", "kind", "channel")


def _dims(prefix: str) -> dict:
    return {f"d_{name}": F(f"{prefix}{raw}") for name, raw in zip(_DIM_NAMES, _RAW, strict=True)}


def _number(key: str, path: str = "payload") -> Coalesce:
    return Coalesce(Cast(KeyTextTransform(key, path), IntegerField()), V(0))


def _text(expression, default: str = "") -> Coalesce:
    return Coalesce(expression, V(default), output_field=models.TextField())


def _receipt_says(key: str, where: Q, outer: str = "dossier_id") -> Exists:
    """The dossier's ``receive`` event announced at least one ``key`` component. ``where``
    (the batch) bounds the subquery, should the planner hash it rather than probe it."""
    receipts = DossierEvent.objects.filter(where, dossier_id=OuterRef(outer), action="receive")
    return Exists(receipts.annotate(n=_number(key)).filter(n__gt=0))


def _event_sums(where: Q) -> list[dict]:
    """One row per (local day, raw dimensions) with the counters of the batch's events.

    The inner query computes each event's facts once (day, payload fields, what the receipt
    said); the outer one sums plain conditions on them (standard SQL for both databases)."""
    receipt_at = Coalesce("dossier__received_at", "at")
    day_of = Case(
        When(action="receive", then=receipt_at),
        default=F("at"),
        output_field=models.DateTimeField(),
    )
    ended = Q(from_state__in=OPEN_STATES, to_state__in=END_STATES)
    joined = _on_joined_dossier(where)
    facts = (
        DossierEvent.objects.filter(where, action__in=COUNTED_ACTIONS)
        # hand-offs between steps count nothing (most events): left out early
        .exclude(
            Q(action="complete_step", to_state=State.IN_PROCESS)
            & ~Q(payload__has_key="result_code")
        )
        .extra(where=joined[0], params=joined[1])  # noqa: S610 (SQL built by the ORM)
        .values(
            "action",
            "to_state",
            day=TruncDate(day_of, tzinfo=tz()),
            **_dims("dossier__"),
            ended=Case(When(ended, then=V(1)), default=V(0), output_field=IntegerField()),
            timeliness=_text(NullIf(KeyTextTransform("timeliness", "payload"), V("")), "on_time"),
            method=_text(KeyTextTransform("method", "payload")),
            result=_text(KeyTextTransform("result_code", "payload")),
            request_no=_number("request_no"),
            digitised=_number("digitised_components"),
            reused=_number("reused_components"),
            fee=Coalesce("dossier__fee_amount", V(0)),
            # what the receipt said, looked up only for the ends and the returns
            was_digitised=_flag(
                ended & Q(to_state=State.RESOLVED), _receipt_says("digitised_components", where)
            ),
            was_reused=_flag(Q(action="return_result"), _receipt_says("reused_components", where)),
        )
        .order_by()
    )
    inner, params = facts.query.sql_with_params()
    qn = connection.ops.quote_name
    keys = ["day", *(f"d_{n}" for n in _DIM_NAMES)]
    sums = [
        f"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END) AS {qn(name)}"
        for name, (condition, value) in _COUNTER_SQL.items()
    ]
    group = ", ".join(qn(k) for k in keys)
    sql = f"SELECT {group}, {', '.join(sums)} FROM ({inner}) facts GROUP BY {group}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:  # SQLite hands the day back as text
        if isinstance(row["day"], str):
            row["day"] = dt.date.fromisoformat(row["day"])
    return rows


def _flag(condition: Q, exists: Exists) -> Case:
    return Case(
        When(condition, then=Case(When(exists, then=V(1)), default=V(0))),
        default=V(0),
        output_field=IntegerField(),
    )


_RECEIPT = "action = 'receive'"
_RETURN = "action = 'return_result'"
_ELECTRONIC = f"{_RETURN} AND method = 'online'"
_FIRST = "action = 'request_supplement' AND request_no <= 1"
#: counter → (SQL condition over the facts, amount): the rules of ``services.contributions``
_COUNTER_SQL: dict[str, tuple[str, str]] = {
    "received_online": (f"{_RECEIPT} AND d_channel = 'online'", "1"),
    "received_direct": (f"{_RECEIPT} AND d_channel NOT IN ('online', 'postal')", "1"),
    "received_postal": (f"{_RECEIPT} AND d_channel = 'postal'", "1"),
    "resolved_early": ("ended = 1 AND timeliness = 'early'", "1"),
    "resolved_on_time": ("ended = 1 AND timeliness = 'on_time'", "1"),
    "resolved_late": ("ended = 1 AND timeliness = 'late'", "1"),
    "refused": ("action = 'refuse'", "1"),
    "not_eligible": ("ended = 1 AND to_state = 'not_eligible'", "1"),
    "stopped": ("ended = 1 AND to_state = 'stopped'", "1"),
    "withdrawn": ("ended = 1 AND to_state = 'withdrawn'", "1"),
    "supplements_first": (_FIRST, "1"),
    "supplements_repeated": ("action = 'request_supplement' AND request_no > 1", "1"),
    "apologies": ("action = 'apologise'", "1"),
    "results_issued": ("action IN ('approve', 'complete_step') AND result > ''", "1"),
    "returned": (_RETURN, "1"),
    "results_electronic": (_ELECTRONIC, "1"),
    "online_paper_result": (f"{_RETURN} AND method <> 'online' AND d_channel = 'online'", "1"),
    "results_digitised": ("was_digitised = 1", "1"),
    "received_digitised": (f"{_RECEIPT} AND digitised > 0", "1"),
    "received_reused": (f"{_RECEIPT} AND reused > 0", "1"),
    "digitised_components": (f"{_RECEIPT} AND digitised > 0", "digitised"),
    "reused_components": (f"{_RECEIPT} AND reused > 0", "reused"),
    "datastore_used": (
        f"({_RECEIPT} AND reused > 0) OR ({_ELECTRONIC} AND was_reused = 0)",
        "1",
    ),
    "fee_dossiers": (f"{_RECEIPT} AND fee > 0", "1"),
    "fee_amount": (f"{_RECEIPT} AND fee > 0", "fee"),
}


def _rating_sums(where: Q):
    from motcua.ratings.models import Rating

    joined = _on_joined_dossier(where)
    return (
        Rating.objects.filter(where)
        .extra(where=joined[0], params=joined[1])  # noqa: S610 (SQL built by the ORM)
        .annotate(day=TruncDate("submitted_at", tzinfo=tz()))
        .values("day", **_dims("dossier__"))
        .annotate(
            rated_satisfied=Count("pk", filter=Q(satisfied=True)),
            rated_dissatisfied=Count("pk", filter=Q(satisfied=False)),
        )
        .order_by()
    )


def _insert_watermarks(where: Q, events: Q) -> None:
    """``INSERT … SELECT`` the watermarks of the batch's dossiers (those without one);
    ``where`` selects them on the dossier table, ``events`` on the event table."""
    from motcua.ratings.models import Rating

    select = (
        Dossier.objects.filter(where)
        .annotate(
            # the last event's number is the dossier's version (``dossiers.services._append``)
            w_seq=F("version"),
            w_digitised=_receipt_says("digitised_components", events, "pk"),
            w_reused=_receipt_says("reused_components", events, "pk"),
            w_rated=Exists(Rating.objects.filter(dossier_id=OuterRef("pk"))),
        )
        .values_list("pk", "w_seq", "w_digitised", "w_reused", "w_rated")
        .order_by()
    )
    sql, params = select.query.sql_with_params()
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in ("dossier_id", "last_seq", "digitised", "reused", "rated"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {qn(StatCursor._meta.db_table)} ({columns}) {sql}", params)


__all__ = ["COUNTERS", "_empty", "rebuild_all", "replay"]
