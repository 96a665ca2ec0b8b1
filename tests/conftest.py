"""Shared fixtures: the demo-shaped organisation and users with roles."""

from __future__ import annotations

import pytest

from motcua.org.models import Agency, Counter, Division, Role, RoleAssignment, Unit


@pytest.fixture
def province(db):
    return Division.objects.create(
        code="79",
        name="Thành phố Hồ Chí Minh",
        division_type="thành phố trung ương",
        level=Division.Level.PROVINCE,
    )


@pytest.fixture
def org(province):
    """A city with two ward centres, each with a one-stop and a processing unit."""
    city = Agency.objects.create(
        identifier="000.00.00.H29",
        name="UBND TP.HCM",
        kind=Agency.Kind.PROVINCIAL_COMMITTEE,
        division=province,
    )
    wards = {}
    for key, ident in (("a", "000.21.26.H29"), ("b", "000.22.26.H29")):
        centre = Agency.objects.create(
            identifier=ident,
            name=f"TTPVHCC phường {key.upper()}",
            kind=Agency.Kind.COMMUNE_CENTRE,
            parent=city,
        )
        one_stop = Unit.objects.create(
            agency=centre, code="mot-cua", name="Một cửa", kind=Unit.Kind.ONE_STOP
        )
        processing = Unit.objects.create(agency=centre, code="vhxh", name="Văn hóa – Xã hội")
        counter = Counter.objects.create(unit=one_stop, number=1, name="Quầy 1")
        wards[key] = {
            "agency": centre,
            "one_stop": one_stop,
            "processing": processing,
            "counter": counter,
        }
    return {"city": city, **wards}


@pytest.fixture
def make_user(db, django_user_model):
    def make(username: str, role: str | None = None, agency=None, unit=None, **kwargs):
        user = django_user_model.objects.create_user(username=username, password="x-pass-123456")
        if role:
            RoleAssignment.objects.create(user=user, role=role, agency=agency, unit=unit, **kwargs)
        return user

    return make


@pytest.fixture
def roles():
    return Role


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; a cheap hasher keeps them fast (never used in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def postgres_only(db):
    """Row locks and real concurrency need PostgreSQL; the PostgreSQL pass of make test runs
    these (the SQLite pass reports them as skipped with this reason)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (runs in the PostgreSQL pass of make test)")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Vietnamese (a request to /en/… leaves English active otherwise)."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")
