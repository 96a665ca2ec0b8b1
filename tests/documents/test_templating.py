"""Versioned form templates and each agency's letterhead and numbering: a document prints for
ever as it was issued; an agency's own heading shows on that agency's documents only."""

from __future__ import annotations

import io
import re
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from motcua.backoffice.presenters import PRINT_FORMS
from motcua.catalog.models import Offering, StepSpec, TimeUnit, WorkflowTemplate
from motcua.documents import printjobs, templating
from motcua.documents.models import AgencyLetterhead, DocumentTemplate, IssuedForm
from motcua.dossiers.services import NewDossier, create_dossier, perform
from motcua.org.models import Role
from tests.dossiers.conftest import APPLICANT, at

pytestmark = pytest.mark.django_db

NEW_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ (MẪU SỬA ĐỔI 2026)"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


@pytest.fixture
def staff(client, world):
    def as_(user):
        client.force_login(world[user] if isinstance(user, str) else user)
        return client

    return as_


@pytest.fixture
def ward_b(world, make_user):
    """Ward B receives the same procedure at its own one-stop unit."""
    ward = world["org"]["b"]
    offering = Offering.objects.create(agency=ward["agency"], version=world["version"])
    template = WorkflowTemplate.objects.create(offering=offering, name="Quy trình")
    StepSpec.objects.create(
        template=template,
        order=1,
        name="Thẩm định",
        owner_unit=ward["processing"],
        role=Role.SPECIALIST,
        budget_value=Decimal(8),
        budget_unit=TimeUnit.WORKING_HOURS,
    )
    officer = make_user("tiepnhan-b", Role.RECEPTION_OFFICER, ward["agency"], ward["one_stop"])

    def receive(when: str):
        data = NewDossier(offering=offering, channel="counter", applicant=APPLICANT)
        dossier, _ = create_dossier(officer, data, now=at(when))
        dossier, _ = perform(dossier, "receive", officer, now=at(when))
        return dossier

    return {**ward, "officer": officer, "receive": receive}


def receipt(client, d) -> tuple[str, str]:
    """The HTML print page and the PDF text of Mẫu 01 of ``d``."""
    html = client.get(f"/can-bo/ho-so/{d.code}/in/01/")
    assert html.status_code == 200
    pdf = client.get(f"/can-bo/ho-so/{d.code}/in/01/pdf/")
    assert pdf.status_code == 200
    return html.text, pdf_text(pdf.content)


def publish_new_receipt(now_text: str, *, agency=None) -> DocumentTemplate:
    source = templating.builtin_source("01").replace(
        '{% translate "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" %}', NEW_TITLE
    )
    assert NEW_TITLE in source
    version = templating.new_draft(
        "01",
        agency=agency,
        source=source,
        decision="Thông tư 04/2025/TT-VPCP",
        valid_from=at(now_text),
    )
    templating.publish(version, now=at(now_text))
    return version


def test_a_new_version_does_not_change_a_document_already_issued(staff, world, intake):
    old = intake("2026-03-02 09:00")
    client = staff("officer")
    html_before, text_before = receipt(client, old)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text_before and NEW_TITLE not in text_before

    version = publish_new_receipt("2026-03-02 12:00")
    assert version.version == 1 and version.valid_from == at("2026-03-02 12:00")
    html_after, text_after = receipt(client, old)
    assert html_after == html_before and text_after == text_before  # the same document
    assert IssuedForm.objects.get(dossier=old, form="01").template is None  # built-in

    new = intake("2026-03-03 09:00")
    _html, text_new = receipt(client, new)
    assert NEW_TITLE in text_new and new.code in text_new
    assert IssuedForm.objects.get(dossier=new, form="01").template == version


def test_forms_are_recorded_when_the_event_happens_not_when_printed(world, intake):
    d = intake("2026-03-02 09:00")  # nobody has printed anything yet
    issued = {f.form: f for f in IssuedForm.objects.filter(dossier=d)}
    assert set(issued) == {"01", "06"}  # the receipt and the control sheet
    assert issued["01"].issued_at == at("2026-03-02 09:00")
    assert issued["01"].letterhead["lines"] == ["TTPVHCC phường A", "Một cửa"]
    assert issued["01"].number == d.code
    publish_new_receipt("2026-03-02 10:00")  # too late for this dossier
    assert templating.issue(d, "01", d.events.get(action="receive")).template is None


def test_a_version_cannot_reach_back_and_published_ones_are_read_only(world):
    draft = templating.new_draft("02", source="{% extends 'backoffice/print/base.html' %}")
    draft.valid_from = at("2026-01-01 00:00")
    draft.save()
    templating.publish(draft, now=at("2026-03-02 10:00"))
    assert draft.valid_from == at("2026-03-02 10:00")  # not before its publication
    assert templating.in_force("02", None, at("2026-03-02 09:59")) is None
    assert templating.in_force("02", None, at("2026-03-02 10:00")) == draft
    with pytest.raises(ValidationError):
        templating.publish(draft)
    with pytest.raises(ValidationError, match="cú pháp"):
        templating.check_source("{% if %}")


def test_an_agency_version_wins_over_the_general_one(world):
    agency, other = world["agency"], world["org"]["b"]["agency"]
    general = publish_new_receipt("2026-03-02 10:00")
    own = publish_new_receipt("2026-03-02 09:00", agency=agency)
    later = at("2026-03-03 09:00")
    assert templating.in_force("01", agency, later) == own
    assert templating.in_force("01", other, later) == general
    assert own.version == 1 and general.version == 1  # numbered per form and agency


