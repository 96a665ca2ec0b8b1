"""The one permission service: "may user U do action A on object O?".

Every view, endpoint and admin page asks here; no other module decides access. The actions
and the roles allowed to take them are declared once, as data, in ``ACTIONS`` (other apps add
theirs with :func:`register_action`). A user's role assignments are loaded with one query and
kept on the user object for the request, so each further decision costs no query at all.

Scope rule: a grant covers an object when the object's agency is the grant's agency (or one
below it, when the grant includes subordinates) and, for a unit-scoped grant, when the object
belongs to that unit. Supervisors (giám sát) hold only read actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.org.models import Agency, Counter, Role, RoleAssignment, Unit

ALL_STAFF = frozenset(Role)


@dataclass(frozen=True)
class ActionRule:
    name: str
    roles: frozenset[str]
    read_only: bool


ACTIONS: dict[str, ActionRule] = {}


def register_action(name: str, roles: Iterable[str], *, read_only: bool = False) -> None:
    """Declare an action and the roles that may take it (supervisors only on read actions)."""
    roles = frozenset(roles)
    if Role.SUPERVISOR in roles and not read_only:
        raise ValueError(f"{name}: supervisors may only hold read-only actions")
    ACTIONS[name] = ActionRule(name, roles, read_only)


register_action("org.view", ALL_STAFF, read_only=True)
register_action("org.manage", {Role.ADMINISTRATOR})
register_action("worktime.view", ALL_STAFF, read_only=True)
register_action("worktime.manage", {Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Scope:
    """Where an object sits: its agency's hierarchy path and, if any, its unit."""

    agency_path: str
    unit_id: int | None = None


@dataclass(frozen=True)
class Grant:
    role: str
    agency_path: str
    unit_id: int | None
    include_subordinates: bool
    valid_from: dt.date | None
    valid_to: dt.date | None
    agency_id: int | None = None

    def active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def covers(self, scope: Scope) -> bool:
        if self.include_subordinates:
            inside = scope.agency_path.startswith(self.agency_path)
        else:
            inside = scope.agency_path == self.agency_path
        return inside and (self.unit_id is None or self.unit_id == scope.unit_id)


ScopeResolver = Callable[[object], Scope]
_RESOLVERS: dict[type, ScopeResolver] = {
    Agency: lambda a: Scope(a.path),
    Unit: lambda u: Scope(u.agency.path, u.pk),
    Counter: lambda c: Scope(c.unit.agency.path, c.unit_id),
}


def register_scope(model: type, resolver: ScopeResolver) -> None:
    """Tell the service how to find the scope of instances of ``model``."""
    _RESOLVERS[model] = resolver


def scope_of(obj: object) -> Scope:
    if isinstance(obj, Scope):
        return obj
    method = getattr(obj, "permission_scope", None)
    if method is not None:
        return method()
    for model in type(obj).__mro__:
        if model in _RESOLVERS:
            return _RESOLVERS[model](obj)
    raise TypeError(f"no permission scope known for {type(obj).__name__}")


_CACHE_ATTR = "_motcua_grants"


def grants_of(user) -> tuple[Grant, ...]:
    """The user's grants: one query the first time, then kept on the user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants = tuple(Grant(*row) for row in _grant_rows(user.pk))
    setattr(user, _CACHE_ATTR, grants)
    return grants


_GRANT_FIELDS = (
    "role",
    "agency__path",
    "unit_id",
    "include_subordinates",
    "valid_from",
    "valid_to",
    "agency_id",
)
_grants_sql: dict[str, str] = {}


def _grant_rows(user_id: int) -> list[tuple]:
    """The user's role assignments as ``Grant`` fields. Read on nearly every request: the
    ORM query is compiled once per process and database vendor, then only executed."""
    sql = _grants_sql.get(connection.vendor)
    if sql is None:
        query = RoleAssignment.objects.filter(user_id=0).values_list(*_GRANT_FIELDS).query
        sql, params = query.sql_with_params()
        if list(params) != [0]:
            raise RuntimeError("unexpected parameters in the grants query")
        _grants_sql[connection.vendor] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        rows = cursor.fetchall()
    return [
        (role, path, unit, bool(sub), _day(start), _day(end), agency)
        for role, path, unit, sub, start, end, agency in rows
    ]


def _day(value) -> dt.date | None:
    """A date column as a date (SQLite returns text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def forget(user) -> None:
    """Drop the cached grants (after roles change within one request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _rule(action: str) -> ActionRule:
    try:
        return ACTIONS[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None


def _active_grants(user, rule: ActionRule, today: dt.date | None) -> list[Grant]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    day = today or timezone.localdate()
    return [g for g in grants_of(user) if g.role in rule.roles and g.active_on(day)]


def can(user, action: str, obj: object | None = None, *, today: dt.date | None = None) -> bool:
    """True when ``user`` may take ``action`` on ``obj`` (or anywhere, when ``obj`` is None)."""
    rule = _rule(action)
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return True
    grants = _active_grants(user, rule, today)
    if obj is None:
        return bool(grants)
    scope = scope_of(obj)
    return any(g.covers(scope) for g in grants)


def require(user, action: str, obj: object | None = None, *, today: dt.date | None = None) -> None:
    """Raise ``PermissionDenied`` with a clear Vietnamese message unless :func:`can` allows."""
    if not can(user, action, obj, today=today):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này trong phạm vi này."))


def scope_q(
    user,
    action: str,
    *,
    agency_path_field: str,
    unit_field: str | None = None,
    today: dt.date | None = None,
    agency_field: str | None = None,
) -> Q:
    """A filter selecting the rows ``user`` may take ``action`` on (no extra query).

    ``agency_path_field`` names the lookup of the row's agency path (e.g. ``"agency__path"``),
    ``unit_field`` the lookup of its unit id, for unit-scoped grants. With ``agency_field``
    (the row's agency id, e.g. ``"agency_id"``), a grant on one agency compares ids and one
    including subordinates selects the agency ids by path in a subquery: the rows' table
    is then not joined to the agencies (large tables keep their index plans).
    """
    rule = _rule(action)
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    q = Q(pk__in=[])
    for g in _active_grants(user, rule, today):
        lookup = "startswith" if g.include_subordinates else "exact"
        if agency_field is None or g.agency_id is None:
            part = Q(**{f"{agency_path_field}__{lookup}": g.agency_path})
        elif g.include_subordinates:
            below = Agency.objects.filter(path__startswith=g.agency_path).values("pk")
            part = Q(**{f"{agency_field}__in": below})
        else:
            part = Q(**{agency_field: g.agency_id})
        if g.unit_id is not None:
            if unit_field is None:
                continue
            part &= Q(**{unit_field: g.unit_id})
        q |= part
    return q
