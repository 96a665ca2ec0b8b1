"""Digitisation at the reception desk: the rule per component on the checklist, scans with
metadata, the refusal of a missing required scan, kept scans, encryption, reuse from the store."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from motcua.catalog.models import ComponentSpec
from motcua.documents.models import (
    DigitisationRule,
    DigitisedDocument,
    DocumentReuse,
    StoredFile,
)
from motcua.dossiers.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db

DESK = "/can-bo/tiep-nhan/"
CHOSEN = f"{DESK}?co-quan=000.21.26.H29&thu-tuc=1.004222"
ID_AN = "079090001234"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path / "media"


@pytest.fixture
def specs(world):
    """The case: the form (digitised on request), a birth certificate copy (a result of an
    earlier procedure: must be digitised) and a passport (identity: encrypted if digitised)."""
    case = world["version"].cases.first()
    form = case.components.get()
    birth = ComponentSpec.objects.create(
        case=case, order=2, name="Bản sao Giấy khai sinh", originals=0, copies=1
    )
    passport = ComponentSpec.objects.create(
        case=case, order=3, name="Hộ chiếu", originals=1, copies=0, required=False
    )
    return {"case": case, "form": form, "birth": birth, "passport": passport}


def pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=420, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def base(specs, key="dg-key-1", **overrides) -> dict:
    form = specs["form"]
    data = {
        "idempotency_key": key,
        "case": specs["case"].pk,
        f"got_{form.pk}": "on",
        f"orig_{form.pk}": "1",
        f"copy_{form.pk}": "0",
        "sets": "1",
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": ID_AN,
        "applicant_birth_date": "1990-05-04",
        "result_delivery": "counter",
        "outcome": "receive",
    }
    data.update(overrides)
    return data


def birth_scan(specs, *, pages="1", content=None) -> dict:
    pk = specs["birth"].pk
    return {
        f"got_{pk}": "on",
        f"orig_{pk}": "0",
        f"copy_{pk}": "1",
        f"dg_file_{pk}": SimpleUploadedFile("gks.pdf", content or pdf(), "application/pdf"),
        f"dg_kind_{pk}": "civil_status",
        f"dg_number_{pk}": "125/2010",
        f"dg_issuer_{pk}": "UBND phường Bến Nghé",
        f"dg_issued_{pk}": "2010-05-10",
        f"dg_valid_{pk}": "",
        f"dg_owner_{pk}": "",
        f"dg_pages_{pk}": pages,
    }


def test_checklist_shows_which_components_are_digitised(login, specs):
    DigitisationRule.objects.create(component=specs["passport"], requirement="shown_only")
    page = login("officer").get(CHOSEN)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0].split("<tr")

    def row(name):
        return next(r for r in rows if f">{name}</label>" in r)

    birth = row("Bản sao Giấy khai sinh")
    assert 'data-requirement="required"' in birth and "Bắt buộc số hóa" in birth
    assert "Số hóa khi người nộp yêu cầu" in row("Tờ khai đăng ký khai sinh")
    assert "Không số hóa: giấy tờ chỉ xuất trình" in row("Hộ chiếu")
    assert f'name="dg_file_{specs["passport"].pk}"' not in page.text  # nothing to scan


def test_missing_required_digitisation_is_refused_with_the_reason(login, specs, media):
    pk = specs["birth"].pk
    data = base(specs, **{f"got_{pk}": "on", f"orig_{pk}": "0", f"copy_{pk}": "1"})
    response = login("officer").post(CHOSEN, data)
    assert response.status_code == 400
    text = response.text
    message = "“Bản sao Giấy khai sinh” phải được số hóa khi tiếp nhận (Thông tư 01/2023/TT-VPCP)"
    assert message in text
    assert f'id="id_dg_file_{pk}_error"' in text  # next to the field
    assert 'value="Nguyễn Văn An"' in text  # nothing typed is lost
    assert not Dossier.objects.exists()
    # Asking for completion (Mẫu 02) does not need the scan: the dossier is not received.
    completion = base(
        specs,
        key="dg-key-2",
        outcome="request_completion",
        deficiencies="Bản sao Giấy khai sinh có chứng thực",
        reason="Thiếu giấy tờ",
        **{f"got_{pk}": "on"},
    )
    assert login("officer").post(CHOSEN, completion).status_code == 302


def test_digitise_at_intake_with_metadata(login, specs, media, clock):
    clock("2026-03-02 09:00")
    response = login("officer").post(CHOSEN, base(specs, **birth_scan(specs)))
    assert response.status_code == 302, response.text[:3000]
    dossier = Dossier.objects.get()
    doc = DigitisedDocument.objects.get()
    assert (doc.kind, doc.number, doc.issuer, str(doc.issued_on)) == (
        "civil_status",
        "125/2010",
        "UBND phường Bến Nghé",
        "2010-05-10",
    )
    assert doc.owner_identifier == ID_AN and doc.pages == 1 and doc.valid_until is None
    assert doc.source == "intake" and doc.dossier == dossier
    assert doc.component.spec_id == specs["birth"].pk
    assert doc.digitised_by.username == "tiepnhan"
    assert doc.stored_file.dossier == dossier and not doc.stored_file.encrypted
    event = DossierEvent.objects.get(dossier=dossier, action="receive")
    assert event.payload["digitised_components"] == 1
    assert event.payload["reused_components"] == 0


def test_page_count_must_match_the_original(login, specs, media):
    response = login("officer").post(CHOSEN, base(specs, **birth_scan(specs, pages="3")))
    assert response.status_code == 400
    assert "Tệp quét có 1 trang nhưng bản gốc có 3 trang" in response.text
    assert not Dossier.objects.exists()


def test_a_scan_survives_an_error_elsewhere(login, specs, media):
    client = login("officer")
    first = client.post(CHOSEN, base(specs, applicant_id_number="123", **birth_scan(specs)))
    assert first.status_code == 400
    kept = StoredFile.objects.get()
    assert kept.dossier is None
    pk = specs["birth"].pk
    assert f'name="dg_kept_{pk}" value="{kept.uid}"' in first.text
    assert "Đã tải lên: gks.pdf (1 trang)" in first.text
    again = base(specs, **birth_scan(specs))
    again.pop(f"dg_file_{pk}")  # the browser does not send the file again
    again[f"dg_kept_{pk}"] = str(kept.uid)
    second = client.post(CHOSEN, again)
    assert second.status_code == 302
    kept.refresh_from_db()
    assert kept.dossier == Dossier.objects.get()
    assert StoredFile.objects.count() == 1


def test_another_officers_scan_cannot_be_claimed(login, specs, media, make_user, world, roles):
    client = login("officer")
    client.post(CHOSEN, base(specs, applicant_id_number="123", **birth_scan(specs)))
    kept = StoredFile.objects.get()
    colleague = make_user("tiepnhan2", roles.RECEPTION_OFFICER, world["agency"], world["one_stop"])
    client.force_login(colleague)
    pk = specs["birth"].pk
    data = base(specs, **birth_scan(specs))
    data.pop(f"dg_file_{pk}")
    data[f"dg_kept_{pk}"] = str(kept.uid)
    response = client.post(CHOSEN, data)
    assert response.status_code == 400
    assert "phải được số hóa khi tiếp nhận" in response.text


def test_an_id_image_is_encrypted_and_never_stored_in_clear(login, specs, media):
    image = png()
    pk = specs["passport"].pk
    data = base(
        specs,
        **birth_scan(specs),
        **{
            f"got_{pk}": "on",
            f"orig_{pk}": "1",
            f"dg_file_{pk}": SimpleUploadedFile("ho-chieu.png", image, "image/png"),
            f"dg_kind_{pk}": "identity",
            f"dg_number_{pk}": "C1234567",
            f"dg_issuer_{pk}": "Cục Quản lý xuất nhập cảnh",
            f"dg_issued_{pk}": "2020-01-02",
            f"dg_valid_{pk}": "2030-01-02",
            f"dg_pages_{pk}": "1",
        },
    )
    response = login("officer").post(CHOSEN, data)
    assert response.status_code == 302, response.text[:3000]
    doc = DigitisedDocument.objects.get(kind="identity")
    assert doc.stored_file.encrypted and doc.stored_file.key_id
    files = [p for p in media.rglob("*") if p.is_file()]
    assert len(files) == 2  # the birth certificate in clear, the passport encrypted
    assert all(image not in p.read_bytes() for p in files)
    assert all(doc.stored_file.sha256 not in str(p) for p in files)  # the name reveals nothing
    event = DossierEvent.objects.get(action="receive")
    assert event.payload["digitised_components"] == 2


def test_an_exempt_component_is_not_digitised(login, specs, media):
    DigitisationRule.objects.create(component=specs["passport"], requirement="national_db")
    pk = specs["passport"].pk
    data = base(
        specs,
        **{
            f"got_{pk}": "on",
            f"dg_file_{pk}": SimpleUploadedFile("cc.png", png(), "image/png"),
            f"dg_kind_{pk}": "identity",
            f"dg_pages_{pk}": "1",
        },
    )
    response = login("officer").post(CHOSEN, data)
    assert response.status_code == 400
    assert "Giấy tờ này không số hóa (Không số hóa: đã có trong cơ sở dữ liệu quốc gia)" in (
        response.text
    )


def test_a_forged_upload_is_refused_by_the_validation_module(login, specs, media):
    scan = birth_scan(specs, content=b"%PDF-1.4 not really a pdf")
    response = login("officer").post(CHOSEN, base(specs, **scan))
    assert response.status_code == 400
    assert "Tệp PDF bị hỏng hoặc không đọc được" in response.text
    assert not StoredFile.objects.exists()


def test_counter_reuse_from_the_applicant_store(login, specs, media, clock):
    client = login("officer")
    clock("2026-03-02 09:00")
    assert client.post(CHOSEN, base(specs, **birth_scan(specs))).status_code == 302
    doc = DigitisedDocument.objects.get()

    clock("2026-03-03 09:00")
    lookup = client.post(CHOSEN, base(specs, key="dg-key-2", lookup="1"))
    assert lookup.status_code == 200
    pk = specs["birth"].pk
    assert f'name="dg_store_{pk}"' in lookup.text
    assert f'value="{doc.uid}"' in lookup.text and "125/2010" in lookup.text
    data = base(specs, key="dg-key-2", **{f"got_{pk}": "on", f"dg_store_{pk}": str(doc.uid)})
    response = client.post(CHOSEN, data)
    assert response.status_code == 302, response.text[:3000]
    second = Dossier.objects.get(idempotency_key="dg-key-2")
    reuse = DocumentReuse.objects.get()
    assert (reuse.document, reuse.dossier, reuse.channel) == (doc, second, "counter")
    assert reuse.component.spec_id == pk and reuse.by.username == "tiepnhan"
    event = DossierEvent.objects.get(dossier=second, action="receive")
    assert event.payload["reused_components"] == 1
    assert event.payload["digitised_components"] == 1
    assert DigitisedDocument.objects.count() == 1  # reused, not digitised again


def test_another_applicants_document_cannot_be_picked(login, specs, media, clock):
    client = login("officer")
    assert client.post(CHOSEN, base(specs, **birth_scan(specs))).status_code == 302
    doc = DigitisedDocument.objects.get()
    pk = specs["birth"].pk
    data = base(
        specs,
        key="dg-key-3",
        applicant_name="Trần Thị Bình",
        applicant_id_number="001195004321",
        applicant_birth_date="1995-01-01",
        **{f"got_{pk}": "on", f"dg_store_{pk}": str(doc.uid)},
    )
    response = client.post(CHOSEN, data)
    assert response.status_code == 400
    assert not DocumentReuse.objects.exists()
    assert Dossier.objects.count() == 1
