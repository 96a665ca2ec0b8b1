"""The admin goes through the permission service and shows Vietnamese labels."""

import pytest

from motcua.org.models import Agency, Role

pytestmark = pytest.mark.django_db


def _login(client, user):
    user.is_staff = True
    user.save()
    client.force_login(user)


def test_administrator_sees_only_agencies_in_scope(client, org, make_user):
    _login(client, make_user("qt", Role.ADMINISTRATOR, org["a"]["agency"]))
    page = client.get("/quan-tri/org/agency/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "000.21.26.H29" in body
    assert "000.22.26.H29" not in body
    other = client.get(f"/quan-tri/org/agency/{org['b']['agency'].pk}/change/")
    assert other.status_code in (302, 403, 404)


def test_specialist_cannot_change_agencies(client, org, make_user):
    _login(client, make_user("cv", Role.SPECIALIST, org["a"]["agency"]))
    page = client.get(f"/quan-tri/org/agency/{org['a']['agency'].pk}/change/")
    assert page.status_code == 200  # may view its own agency
    assert 'name="_save"' not in page.content.decode()
    response = client.post(f"/quan-tri/org/agency/{org['a']['agency'].pk}/change/", {"name": "X"})
    assert response.status_code == 403
    assert Agency.objects.get(pk=org["a"]["agency"].pk).name != "X"


def test_agency_form_has_vietnamese_labels_and_help(client, org, make_user):
    _login(client, make_user("qt", Role.ADMINISTRATOR, org["a"]["agency"]))
    page = client.get(f"/quan-tri/org/agency/{org['a']['agency'].pk}/change/").content.decode()
    assert "Mã định danh" in page
    assert "Mã định danh điện tử của cơ quan" in page
    assert "Cơ quan kế thừa" in page


def test_agency_identifier_is_validated(org):
    from django.core.exceptions import ValidationError

    bad = Agency(identifier="abc", name="X", kind=Agency.Kind.OTHER)
    with pytest.raises(ValidationError, match="000.00.21.H42"):
        bad.full_clean()
