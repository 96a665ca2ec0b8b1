"""Province-wide template versions and numbering: a version or number format of an agency
reaches every agency below it (``Agency.path``) that has none of its own; the nearest one
wins; the heading lines and the place always name the issuing agency itself."""

from __future__ import annotations

import pytest

from motcua.documents import print_admin, templating
from motcua.documents.models import AgencyLetterhead, DocumentTemplate, IssuedForm
from motcua.org.models import Agency, Role
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db

LATER = at("2026-03-05 09:00")
IN_FORCE_URL = "/quan-tri/documents/documenttemplate/ap-dung/"


def published(form: str, when: str, *, agency=None, text: str = "") -> DocumentTemplate:
    version = templating.new_draft(
        form, agency=agency, source=f"<p>{text or form} {when}</p>", valid_from=at(when)
    )
    templating.publish(version, now=at(when))
    return version


@pytest.fixture
def tree(world):
    """city → ward A → a desk branch of ward A (three levels); ward B beside ward A."""
    city, ward_a = world["org"]["city"], world["agency"]
    branch = Agency.objects.create(
        identifier="001.21.26.H29",
        name="Điểm tiếp nhận khu phố 1",
        kind=Agency.Kind.OTHER,
        parent=ward_a,
    )
    return {"city": city, "a": ward_a, "b": world["org"]["b"]["agency"], "branch": branch}


def test_a_city_version_reaches_the_wards_below_it(tree):
    general = published("01", "2026-03-02 08:00")
    city = published("01", "2026-03-02 09:00", agency=tree["city"])
    for agency in (tree["city"], tree["a"], tree["b"], tree["branch"]):
        assert templating.in_force("01", agency, LATER) == city, agency
    assert templating.in_force("01", None, LATER) == general
    assert templating.in_force("02", tree["a"], LATER) is None  # built-in


def test_the_nearest_version_wins_whatever_its_date(tree):
    ward = published("01", "2026-03-02 09:00", agency=tree["a"])
    city = published("01", "2026-03-03 09:00", agency=tree["city"])  # newer, but further up
    published("01", "2026-03-04 09:00")  # general, newest
    assert templating.in_force("01", tree["branch"], LATER) == ward
    assert templating.in_force("01", tree["a"], LATER) == ward
    assert templating.in_force("01", tree["b"], LATER) == city
    assert templating.in_force("01", tree["a"], at("2026-03-02 08:59")) is None
    newer_ward = published("01", "2026-03-04 10:00", agency=tree["a"])
    assert templating.in_force("01", tree["branch"], LATER) == newer_ward


def test_another_branch_of_the_tree_is_not_an_ancestor(tree):
    published("01", "2026-03-02 09:00", agency=tree["b"])
    sibling_named_alike = Agency.objects.create(  # its path is a prefix of ward A's string
        identifier="000.21.26.H2",
        name="Cơ quan có mã là tiền tố",
        kind=Agency.Kind.OTHER,
        parent=tree["city"],
    )
    assert tree["a"].path.startswith(sibling_named_alike.path.rstrip("/"))
    published("01", "2026-03-02 09:00", agency=sibling_named_alike)
    assert templating.in_force("01", tree["a"], LATER) is None
    assert templating.in_force("01", tree["branch"], LATER) is None


def test_resolution_is_one_query(tree, django_assert_num_queries):
    published("01", "2026-03-02 09:00", agency=tree["city"])
    published("06", "2026-03-02 09:00", agency=tree["a"])
    branch_id = tree["branch"].pk
    with django_assert_num_queries(1):
        assert templating.in_force("01", tree["branch"], LATER).agency_id == tree["city"].pk
    with django_assert_num_queries(1):  # an id only: the path is read in the same query
        assert templating.in_force("01", branch_id, LATER).agency.name == "UBND TP.HCM"
    with django_assert_num_queries(1):
        versions = templating.in_force_all(tree["branch"], LATER)
        owners = {form: v.agency.identifier if v else None for form, v in versions.items()}
    assert owners == {
        "01": tree["city"].identifier,
        "02": None,
        "03": None,
        "04": None,
        "05": None,
        "06": tree["a"].identifier,
        "07": None,
    }


