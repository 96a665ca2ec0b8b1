"""Online submission's review step (xem lại): everything entered, read-only and masked, with a
way back to each part; "Nộp hồ sơ" sends the draft once; going back loses nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.models import DocumentReuse, StoredFile
from motcua.dossiers.models import Dossier
from motcua.portal.models import Draft
from tests.portal.test_store import add_document
from tests.portal.test_submit import ID_AN, URL, _form, pdf_bytes


def _pdf(name="to-khai.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def _to_review(client, **changes):
    """Fill in the form and press "Tiếp tục: xem lại hồ sơ"; returns (data, spec, review URL)."""
    data = _form(client)
    spec = data.pop("spec")
    data.update(step="form", action="review", applicant_address="45 Hai Bà Trưng", **changes)
    response = client.post(URL, {**data, f"file_{spec.pk}": _pdf()})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"{URL}?ban-nhap={data['key']}&buoc=xem-lai"
    return data, spec, response["Location"]


def _send(client, key):
    return client.post(f"{URL}?ban-nhap={key}", {"key": key, "step": "review", "action": "send"})


def test_the_review_shows_what_was_entered_masked_with_a_way_back(client, online, an, media):
    client.force_login(an)
    data, spec, url = _to_review(client)
    assert Dossier.objects.count() == 0  # nothing sent yet
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Xem lại hồ sơ trước khi nộp" in text and 'aria-current="step"' in text
    assert "Nguyễn Văn An" in text and "45 Hai Bà Trưng" in text and "17/05/1990" in text
    assert "••••••••1234" in text and ID_AN not in text  # the ID number masked
    assert online["agency"].name in text
    assert "to-khai.pdf" in text and spec.name in text
    assert "Nhận bản điện tử trực tuyến" in text
    for part in ("co-quan", "nguoi-nop", "thanh-phan", "nhan-ket-qua"):
        assert f'href="{URL}?ban-nhap={data["key"]}#{part}"' in text
    # the final button carries the key (the idempotency key) and nothing else to trust
    assert f'name="key" value="{data["key"]}"' in text and 'name="step" value="review"' in text
    assert "Nộp hồ sơ</button>" in text and 'name="applicant_name"' not in text


def test_submitting_from_the_review_creates_exactly_one_dossier(client, online, an, media):
    client.force_login(an)
    data, spec, _url = _to_review(client)
    first = _send(client, data["key"])
    assert first.status_code == 302
    dossier = Dossier.objects.get()
    assert first["Location"] == f"/nop-ho-so/da-nop/{dossier.reference}/"
    assert dossier.applicant_address == "45 Hai Bà Trưng" and dossier.applicant_id_number == ID_AN
    assert [c.spec_id for c in dossier.components.all()] == [spec.pk]
    assert StoredFile.objects.get().dossier == dossier
    assert not Draft.objects.exists()
    again = _send(client, data["key"])  # the button pressed twice, or the page sent again
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Dossier.objects.count() == 1 and not Draft.objects.exists()


def test_going_back_keeps_everything_and_the_change_is_sent(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    data.update(step="form", action="review", applicant_address="45 Hai Bà Trưng",
                delivery="post")  # fmt: skip
    response = client.post(URL, {**data, f"file_{spec.pk}": _pdf("don.pdf")})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "don.pdf" in client.get(response["Location"]).content.decode()

    # "Sửa": the form again, with everything entered and the file still attached
    form = client.get(f"{URL}?ban-nhap={data['key']}").content.decode()
    assert 'value="45 Hai Bà Trưng"' in form and "don.pdf" in form
    assert f'id="file-{spec.pk}-saved"' in form and 'value="post" checked' in form

    # change one thing (no file sent again), review, submit
    data["applicant_address"] = "7 Trần Phú"
    again = client.post(URL, data)
    assert again.status_code == 302
    review = client.get(again["Location"]).content.decode()
    assert "7 Trần Phú" in review and "45 Hai Bà Trưng" not in review and "don.pdf" in review
    assert _send(client, data["key"]).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant_address == "7 Trần Phú" and dossier.result_delivery == "post"
    assert StoredFile.objects.get().original_name == "don.pdf"


def test_a_document_picked_from_the_store_survives_the_review(client, online, an, media):
    client.force_login(an)
    doc = add_document(title="Tờ khai đăng ký khai sinh đã số hóa", number="125/2010")
    data = _form(client)
    spec = data.pop("spec")
    data.update(step="form", action="review", **{f"store_{spec.pk}": str(doc.uid)})
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    review = client.get(response["Location"]).content.decode()
    assert "Tờ khai đăng ký khai sinh đã số hóa" in review and "125/2010" in review
    form = client.get(f"{URL}?ban-nhap={data['key']}").content.decode()
    assert f'value="{doc.uid}" selected' in form  # still chosen after going back
    assert _send(client, data["key"]).status_code == 302
    reuse = DocumentReuse.objects.get()
    assert reuse.document == doc and reuse.component.spec_id == spec.pk


def test_an_incomplete_draft_cannot_be_reviewed_or_sent(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    data.update(step="form", action="review", delivery="")
    page = client.post(URL, {**data, f"file_{spec.pk}": _pdf()})
    assert page.status_code == 400
    assert "Chọn nơi nhận kết quả." in page.content.decode()
    assert "to-khai.pdf" in page.content.decode()  # the file is kept
    review = client.get(f"{URL}?ban-nhap={data['key']}&buoc=xem-lai")
    assert review.status_code == 400 and "Chọn nơi nhận kết quả." in review.content.decode()
    assert _send(client, data["key"]).status_code == 400
    assert Dossier.objects.count() == 0 and Draft.objects.count() == 1


def test_another_citizen_cannot_see_or_send_the_review(client, online, an, binh, media):
    client.force_login(an)
    data, _spec, url = _to_review(client)
    client.force_login(binh)
    page = client.get(url).content.decode()
    assert "45 Hai Bà Trưng" not in page and "Không tìm thấy bản nháp" in page
    assert _send(client, data["key"]).status_code == 400  # an empty draft of binh's own
    assert Dossier.objects.count() == 0
    client.force_login(an)
    assert _send(client, data["key"]).status_code == 302
    assert Dossier.objects.get().applicant_id_number == ID_AN
