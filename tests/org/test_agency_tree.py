"""The agency tree's paths follow moves, so scopes below a moved agency move with it."""

import pytest
from django.core.exceptions import ValidationError

from motcua.org.models import Agency, Role
from motcua.org.permissions import can

pytestmark = pytest.mark.django_db


def _sub_office(parent, identifier="000.21.26.H29.01"):
    return Agency.objects.create(
        identifier=identifier, name="Điểm tiếp nhận", kind=Agency.Kind.COMMUNE_CENTRE, parent=parent
    )


def test_moving_an_agency_moves_everything_below_it(org, province):
    other = Agency.objects.create(
        identifier="000.00.00.H30",
        name="UBND tỉnh khác",
        kind=Agency.Kind.PROVINCIAL_COMMITTEE,
        division=province,
    )
    ward = org["a"]["agency"]
    office = _sub_office(ward)
    assert office.path == "/000.00.00.H29/000.21.26.H29/000.21.26.H29.01/"
    ward.parent = other
    ward.save()
    office.refresh_from_db()
    assert office.path == "/000.00.00.H30/000.21.26.H29/000.21.26.H29.01/"
    # The neighbour ward, whose path only shares the old prefix's parent, is untouched.
    org["b"]["agency"].refresh_from_db()
    assert org["b"]["agency"].path == "/000.00.00.H29/000.22.26.H29/"


def test_scope_follows_the_move(org, province, make_user):
    other = Agency.objects.create(
        identifier="000.00.00.H30",
        name="UBND tỉnh khác",
        kind=Agency.Kind.PROVINCIAL_COMMITTEE,
        division=province,
    )
    office = _sub_office(org["a"]["agency"])
    old_supervisor = make_user("gs-cu", Role.SUPERVISOR, org["city"], include_subordinates=True)
    new_supervisor = make_user("gs-moi", Role.SUPERVISOR, other, include_subordinates=True)
    ward = org["a"]["agency"]
    ward.parent = other
    ward.save()
    office.refresh_from_db()
    assert can(new_supervisor, "org.view", office)
    assert not can(old_supervisor, "org.view", office)


def test_an_agency_cannot_be_placed_under_its_own_subordinate(org):
    ward = org["a"]["agency"]
    office = _sub_office(ward)
    ward.parent = office
    with pytest.raises(ValidationError) as error:
        ward.full_clean()
    assert "parent" in error.value.message_dict


def test_saving_without_a_move_updates_nothing_else(org, django_assert_num_queries):
    ward = org["a"]["agency"]
    _sub_office(ward)
    ward.name = "TTPVHCC phường A (mới)"
    with django_assert_num_queries(4):  # read old path, savepoint, update, release
        ward.save()
