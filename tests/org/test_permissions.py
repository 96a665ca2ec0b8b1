"""The permission service: roles, scopes, supervisors read-only, O(1) queries."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from motcua.org import permissions
from motcua.org.models import Role
from motcua.org.permissions import Scope, can, register_action, require, scope_q

pytestmark = pytest.mark.django_db


def test_administrator_manages_own_agency_but_not_the_neighbour(org, make_user):
    admin = make_user("qt", Role.ADMINISTRATOR, org["a"]["agency"])
    assert can(admin, "org.manage", org["a"]["agency"])
    assert can(admin, "org.manage", org["a"]["one_stop"])
    assert not can(admin, "org.manage", org["b"]["agency"])
    assert not can(admin, "org.manage", org["city"])


def test_unit_scoped_grant_covers_only_that_unit(org, make_user):
    specialist = make_user("cv", Role.SPECIALIST, org["a"]["agency"], org["a"]["processing"])
    assert can(specialist, "org.view", org["a"]["processing"])
    assert not can(specialist, "org.view", org["a"]["one_stop"])
    assert not can(specialist, "org.view", org["a"]["agency"])  # the agency itself is wider
    assert not can(specialist, "org.view", org["b"]["processing"])


def test_supervisor_sees_subordinates_but_cannot_act(org, make_user):
    supervisor = make_user("gs", Role.SUPERVISOR, org["city"], include_subordinates=True)
    assert can(supervisor, "org.view", org["b"]["counter"])
    assert not can(supervisor, "org.manage", org["b"]["agency"])
    with pytest.raises(PermissionDenied, match="không có quyền"):
        require(supervisor, "org.manage", org["b"]["agency"])


def test_supervisors_can_never_be_given_a_write_action():
    with pytest.raises(ValueError, match="read-only"):
        register_action("dossier.test_write", {Role.SUPERVISOR})


def test_expired_assignment_grants_nothing(org, make_user):
    admin = make_user("old", Role.ADMINISTRATOR, org["a"]["agency"], valid_to=dt.date(2025, 6, 30))
    assert not can(admin, "org.manage", org["a"]["agency"], today=dt.date(2025, 7, 1))
    assert can(admin, "org.manage", org["a"]["agency"], today=dt.date(2025, 6, 30))


def test_anonymous_inactive_and_superuser(org, make_user, django_user_model):
    assert not can(AnonymousUser(), "org.view", org["a"]["agency"])
    assert not can(None, "org.view")
    inactive = make_user("off", Role.ADMINISTRATOR, org["a"]["agency"])
    inactive.is_active = False
    assert not can(inactive, "org.manage", org["a"]["agency"])
    root = django_user_model.objects.create_superuser("root", password="x-pass-123456")
    assert can(root, "org.manage", org["b"]["agency"])


def test_unknown_action_fails_loudly(make_user):
    with pytest.raises(ValueError, match="unknown action"):
        can(make_user("u"), "org.fly")


def test_unknown_object_type_fails_loudly(org, make_user):
    user = make_user("u2", Role.ADMINISTRATOR, org["a"]["agency"])
    with pytest.raises(TypeError, match="no permission scope"):
        can(user, "org.view", object())


def test_decisions_cost_one_query_however_many_checks(org, make_user, django_assert_num_queries):
    admin = make_user("qt", Role.ADMINISTRATOR, org["a"]["agency"])
    make_user("x", Role.SPECIALIST, org["b"]["agency"])
    objects = [org["a"]["agency"], org["b"]["agency"], Scope(org["a"]["agency"].path, 5)] * 50
    with django_assert_num_queries(1):
        results = [can(admin, "org.manage", o) for o in objects]
    assert results[:3] == [True, False, True]


def test_scope_q_filters_rows_in_one_query(org, make_user, django_assert_num_queries):
    from motcua.org.models import Unit

    specialist = make_user("cv", Role.SPECIALIST, org["a"]["agency"], org["a"]["processing"])
    supervisor = make_user("gs", Role.SUPERVISOR, org["city"], include_subordinates=True)
    with django_assert_num_queries(2):
        mine = list(
            Unit.objects.filter(
                scope_q(specialist, "org.view", agency_path_field="agency__path", unit_field="id")
            )
        )
    assert mine == [org["a"]["processing"]]
    seen = Unit.objects.filter(scope_q(supervisor, "org.view", agency_path_field="agency__path"))
    assert seen.count() == 4
    nobody = make_user("nobody")
    assert not Unit.objects.filter(
        scope_q(nobody, "org.view", agency_path_field="agency__path")
    ).exists()
    permissions.forget(nobody)