def test_receiving_uses_the_inherited_version_and_numbering_with_its_own_heading(tree, intake):
    city = published("01", "2026-03-02 08:00", agency=tree["city"])
    AgencyLetterhead.objects.create(
        agency=tree["city"],
        parent_line="Ủy ban nhân dân Thành phố Hồ Chí Minh",
        name_line="Trung tâm Phục vụ hành chính công Thành phố",
        place="Thành phố Hồ Chí Minh",
        number_format="{seq:04d}/{year}/TNHS-{form}",
    )
    d = intake("2026-03-02 09:00")
    receipt = IssuedForm.objects.get(dossier=d, form="01")
    assert receipt.template == city
    assert receipt.number == "0001/2026/TNHS-01"
    assert receipt.letterhead["lines"] == ["TTPVHCC phường A", "Một cửa"]  # its own names
    assert "Thành phố Hồ Chí Minh" not in receipt.letterhead["place"]

    AgencyLetterhead.objects.create(agency=tree["a"], number_format="PA-{seq}", place="Sài Gòn")
    d2 = intake("2026-03-02 10:00")
    second = IssuedForm.objects.get(dossier=d2, form="01")
    assert second.number == "PA-2"  # its own format; the ward's yearly sequence goes on
    assert second.letterhead["place"] == "Sài Gòn"
    assert templating.numbering_in_force(tree["branch"]).agency == tree["a"]
    assert templating.numbering_in_force(tree["b"]).agency == tree["city"]


def test_a_ward_with_a_heading_but_no_format_still_inherits_the_format(tree):
    AgencyLetterhead.objects.create(agency=tree["city"], number_format="{seq}/{year}")
    AgencyLetterhead.objects.create(agency=tree["a"], name_line="Trung tâm phường A")
    facts = templating.issuing_facts(tree["a"].pk, None, ["01"], LATER)
    assert facts["number_format"] == "{seq}/{year}"
    assert facts["letterhead"]["lines"] == ["Trung tâm phường A"]


