"""My documents (Tài liệu của tôi): the citizen's data store, its downloads and its use in
online submission."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.catalog.models import ComponentSpec
from motcua.documents import storage
from motcua.documents.models import DigitisedDocument, DocumentReuse
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import perform
from tests.dossiers import conftest as dossier_fixtures
from tests.portal import test_submit as submit
from tests.portal.test_submit import ID_AN, ID_BINH, URL, _form, make_citizen, pdf_bytes

# Fixtures shared with the submission tests.
world = dossier_fixtures.world
an, media, online = submit.an, submit.media, submit.online

STORE = "/tai-lieu-cua-toi/"


@pytest.fixture
def binh(db):
    return make_citizen("binh", ID_BINH, "Trần Thị Bình", dt.date(1995, 1, 1))


def add_document(owner=ID_AN, *, title="Giấy khai sinh", number="125/2010", valid_until=None):
    stored = storage.store_bytes(
        pdf_bytes(),
        original_name=f"{number.replace('/', '-')}.pdf",
        content_type="application/pdf",
        pages=1,
        owner_identifier=owner,
    )
    return DigitisedDocument.objects.create(
        stored_file=stored,
        kind="civil_status",
        title=title,
        number=number,
        issuer="UBND phường Bến Nghé",
        issued_on=dt.date(2010, 5, 10),
        valid_until=valid_until,
        owner_identifier=owner,
        pages=1,
        source="intake",
        created_at=timezone.now(),
    )


def test_login_is_required(client, db):
    response = client.get(STORE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:account_login"))


def test_the_owner_sees_their_store_with_metadata(client, an, binh, media):
    mine = add_document()
    add_document(ID_BINH, title="Giấy chứng nhận kết hôn", number="77/2020")
    client.force_login(an)
    page = client.get(STORE)
    assert page.status_code == 200
    text = page.text
    assert "<h1>Tài liệu của tôi</h1>" in text
    for fact in ("Giấy khai sinh", "125/2010", "UBND phường Bến Nghé", "10/05/2010"):
        assert fact in text, fact
    assert "Số hóa khi tiếp nhận" in text and "Không thời hạn" in text
    assert reverse("portal:store_download", args=[mine.uid]) in text
    assert "Giấy chứng nhận kết hôn" not in text and "77/2020" not in text


def test_download_is_for_the_owner_only(client, an, binh, media, world):
    doc = add_document()
    url = reverse("portal:store_download", args=[doc.uid])
    client.force_login(an)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == pdf_bytes()
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    client.force_login(binh)
    assert client.get(url).status_code == 404
    assert client.get(STORE).status_code == 200 and "125/2010" not in client.get(STORE).text
    # the general file link does not open it to another citizen either
    assert client.get(f"/xac-thuc/tep/{doc.stored_file.uid}/").status_code == 404
    client.force_login(world["officer"])  # staff without a citizen profile
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("documents", [1, 6])
def test_store_page_query_count_is_pinned(client, an, media, django_assert_num_queries, documents):
    for i in range(documents):
        add_document(number=f"{i}/2010")
    client.force_login(an)
    client.get(STORE)
    # session, user, profile, documents (with file, dossier and reuse count)
    with django_assert_num_queries(4):
        page = client.get(STORE)
    assert page.text.count('class="store-item"') == documents


def _spec(world):
    return world["version"].cases.first().components.get()


def test_online_submission_takes_a_document_from_the_store(client, online, an, media):
    doc = add_document(title="Tờ khai đăng ký khai sinh", number="")
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    page = client.get(URL)
    assert f'name="store_{spec.pk}"' in page.text and f'value="{doc.uid}"' in page.text
    response = client.post(URL, {**data, f"store_{spec.pk}": str(doc.uid)})
    assert response.status_code == 302, response.content.decode()[:3000]
    reuse = DocumentReuse.objects.get()
    dossier = reuse.dossier
    assert (reuse.document, reuse.channel, reuse.by) == (doc, "online", an)
    assert reuse.component.spec_id == spec.pk
    assert [(c.spec_id, c.name) for c in dossier.components.all()] == [(spec.pk, spec.name)]
    officer = online["officer"]
    perform(dossier, "receive", officer)
    event = DossierEvent.objects.get(dossier=dossier, action="receive")
    assert event.payload["reused_components"] == 1
    assert event.payload["digitised_components"] == 1
    page = client.get(STORE)
    assert "Đã dùng lại" in page.text and "1 lần" in page.text


def test_an_online_upload_goes_to_the_store(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    upload = SimpleUploadedFile("to-khai.pdf", pdf_bytes(), "application/pdf")
    assert client.post(URL, {**data, f"file_{spec.pk}": upload}).status_code == 302
    doc = DigitisedDocument.objects.get()
    assert (doc.source, doc.owner_identifier, doc.title, doc.kind) == (
        "online",
        ID_AN,
        spec.name,
        "form",
    )
    assert doc.dossier is not None and doc.stored_file.dossier == doc.dossier
    assert not DocumentReuse.objects.exists()
    perform(doc.dossier, "receive", online["officer"])
    event = DossierEvent.objects.get(dossier=doc.dossier, action="receive")
    assert (event.payload["digitised_components"], event.payload["reused_components"]) == (1, 0)


def test_an_online_identity_upload_is_encrypted(
    client,
    online,
    an,
    media,
    django_capture_on_commit_callbacks,
):
    case = online["version"].cases.first()
    passport = ComponentSpec.objects.create(
        case=case, order=2, name="Hộ chiếu", originals=1, copies=0, required=False
    )
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    content = pdf_bytes() + b"%passport"
    files = {
        f"file_{spec.pk}": SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf"),
        f"file_{passport.pk}": SimpleUploadedFile("hc.pdf", content, "application/pdf"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, {**data, **files}).status_code == 302
    doc = DigitisedDocument.objects.get(kind="identity")
    assert doc.stored_file.encrypted
    assert storage.read_bytes(doc.stored_file) == content
    blobs = [p.read_bytes() for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert blobs and all(content not in blob for blob in blobs)


def test_another_citizens_or_an_expired_document_cannot_be_picked(client, online, an, media):
    theirs = add_document(ID_BINH, number="9/2020")
    expired = add_document(number="8/2010", valid_until=dt.date(2020, 1, 1))
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    page = client.get(URL)
    assert str(theirs.uid) not in page.text and str(expired.uid) not in page.text
    for doc in (theirs, expired):
        response = client.post(URL, {**data, f"store_{spec.pk}": str(doc.uid)})
        assert response.status_code == 400
        component = response.content.decode().split(f'id="tp-{spec.pk}"')[1].split("</li>")[0]
        assert "không có (hoặc đã hết hiệu lực) trong kho dữ liệu của bạn" in component
    assert not DocumentReuse.objects.exists()
