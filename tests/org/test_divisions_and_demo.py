"""Importing the national divisions and the demo organisation."""

import pytest
from django.core.management import CommandError, call_command

from motcua.org.models import Agency, Counter, Division, Role, RoleAssignment

pytestmark = pytest.mark.django_db


def test_import_divisions_loads_the_2025_map_and_is_idempotent(capsys):
    call_command("import_divisions", verbosity=0)
    assert Division.objects.filter(level=Division.Level.PROVINCE).count() == 34
    assert Division.objects.filter(level=Division.Level.COMMUNE).count() == 3321
    saigon = Division.objects.get(code="26740")
    assert saigon.name == "Phường Sài Gòn"
    assert saigon.parent.code == "79"
    out = capsys.readouterr().out
    assert "3355 thêm mới" in out
    call_command("import_divisions", verbosity=0)
    assert Division.objects.count() == 3355
    assert "0 thêm mới, 0 cập nhật, 3355 không đổi" in capsys.readouterr().out


def test_import_divisions_updates_a_renamed_division(capsys):
    call_command("import_divisions", verbosity=0)
    Division.objects.filter(code="26740").update(name="Tên cũ")
    call_command("import_divisions", verbosity=0)
    assert Division.objects.get(code="26740").name == "Phường Sài Gòn"
    assert "1 cập nhật" in capsys.readouterr().out


def test_demo_org_needs_divisions_first():
    with pytest.raises(CommandError, match="import-divisions"):
        call_command("demo_org")


def test_demo_org_creates_one_account_per_role_and_is_idempotent(capsys):
    call_command("import_divisions", verbosity=0)
    call_command("demo_org", password="demo-pass-2026")
    call_command("demo_org", password="demo-pass-2026")
    assert Agency.objects.filter(kind=Agency.Kind.COMMUNE_CENTRE).count() == 2
    assert Counter.objects.count() == 8
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    out = capsys.readouterr().out
    assert "tiepnhan" in out and "demo-pass-2026" in out
    ward = Agency.objects.get(identifier="000.21.26.H29")
    assert ward.path == "/000.00.00.H29/000.21.26.H29/"
    assert ward.division.name == "Phường Sài Gòn"
