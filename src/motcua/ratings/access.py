"""Who may see ratings and run a counter's rating tablet (declared to the permission service).

- ``ratings.view_unit``: staff (reception officers, specialists, leaders) see the ratings of
  the units they work in;
- ``ratings.view_all``: supervisors and administrators see the aggregates over their scope
  (read-only);
- ``ratings.counter_session``: the reception officers of a one-stop unit put the current
  transaction on their counter's tablet and pair the tablet;
- ``ratings.manage``: administrators edit the criteria and revoke tablets in the admin.
"""

from __future__ import annotations

from django.db.models import Q

from motcua.org import permissions
from motcua.org.models import Role

VIEW_UNIT = "ratings.view_unit"
VIEW_ALL = "ratings.view_all"
COUNTER_SESSION = "ratings.counter_session"
MANAGE = "ratings.manage"

permissions.register_action(
    VIEW_UNIT, {Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER}, read_only=True
)
permissions.register_action(VIEW_ALL, {Role.SUPERVISOR, Role.ADMINISTRATOR}, read_only=True)
permissions.register_action(COUNTER_SESSION, {Role.RECEPTION_OFFICER})
permissions.register_action(MANAGE, {Role.ADMINISTRATOR})


def units_q(user, *, path: str = "agency__path", unit: str = "id") -> Q:
    """Units (or rows of a unit) whose ratings ``user`` may read (no query once the grants
    are loaded): their own units as staff, their whole scope as supervisors."""
    own = permissions.scope_q(user, VIEW_UNIT, agency_path_field=path, unit_field=unit)
    scope = permissions.scope_q(user, VIEW_ALL, agency_path_field=path, unit_field=unit)
    return own | scope


def scope_q(user, *, path: str, unit: str) -> Q:
    """Rows inside the supervisor's scope (``ratings.view_all``)."""
    return permissions.scope_q(user, VIEW_ALL, agency_path_field=path, unit_field=unit)
