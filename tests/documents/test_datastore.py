"""The personal data store: digitisation rules, owner-scoped services, results, reuse counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfWriter

from motcua.catalog.models import ComponentSpec
from motcua.documents import datastore, digitisation, purge, storage
from motcua.documents.models import (
    DigitisationRule,
    DigitisedDocument,
    DocumentKind,
    DocumentReuse,
    IssuedDocument,
    StoredFile,
)
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import Applicant, NewDossier, create_dossier, perform
from tests.dossiers.conftest import APPLICANT, at

pytestmark = pytest.mark.django_db

R = DigitisationRule.Requirement
OTHER_ID = "001195004321"


def pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=420, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "requirement"),
    [
        ("Tờ khai đăng ký khai sinh", R.ON_REQUEST),
        ("Bản sao Giấy khai sinh", R.REQUIRED),
        ("Giấy chứng nhận quyền sử dụng đất", R.REQUIRED),
        ("Bản chụp Giấy chứng nhận kết hôn", R.PLAIN_COPY),
        ("Xuất trình Giấy chứng nhận kết hôn để đối chiếu", R.SHOWN_ONLY),
        ("Thẻ Căn cước công dân", R.NATIONAL_DB),
        ("Tài liệu mật của cơ quan", R.CLASSIFIED),
    ],
)
def test_default_rule_follows_circular_01_2023(name, requirement):
    assert digitisation.default_requirement(name) == requirement


def test_the_province_rule_overrides_the_default(world):
    spec = world["version"].cases.first().components.first()
    assert digitisation.requirement_for(spec) == R.ON_REQUEST
    DigitisationRule.objects.create(component=spec, requirement=R.REQUIRED, legal_basis="QĐ 1/2026")
    assert digitisation.requirement_for(spec) == R.REQUIRED


def _counter_dossier(world, *, applicant=APPLICANT, name="Bản sao Giấy khai sinh"):
    case = world["version"].cases.first()
    spec = ComponentSpec.objects.create(case=case, order=5, name=name, originals=0, copies=1)
    data = NewDossier(
        offering=world["offering"],
        channel="counter",
        applicant=applicant,
        case_id=case.pk,
        components=((spec.pk, spec.name, 0, 1),),
    )
    dossier, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"))
    return dossier, dossier.components.get()


def _meta(**overrides) -> datastore.Metadata:
    values = {
        "kind": DocumentKind.CIVIL_STATUS,
        "title": "Giấy khai sinh",
        "owner_identifier": APPLICANT.id_number,
        "number": "125/2010",
        "issuer": "UBND phường Bến Nghé",
        "issued_on": dt.date(2010, 5, 4),
        "pages": 1,
    }
    values.update(overrides)
    return datastore.Metadata(**values)


def test_digitise_then_reuse_counts_in_the_receive_event(world, media):
    dossier, component = _counter_dossier(world)
    scan = storage.store_bytes(pdf(), original_name="gks.pdf", content_type="application/pdf")
    doc = datastore.digitise_component(component, scan, _meta(), actor=world["officer"])
    assert doc.source == "intake" and doc.dossier == dossier and doc.pages == 1
    assert doc.stored_file.dossier == dossier
    perform(dossier, "receive", world["officer"], now=at("2026-03-02 09:05"))
    event = DossierEvent.objects.get(dossier=dossier, action="receive")
    assert event.payload["digitised_components"] == 1
    assert event.payload["reused_components"] == 0

    later, component2 = _counter_dossier(world)
    store = datastore.store_for_officer(
        world["officer"], APPLICANT.id_number, later.receiving_scope()
    )
    assert [d.pk for d in store] == [doc.pk]
    datastore.take_from_store(doc, component2, actor=world["officer"], channel="counter")
    datastore.take_from_store(doc, component2, actor=world["officer"], channel="counter")
    assert DocumentReuse.objects.filter(dossier=later).count() == 1  # a repeat is one reuse
    perform(later, "receive", world["officer"], now=at("2026-03-02 09:30"))
    event = DossierEvent.objects.get(dossier=later, action="receive")
    assert event.payload["reused_components"] == 1
    assert event.payload["digitised_components"] == 1


def test_the_store_is_owner_scoped(world, media):
    dossier, component = _counter_dossier(world)
    scan = storage.store_bytes(pdf(), original_name="gks.pdf", content_type="application/pdf")
    doc = datastore.digitise_component(component, scan, _meta(), actor=world["officer"])
    other = Applicant(name="Trần Thị Bình", id_number=OTHER_ID, birth_date=dt.date(1995, 1, 1))
    theirs, their_component = _counter_dossier(world, applicant=other)
    with pytest.raises(datastore.StoreError, match="không có trong kho"):
        datastore.take_from_store(doc, their_component, actor=world["officer"], channel="counter")
    assert list(datastore.owner_store(OTHER_ID)) == []
    with pytest.raises(PermissionDenied):  # a specialist does not read applicants' stores
        datastore.store_for_officer(
            world["specialist"], APPLICANT.id_number, theirs.receiving_scope()
        )


def test_expired_documents_are_not_reused(world, media):
    dossier, component = _counter_dossier(world)
    scan = storage.store_bytes(pdf(), original_name="gp.pdf", content_type="application/pdf")
    meta = _meta(kind=DocumentKind.CERTIFICATE, valid_until=dt.date(2020, 1, 1))
    doc = datastore.digitise_component(component, scan, meta, actor=world["officer"])
    later, component2 = _counter_dossier(world)
    assert list(datastore.owner_store(APPLICANT.id_number, reusable_on=dt.date(2026, 3, 2))) == []
    with pytest.raises(datastore.StoreError, match="hết hiệu lực"):
        datastore.take_from_store(doc, component2, actor=world["officer"], channel="counter")


def test_metadata_must_match_the_scan(world, media):
    _dossier, component = _counter_dossier(world)
    scan = storage.store_bytes(pdf(2), original_name="gks.pdf", content_type="application/pdf")
    scan.pages = 2
    with pytest.raises(datastore.StoreError, match="có 2 trang nhưng bản gốc có 3 trang"):
        datastore.digitise_component(component, scan, _meta(pages=3), actor=world["officer"])
    bad_dates = _meta(pages=2, valid_until=dt.date(2000, 1, 1))
    with pytest.raises(datastore.StoreError, match="sau ngày cấp"):
        datastore.digitise_component(component, scan, bad_dates, actor=world["officer"])
    assert not DigitisedDocument.objects.exists()


def test_exempt_components_are_not_digitised(world, media):
    _dossier, component = _counter_dossier(world, name="Xuất trình Thẻ Căn cước")
    scan = storage.store_bytes(pdf(), original_name="cc.pdf", content_type="application/pdf")
    with pytest.raises(datastore.StoreError, match="không số hóa"):
        datastore.digitise_component(
            component, scan, _meta(kind=DocumentKind.IDENTITY), actor=world["officer"]
        )


@pytest.mark.parametrize("kind", [DocumentKind.CIVIL_STATUS, DocumentKind.IDENTITY])
def test_a_scan_purged_before_it_is_attached_asks_for_a_new_scan(world, media, kind):
    """The purge deleted the kept scan (too old) just before the desk attaches it: a clear
    message, nothing attached, instead of a foreign-key failure at commit."""
    _dossier, component = _counter_dossier(world)
    scan = storage.store_bytes(
        pdf(), original_name="gks.pdf", content_type="application/pdf", now=at("2026-03-01 08:00")
    )
    summary = purge.purge_orphan_scans(before=at("2026-03-02 08:00"))
    assert summary.rows == 1  # the officer still holds the object of the purged row
    with pytest.raises(datastore.StoreError, match="Bản quét đã hết hạn, vui lòng quét lại.") as e:
        datastore.digitise_component(component, scan, _meta(kind=kind), actor=world["officer"])
    assert e.value.field == "file"
    assert not DigitisedDocument.objects.exists()
    assert not StoredFile.objects.exists()


def test_a_scan_taken_by_another_dossier_meanwhile_is_refused(world, media):
    _dossier, component = _counter_dossier(world)
    other, _other_component = _counter_dossier(world)
    scan = storage.store_bytes(pdf(), original_name="gks.pdf", content_type="application/pdf")
    StoredFile.objects.filter(pk=scan.pk).update(dossier=other)  # the object is stale
    with pytest.raises(datastore.StoreError, match="thuộc hồ sơ khác"):
        datastore.digitise_component(component, scan, _meta(), actor=world["officer"])
    assert StoredFile.objects.get(pk=scan.pk).dossier == other


def test_identity_scans_are_encrypted_at_rest(world, media, django_capture_on_commit_callbacks):
    """A scan kept in clear before its kind was known is re-encrypted, the clear blob removed."""
    _dossier, component = _counter_dossier(world, name="Hộ chiếu")
    content = pdf()
    scan = storage.store_bytes(content, original_name="hc.pdf", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        doc = datastore.digitise_component(
            component, scan, _meta(kind=DocumentKind.IDENTITY), actor=world["officer"]
        )
    assert doc.stored_file.encrypted
    assert storage.read_bytes(doc.stored_file) == content
    on_disk = [p.read_bytes() for p in media.rglob("*") if p.is_file()]
    assert on_disk and all(content not in blob for blob in on_disk)


def test_approved_result_lands_in_the_applicant_store(
    world, intake, pki_settings, media, django_capture_on_commit_callbacks
):
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(d, "complete_step", world["specialist"], now=at("2026-03-02 11:00"))
    with django_capture_on_commit_callbacks(execute=True):
        d, _ = perform(d, "approve", world["leader"], now=at("2026-03-02 14:00"))
    issued = IssuedDocument.objects.get(dossier=d)
    doc = DigitisedDocument.objects.get(issued_document=issued)
    assert doc.source == "result" and doc.kind == DocumentKind.RESULT
    assert doc.owner_identifier == APPLICANT.id_number
    assert doc.number == f"{d.code}-KQ1" and doc.issuer == world["agency"].name
    assert doc.pages >= 1 and doc.stored_file == issued.stored_file
    assert doc.issued_on == dt.date(2026, 3, 2)
    assert datastore.add_result(issued) == doc  # idempotent
    assert [x.pk for x in datastore.owner_store(APPLICANT.id_number)] == [doc.pk]
