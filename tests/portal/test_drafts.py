"""Drafts of online dossiers: saved on the server for the citizen, files kept across errors and
refreshes, resumed from "My dossiers", deleted; a draft sent twice makes one dossier; the
confirmation message goes through the outbox with the reference."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier
from motcua.notify.models import OutboxMessage
from motcua.portal.models import Draft, DraftFile
from tests.portal.test_submit import URL, _form, pdf_bytes


def _pdf(name="to-khai.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def _save(client, data, spec, **extra):
    return client.post(URL, {**data, "action": "save", f"file_{spec.pk}": _pdf(), **extra})


def test_save_draft_keeps_fields_and_file_and_resumes_after_a_refresh(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    data["applicant_address"] = "45 Hai Bà Trưng"
    response = _save(client, data, spec)
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert response["Location"] == f"{URL}?ban-nhap={draft.key}"
    assert draft.user == an and draft.key == data["key"]
    assert Dossier.objects.count() == 0  # a draft is not a dossier
    stored = DraftFile.objects.get(draft=draft, spec=spec).stored_file
    assert stored.dossier is None and stored.uploaded_by == an

    # A refresh (a new GET of the draft's address) shows what was typed and the file.
    page = client.get(response["Location"]).content.decode()
    assert 'value="45 Hai Bà Trưng"' in page
    assert "to-khai.pdf" in page and f'id="file-{spec.pk}-saved"' in page
    assert reverse("documents:download", args=[stored.uid]) in page

    # "My dossiers" lists the draft with a link to resume it.
    mine = client.get("/ho-so-cua-toi/").content.decode()
    assert f"?ban-nhap={draft.key}" in mine and "Bản nháp chưa gửi" in mine

    # The procedure's empty form offers to resume it.
    fresh = client.get(URL).content.decode()
    assert f"?ban-nhap={draft.key}" in fresh


def test_an_error_elsewhere_keeps_the_file_and_the_next_send_uses_it(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    data["delivery"] = ""  # forgotten
    response = client.post(URL, {**data, f"file_{spec.pk}": _pdf()})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Chọn nơi nhận kết quả." in text
    assert f'id="file-{spec.pk}-saved"' in text  # the file is kept, not to be chosen again
    assert Dossier.objects.count() == 0

    data["delivery"] = "online"
    response = client.post(URL, data)  # no file sent this time
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    stored = StoredFile.objects.get()
    assert stored.dossier == dossier and stored.owner_identifier == dossier.applicant_id_number
    assert [c.spec_id for c in dossier.components.all()] == [spec.pk]
    assert Draft.objects.count() == 0 and DraftFile.objects.count() == 0


def test_a_bad_file_is_refused_next_to_its_component_and_not_kept(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    bad = SimpleUploadedFile("to-khai.pdf", b"MZ not a pdf" * 20, "application/pdf")
    response = client.post(URL, {**data, "action": "save", f"file_{spec.pk}": bad})
    assert response.status_code == 400
    component = response.content.decode().split(f'id="tp-{spec.pk}"')[1].split("</li>")[0]
    assert "PDF, JPEG, PNG" in component
    assert DraftFile.objects.count() == 0 and StoredFile.objects.count() == 0
    assert Draft.objects.get().data["applicant"]["address"] == "12 Lê Lợi"  # typed text kept


def test_remove_and_replace_a_file(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    _save(client, data, spec)
    first = DraftFile.objects.get().stored_file
    client.post(URL, {**data, "action": "save", f"file_{spec.pk}": _pdf("moi.pdf")})
    replaced = DraftFile.objects.get().stored_file
    assert replaced.original_name == "moi.pdf" and replaced.pk != first.pk
    assert not StoredFile.objects.filter(pk=first.pk).exists()
    client.post(URL, {**data, "action": "save", f"remove_{spec.pk}": "1"})
    assert DraftFile.objects.count() == 0 and StoredFile.objects.count() == 0


def test_delete_a_draft_and_its_files_only_by_its_owner(client, online, an, binh, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    _save(client, data, spec)
    draft = Draft.objects.get()
    url = reverse("portal:draft_delete", args=[draft.key])

    client.force_login(binh)  # another citizen: not found, nothing deleted, nothing shown
    assert client.post(url).status_code == 404
    page = client.get(f"{URL}?ban-nhap={draft.key}").content.decode()
    assert "to-khai.pdf" not in page and "Không tìm thấy bản nháp" in page
    assert Draft.objects.count() == 1

    client.logout()
    assert client.post(url).status_code == 302  # to the login page
    assert Draft.objects.count() == 1

    client.force_login(an)
    assert client.get(url).status_code == 405  # deleting needs a POST (CSRF-protected)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("portal:mine")
    assert Draft.objects.count() == 0 and StoredFile.objects.count() == 0


def test_draft_files_download_only_for_their_owner(client, online, an, binh, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    _save(client, data, spec)
    url = reverse("documents:download", args=[StoredFile.objects.get().uid])
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(binh)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_sending_a_draft_twice_makes_one_dossier(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    _save(client, data, spec)
    first = client.post(URL, data)
    second = client.post(URL, data)  # the same form again (double click, back + resend)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Dossier.objects.count() == 1 and StoredFile.objects.count() == 1
    assert Draft.objects.count() == 0  # no empty draft left behind by the repeat
    # Opening the sent draft's address leads to the confirmation.
    key = data["key"]
    assert client.get(f"{URL}?ban-nhap={key}")["Location"] == first["Location"]


def test_another_citizen_reusing_a_key_gets_nothing_of_the_first(client, online, an, binh, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    _save(client, data, spec)  # an's draft holds the key
    client.force_login(binh)
    theirs = {**data, "applicant_name": "Trần Thị Bình", "applicant_birth_date": "1995-01-01"}
    response = client.post(URL, {**theirs, "action": "save"})
    assert response.status_code == 302
    drafts = {d.user_id: d for d in Draft.objects.all()}
    assert drafts[binh.pk].key != data["key"] == drafts[an.pk].key  # a fresh key for binh
    assert "to-khai.pdf" not in client.get(response["Location"]).content.decode()

    client.force_login(an)
    client.post(URL, data)  # an sends: the key is free again
    first = Dossier.objects.get()
    client.force_login(binh)  # the same key from binh makes binh's own dossier
    response = client.post(URL, {**theirs, f"file_{spec.pk}": _pdf()})
    assert response.status_code == 302 and first.reference not in response["Location"]
    assert Dossier.objects.count() == 2


def test_the_confirmation_message_carries_the_reference(client, online, an, media, settings):
    settings.NOTIFY_CHANNELS = ["email", "sms"]
    settings.NOTIFY_SITE_URL = "https://motcua.example.gov.vn"
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    data["applicant_email"] = "an@example.vn"
    client.post(URL, {**data, f"file_{spec.pk}": _pdf()})
    dossier = Dossier.objects.get()
    messages = OutboxMessage.objects.filter(dossier=dossier, template_key="submitted_online")
    assert {(m.channel, m.recipient) for m in messages} == {
        ("email", "an@example.vn"),
        ("sms", "0903123456"),
    }
    email = messages.get(channel="email")
    assert dossier.reference in email.subject and dossier.reference in email.body
    assert "Đăng ký thường trú" in email.body
    assert "https://motcua.example.gov.vn/tra-cuu/" in email.body
    # A counter dossier does not get it (its receipt is Mẫu 01, with its own message).
    assert not OutboxMessage.objects.exclude(dossier=dossier).filter(
        template_key="submitted_online"
    )