LETTERHEAD = {
    "parent_line": "Ủy ban nhân dân phường Bến Thành",
    "name_line": "Trung tâm Phục vụ hành chính công phường Bến Thành",
    "place": "Bến Thành",
    "number_format": "{seq:04d}/{year}/TNHS",
}


def test_agency_letterhead_and_numbering_appear_in_that_agency_pdfs_only(
    staff, world, intake, ward_b
):
    AgencyLetterhead.objects.create(agency=world["agency"], **LETTERHEAD)
    first, second = intake("2026-03-02 09:00"), intake("2026-03-02 10:00")
    elsewhere = ward_b["receive"]("2026-03-02 09:00")
    client = staff("officer")
    _html, text = receipt(client, first)
    for fact in (
        "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG BẾN THÀNH",
        "Số: 0001/2026/TNHS",
        "Bến Thành, ngày 02 tháng 03 năm 2026",
    ):
        assert fact in text, fact
    assert "Số: 0002/2026/TNHS" in receipt(client, second)[1]  # the next number
    assert "Số: 0001/2026/TNHS" in receipt(client, first)[1]  # a reprint keeps its number

    _html, text_b = receipt(staff(ward_b["officer"]), elsewhere)
    assert "BẾN THÀNH" not in text_b and "TNHS" not in text_b
    assert "TTPVHCC PHƯỜNG B" in text_b and f"Số: {elsewhere.code}" in text_b

    register_a, _rows = printjobs.build(
        world["officer"], unit=world["one_stop"], day_from=at("2026-03-01 00:00").date(),
        day_to=at("2026-03-31 00:00").date(),
    )  # fmt: skip
    assert "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH" in pdf_text(register_a)
    register_b, _rows = printjobs.build(
        ward_b["officer"], unit=ward_b["one_stop"], day_from=at("2026-03-01 00:00").date(),
        day_to=at("2026-03-31 00:00").date(),
    )  # fmt: skip
    assert "BẾN THÀNH" not in pdf_text(register_b)


def test_a_changed_letterhead_leaves_issued_documents_alone(staff, world, intake):
    d = intake("2026-03-02 09:00")
    client = staff("officer")
    _html, before = receipt(client, d)
    AgencyLetterhead.objects.create(agency=world["agency"], **LETTERHEAD)
    assert receipt(client, d)[1] == before
    assert "BẾN THÀNH" in receipt(client, intake("2026-03-02 10:00"))[1]


@pytest.mark.parametrize("pattern", ["{seq:04d}/{year}/TNHS", "{code}", "PTN-{form}-{seq}"])
def test_good_number_formats(pattern):
    templating.check_number_format(pattern)


@pytest.mark.parametrize("pattern", ["{ten}", "{seq:s}", "{}", "{seq", "{0}"])
def test_bad_number_formats_are_refused_in_vietnamese(pattern):
    with pytest.raises(ValidationError, match="Cách ghi số không hợp lệ"):
        templating.check_number_format(pattern)


def test_issuing_actions_match_the_back_office_forms():
    assert {n: f.actions for n, f in PRINT_FORMS.items()} == templating.ISSUING_ACTIONS


def test_admin_pages_in_vietnamese_for_a_superuser(client, world, django_user_model):
    admin = django_user_model.objects.create_superuser("quantri", password="x-pass-123456")
    client.force_login(admin)
    page = client.get("/quan-tri/documents/documenttemplate/add/?form=01")
    assert page.status_code == 200, page.status_code
    assert "Nội dung mẫu" in page.text and "backoffice/print/base.html" in page.text
    page = client.get("/quan-tri/documents/agencyletterhead/add/")
    assert "Cách ghi số" in page.text and "Tên cơ quan chủ quản" in page.text
    response = client.post(
        "/quan-tri/documents/agencyletterhead/add/",
        {"agency": world["agency"].pk, "number_format": "{ten}"},
    )
    assert response.status_code == 200 and "Cách ghi số không hợp lệ" in response.text
    draft = publish_new_receipt("2026-03-02 10:00")
    change = client.get(f"/quan-tri/documents/documenttemplate/{draft.pk}/change/")
    assert change.status_code == 200 and 'name="source"' not in change.text  # read-only


def test_administrators_manage_their_own_agency_only(client, world, make_user):
    admin_a = make_user("quantri-a", Role.ADMINISTRATOR, world["agency"])
    admin_a.is_staff = True
    admin_a.save()
    client.force_login(admin_a)
    response = client.post(
        "/quan-tri/documents/agencyletterhead/add/",
        {"agency": world["org"]["b"]["agency"].pk, "name_line": "Giả mạo"},
    )
    assert response.status_code == 200 and not AgencyLetterhead.objects.exists()
    response = client.post(
        "/quan-tri/documents/agencyletterhead/add/",
        {"agency": world["agency"].pk, "name_line": "Trung tâm phường A"},
    )
    assert response.status_code == 302
    assert AgencyLetterhead.objects.get().agency == world["agency"]


def test_publishing_several_versions_says_how_many(client, world, django_user_model):
    admin = django_user_model.objects.create_superuser("quantri", password="x-pass-123456")
    client.force_login(admin)
    drafts = [templating.new_draft(form, source="<p>{{ d.code }}</p>") for form in ("02", "03")]
    response = client.post(
        "/quan-tri/documents/documenttemplate/",
        {"action": "publish_selected", "_selected_action": [d.pk for d in drafts]},
        follow=True,
    )
    assert "Đã ban hành 2 phiên bản." in response.text
    assert str(drafts[0]) == "Mẫu 02 v1"
    assert all(not d.is_editable for d in DocumentTemplate.objects.filter(form__in=["02", "03"]))