def test_admin_shows_whose_version_is_in_force(client, tree, django_user_model):
    published("01", "2026-03-02 09:00", agency=tree["city"])
    published("02", "2026-03-02 09:00", agency=tree["a"])
    published("03", "2026-03-02 09:00")
    AgencyLetterhead.objects.create(agency=tree["city"], number_format="{seq}/{year}")
    admin = django_user_model.objects.create_superuser("quantri", password="x-pass-123456")
    client.force_login(admin)

    page = client.get(f"{IN_FORCE_URL}?agency={tree['branch'].pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kế thừa từ UBND TP.HCM (000.00.00.H29)" in text  # form 01 and the numbering
    assert "Kế thừa từ TTPVHCC phường A (000.21.26.H29)" in text  # form 02
    assert "Phiên bản chung cho mọi cơ quan" in text and "Mẫu gốc của phần mềm" in text
    assert "{seq}/{year}" in text

    own = client.get(f"{IN_FORCE_URL}?agency={tree['a'].pk}").content.decode()
    assert "Phiên bản riêng của cơ quan" in own
    listing = client.get("/quan-tri/documents/documenttemplate/").content.decode()
    assert IN_FORCE_URL in listing


def test_admin_helper_stays_within_the_user_scope(client, tree, make_user):
    admin_b = make_user("quantri-b", Role.ADMINISTRATOR, tree["b"])
    admin_b.is_staff = True
    admin_b.save()
    client.force_login(admin_b)
    page = client.get(f"{IN_FORCE_URL}?agency={tree['a'].pk}")
    assert page.status_code == 200
    assert "TTPVHCC phường A" not in page.content.decode()  # not in the choices, no table
    assert tree["b"].name in client.get(f"{IN_FORCE_URL}?agency={tree['b'].pk}").text
    client.logout()
    assert client.get(IN_FORCE_URL).status_code == 302  # the admin login


def test_report_reads_versions_and_numbering_in_few_queries(tree, django_assert_num_queries):
    published("01", "2026-03-02 09:00", agency=tree["city"])
    with django_assert_num_queries(3):  # versions, numbering, the agency's own letterhead
        report = print_admin.in_force_report(tree["branch"], LATER)
    assert report["rows"][0]["version"].agency_id == tree["city"].pk


def test_an_agency_can_stop_inheriting_the_number_format(tree, intake, client):
    """Empty means inherit; ``own_numbering`` with an empty format means the dossier code,
    for the agency and for those below it that set nothing."""
    AgencyLetterhead.objects.create(agency=tree["city"], number_format="{seq:04d}/{year}/TP")
    own = AgencyLetterhead.objects.create(agency=tree["a"], own_numbering=True)
    assert templating.numbering_in_force(tree["a"]) == own
    assert templating.numbering_in_force(tree["branch"]) == own  # below it: not the city's
    assert templating.numbering_in_force(tree["b"]).agency == tree["city"]
    facts = templating.issuing_facts(tree["a"].pk, None, ["01", "04"], LATER)
    assert facts["number_format"] == ""

    d = intake("2026-03-02 09:00")
    receipt = IssuedForm.objects.get(dossier=d, form="01")
    assert receipt.number == d.display_code  # the dossier code, not 0001/2026/TP
    assert templating.issuing_facts(tree["b"].pk, None, ["01"], LATER)["number_format"] == (
        "{seq:04d}/{year}/TP"
    )

    report = print_admin.in_force_report(tree["a"], LATER)
    assert str(report["number_owner"]) == "Không kế thừa của cơ quan cấp trên: số là mã hồ sơ"

    own.own_numbering = False
    own.save()  # back to inheriting
    assert templating.numbering_in_force(tree["a"]).agency == tree["city"]
    assert templating.issuing_facts(tree["a"].pk, None, ["01"], LATER)["number_format"] == (
        "{seq:04d}/{year}/TP"
    )


def test_the_letterhead_admin_saves_the_choice(client, tree, django_user_model):
    AgencyLetterhead.objects.create(agency=tree["city"], number_format="{seq}/{year}")
    admin = django_user_model.objects.create_superuser("quantri", password="x-pass-123456")
    client.force_login(admin)
    page = client.post(
        "/quan-tri/documents/agencyletterhead/add/",
        {
            "agency": tree["a"].pk,
            "result_name_line": "Ủy ban nhân dân phường A",
            "number_format": "",
            "own_numbering": "on",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    saved = AgencyLetterhead.objects.get(agency=tree["a"])
    assert saved.own_numbering and saved.result_name_line == "Ủy ban nhân dân phường A"
    text = client.get(f"{IN_FORCE_URL}?agency={tree['a'].pk}").content.decode()
    assert "Không kế thừa của cơ quan cấp trên" in text and "{seq}/{year}" not in text


def test_the_in_force_page_refuses_staff_without_a_role(client, tree, make_user):
    """An admin account without any role holds no ``org.view``: refused, not an empty page."""
    AgencyLetterhead.objects.create(agency=tree["a"], number_format="PA-{seq}")
    staff = make_user("nhanvien")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(f"{IN_FORCE_URL}?agency={tree['a'].pk}").status_code == 403
    assert client.get(IN_FORCE_URL).status_code == 403


def test_the_in_force_page_shows_nothing_of_an_agency_outside_the_user_scope(
    client, tree, make_user
):
    """A specialist of ward B may view ward B's forms, never ward A's versions or numbering."""
    published("01", "2026-03-02 09:00", agency=tree["a"], text="rieng-phuong-a")
    AgencyLetterhead.objects.create(agency=tree["a"], number_format="PA-{seq}")
    AgencyLetterhead.objects.create(agency=tree["b"], number_format="PB-{seq}")
    user = make_user("cv-phuong-b", Role.SPECIALIST, tree["b"])
    user.is_staff = True
    user.save()
    client.force_login(user)

    page = client.get(f"{IN_FORCE_URL}?agency={tree['a'].pk}")
    assert page.status_code == 200
    assert page.context["agency"] is None
    text = page.content.decode()
    assert "PA-{seq}" not in text and "TTPVHCC phường A" not in text
    assert "Phiên bản riêng của cơ quan" not in text

    own = client.get(f"{IN_FORCE_URL}?agency={tree['b'].pk}")
    assert own.context["agency"] == tree["b"] and "PB-{seq}" in own.content.decode()
