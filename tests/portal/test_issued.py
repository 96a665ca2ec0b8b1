"""Documents issued to the applicant in "My dossiers": signed results and the forms addressed to
them (Mẫu 01…05), downloaded through permission-checked views, by the owner only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from motcua.documents.models import IssuedDocument
from motcua.documents.storage import store_bytes
from tests.dossiers.conftest import intake, world  # noqa: F401  (fixtures)
from tests.portal.test_submit import pdf_bytes


def _issue(d) -> IssuedDocument:
    stored = store_bytes(
        pdf_bytes(),
        original_name=f"{d.code}-KQ1.pdf",
        content_type="application/pdf",
        owner_identifier=d.applicant_id_number,
    )
    return IssuedDocument.objects.create(
        code=f"{d.code}-KQ1",
        dossier=d,
        procedure_code="1.004222",
        title="Văn bản kết quả giải quyết thủ tục hành chính",
        issued_at=timezone.now(),
        sha256=stored.sha256,
        stored_file=stored,
        signer_name="Lãnh đạo",
    )


def test_results_and_receipt_are_listed_and_downloadable_by_the_owner_only(
    client,
    intake,  # noqa: F811
    an,
    binh,
    media,
):
    d = intake("2026-03-02 09:00")
    doc = _issue(d)
    download = reverse("documents:download", args=[doc.stored_file.uid])
    receipt = reverse("portal:mine_form", args=[d.code, "01"])
    client.force_login(an)
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert download in page and receipt in page and doc.code in page
    assert reverse("portal:mine_form", args=[d.code, "02"]) not in page  # never issued

    response = client.get(download)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    pdf = client.get(receipt)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and "no-store" in pdf["Cache-Control"]
    assert client.get(reverse("portal:mine_form", args=[d.code, "06"])).status_code == 404
    assert client.get(reverse("portal:mine_form", args=[d.code, "02"])).status_code == 404

    client.force_login(binh)  # another citizen: nothing, not even whether it exists
    assert client.get(download).status_code == 404
    assert client.get(receipt).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302
    assert client.get(receipt).status_code == 302
