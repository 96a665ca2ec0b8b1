"""What intake needs to know about an offering, read fast and never stale.

Intake needs, beside the offering with its agency, version and procedure: the agency's
one-stop unit, the processing time that applies to the channel, and whether the chosen case
belongs to the procedure. :func:`with_intake_facts` reads all of it in the offering's own
query (subqueries as annotations).

Building that query through the ORM costs more CPU than everything else in an intake, so
:func:`offering_for_intake` keeps, per process, the compiled SQL of each look-up with the row it
returned and the instances built from it. A later look-up runs the kept SQL (no compiling) and
uses the kept instances only when the database returns exactly the same row: any change to
the offering, its agency, version, procedure, units, channel options or cases is seen at
once, in every process. Each caller gets its own copy of the kept instances.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Exists, OuterRef, QuerySet, Subquery, Value, When

from motcua.catalog.models import Channel, ChannelOption, Offering, ProcedureCase, ProcedureVersion
from motcua.org.models import Unit

#: Look-ups kept per process (agency × procedure × channel × case); emptied when full.
MAX_KEPT = 2048


@dataclass(frozen=True)
class IntakeFacts:
    unit: Unit | None  # the one-stop unit (built from the annotations: no query)
    limit_value: Decimal | None
    limit_unit: str
    case_ok: bool


def with_intake_facts(offerings: QuerySet, channel: str, case_id: int | None = None) -> QuerySet:
    """``offerings`` annotated with what :func:`intake_facts` reads (one query in all)."""
    options = (
        ChannelOption.objects.filter(version=OuterRef("version_id"))
        .exclude(time_unit="")
        .order_by(
            Case(When(channel=channel, then=0), When(channel=Channel.COUNTER, then=1), default=2),
            "channel",
            "order",
        )
    )
    units = Unit.objects.filter(
        agency=OuterRef("agency_id"), kind=Unit.Kind.ONE_STOP, is_active=True
    ).order_by("code", "pk")
    cases = ProcedureCase.objects.filter(version=OuterRef("version_id"), pk=case_id or 0)
    return offerings.annotate(
        intake_unit_id=Subquery(units.values("pk")[:1]),
        intake_unit_code=Subquery(units.values("code")[:1]),
        intake_unit_name=Subquery(units.values("name")[:1]),
        intake_limit_value=Subquery(options.values("time_value")[:1]),
        intake_limit_unit=Subquery(options.values("time_unit")[:1]),
        intake_case_ok=Exists(cases) if case_id else Value(True),
    )


def intake_facts(offering: Offering, channel: str, case_id: int | None) -> IntakeFacts:
    """The facts read with the offering (:func:`with_intake_facts`), else read now.

    The processing time is the offering's own (local, shorter) time, else the channel's,
    else the counter's (the legal reference), else the first one published."""
    if not hasattr(offering, "intake_unit_id"):
        offering = with_intake_facts(
            Offering.objects.filter(pk=offering.pk), channel, case_id
        ).get()
    if offering.time_unit:
        value, unit = offering.time_value, offering.time_unit
    else:
        value, unit = offering.intake_limit_value, offering.intake_limit_unit
    one_stop = None
    if offering.intake_unit_id is not None:
        one_stop = Unit(
            pk=offering.intake_unit_id,
            agency_id=offering.agency_id,
            code=offering.intake_unit_code,
            name=offering.intake_unit_name,
            kind=Unit.Kind.ONE_STOP,
            is_active=True,
        )
        one_stop._state.adding, one_stop._state.db = False, connection.alias
    return IntakeFacts(one_stop, value, unit or "", bool(offering.intake_case_ok))


@dataclass(frozen=True)
class _Kept:
    sql: str
    params: tuple
    row: tuple
    offering: Offering


_kept: dict[tuple, _Kept] = {}
_lock = threading.Lock()


def forget() -> None:
    """Drop every kept look-up (tests; never needed for correctness)."""
    with _lock:
        _kept.clear()


def offering_for_intake(
    agency_identifier: str, procedure_code: str, channel: str, case_id: int | None = None
) -> Offering | None:
    """The active offering of a published version of ``procedure_code`` by the agency, with
    agency, version, procedure and intake facts loaded; None when there is none.

    One query without ORM compiling when the look-up was made before in this process."""
    key = (agency_identifier, procedure_code, channel, case_id)
    kept = _kept.get(key)
    if kept is not None and _row(kept.sql, kept.params) == kept.row:
        return _fresh_copy(kept.offering)
    offerings = Offering.objects.select_related("agency", "version__procedure").filter(
        agency__identifier=agency_identifier,
        version__procedure__code=procedure_code,
        version__status=ProcedureVersion.Status.PUBLISHED,
        is_active=True,
    )
    query = with_intake_facts(offerings, channel, case_id).order_by("pk")[:1]
    sql, params = query.query.sql_with_params()
    row = _row(sql, params)  # first: a change after it makes the next look-up read again
    offering = next(iter(query), None)
    if offering is None or row is None:
        return offering
    with _lock:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = _Kept(sql, tuple(params), row, offering)
    return _fresh_copy(offering)  # the kept instance never reaches a request


def _fresh_copy(instance, memo: dict | None = None):
    """A copy of a kept instance and of the related instances loaded with it, so that
    whatever a request caches on them (a reverse relation, say) stays in that request.
    Instances linked both ways (an agency and its one-to-one letterhead) are copied once."""
    memo = {} if memo is None else memo
    if id(instance) in memo:
        return memo[id(instance)]
    copied = copy.copy(instance)
    memo[id(instance)] = copied
    copied._state = copy.copy(instance._state)
    copied._state.fields_cache = {
        name: _fresh_copy(related, memo) if related is not None else None
        for name, related in instance._state.fields_cache.items()
    }
    return copied


def _row(sql: str, params) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


_inserts: dict[tuple[type, int, str, bool], tuple[str, tuple]] = {}


def insert(objs: list, *, ignore_conflicts: bool = False) -> None:
    """``INSERT`` new instances of one model in one statement and set their primary keys:
    what ``bulk_create`` does for them, without compiling a query each time (the SQL is
    kept per model and row count). Fields are prepared as Django prepares them
    (``pre_save``, ``get_db_prep_save``); no signal is sent, as with ``bulk_create``.

    With ``ignore_conflicts``, rows that break a unique constraint are left out
    (``ON CONFLICT DO NOTHING``, PostgreSQL and SQLite) and no primary key is set, as
    ``bulk_create(ignore_conflicts=True)`` does."""
    if not objs:
        return
    model = type(objs[0])
    key = (model, len(objs), connection.vendor, ignore_conflicts)
    kept = _inserts.get(key)
    if kept is None:
        kept = _inserts[key] = _insert_sql(model, len(objs), ignore_conflicts)
    sql, fields = kept
    params = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert")
        params.extend(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if ignore_conflicts:
            return
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def _insert_sql(model, count: int, ignore_conflicts: bool) -> tuple[str, tuple]:
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if not f.primary_key)
    qn = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * count)}"
    )
    sql += " ON CONFLICT DO NOTHING" if ignore_conflicts else f" RETURNING {qn(meta.pk.column)}"
    return sql, fields
