"""Online submission (nộp hồ sơ trực tuyến) by a signed-in citizen."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from motcua.accounts.models import CitizenProfile, User
from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import world  # noqa: F401  (fixture)

ID_AN = "079090001234"
ID_BINH = "001195004321"


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_citizen(username: str, id_number: str, name: str, birth: dt.date) -> User:
    user = User.objects.create_user(username, password="x", full_name=name)
    CitizenProfile.objects.create(
        user=user,
        id_number=id_number,
        birth_date=birth,
        phone="0903123456" if id_number == ID_AN else "0912000111",
        address="12 Lê Lợi",
        created_at=timezone.now(),
    )
    return user


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def an(db):
    return make_citizen("an", ID_AN, "Nguyễn Văn An", dt.date(1990, 5, 17))


@pytest.fixture
def online(world):  # noqa: F811
    world["version"].online_class = "full"
    world["version"].save()
    return world


URL = "/nop-ho-so/1.004222/"


def _form(client, url=URL) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    context = response.context
    spec = context["sections"][0][1][0][0]
    return {
        "key": context["form"]["key"],
        "offering": str(context["offerings"][0].pk),
        "case": str(context["sections"][0][0].pk),
        "on_behalf": "0",
        "delivery": "online",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": ID_AN,
        "applicant_birth_date": "1990-05-17",
        "applicant_phone": "0903123456",
        "applicant_email": "",
        "applicant_address": "12 Lê Lợi",
        "spec": spec,
    }


def test_login_is_required(client, online):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:account_login"))


def test_form_is_prefilled_from_the_profile(client, online, an):
    client.force_login(an)
    response = client.get(URL)
    text = response.content.decode()
    assert 'value="Nguyễn Văn An"' in text
    assert 'name="key"' in text
    assert "Tờ khai đăng ký khai sinh" in text
    assert 'type="file"' in text


def test_happy_path_creates_one_online_dossier(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    upload = SimpleUploadedFile("to-khai.pdf", pdf_bytes(), "application/pdf")
    response = client.post(URL, {**data, f"file_{spec.pk}": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert response["Location"] == reverse("portal:submit_done", args=[dossier.reference])
    assert dossier.channel == "online"
    assert dossier.state == "submitted"
    assert dossier.applicant_id_number == ID_AN
    assert dossier.result_delivery == "online"
    assert [(c.spec_id, c.originals, c.copies) for c in dossier.components.all()] == [
        (spec.pk, 1, 0)
    ]
    stored = StoredFile.objects.get()
    assert stored.dossier == dossier
    assert stored.owner_identifier == ID_AN

    again = SimpleUploadedFile("to-khai.pdf", pdf_bytes(), "application/pdf")
    second = client.post(URL, {**data, f"file_{spec.pk}": again})
    assert second.status_code == 302
    assert Dossier.objects.count() == 1
    assert StoredFile.objects.count() == 1

    done = client.get(second["Location"]).content.decode()
    assert dossier.reference in done
    assert "Đăng ký thường trú" in done
    assert reverse("portal:track") in done


def test_on_behalf_records_the_citizen_as_representative(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    data.update(
        on_behalf="1",
        applicant_name="Trần Thị Bình",
        applicant_id_number=ID_BINH,
        applicant_birth_date="1995-01-01",
    )
    upload = SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf")
    response = client.post(URL, {**data, f"file_{spec.pk}": upload})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant_id_number == ID_BINH
    assert dossier.representative_id_number == ID_AN
    assert dossier.representative_name == "Nguyễn Văn An"


def test_wrong_file_type_is_shown_next_to_the_component(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    upload = SimpleUploadedFile("to-khai.pdf", b"hello, not a pdf" * 10, "application/pdf")
    response = client.post(URL, {**data, f"file_{spec.pk}": upload})
    assert response.status_code == 400
    text = response.content.decode()
    component = text.split(f'id="tp-{spec.pk}"')[1].split("</li>")[0]
    assert "PDF, JPEG, PNG" in component
    assert "không cần chọn lại" in text  # valid files are kept in the draft
    assert 'value="12 Lê Lợi"' in text  # what was typed is kept
    assert Dossier.objects.count() == 0
    assert StoredFile.objects.count() == 0


def test_required_component_needs_a_file(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    response = client.post(URL, data)
    assert response.status_code == 400
    component = response.content.decode().split(f'id="tp-{spec.pk}"')[1].split("</li>")[0]
    assert "Cần đính kèm tệp cho giấy tờ này." in component
    assert Dossier.objects.count() == 0


def test_invalid_applicant_id_is_shown(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    data.update(on_behalf="1", applicant_id_number="123")
    upload = SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf")
    response = client.post(URL, {**data, f"file_{spec.pk}": upload})
    assert response.status_code == 400
    assert "Thông tin người nộp chưa hợp lệ." in response.content.decode()
    assert Dossier.objects.count() == 0


def test_procedure_without_online_service(client, world, an):  # noqa: F811
    world["version"].online_class = "none"
    world["version"].save()
    client.force_login(an)
    response = client.get(URL)
    assert response.status_code == 200
    assert "chưa có dịch vụ công trực tuyến" in response.content.decode()
    response = client.post(URL, {"offering": str(world["offering"].pk)})
    assert "chưa có dịch vụ công trực tuyến" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_unknown_procedure_is_404(client, online, an):
    client.force_login(an)
    assert client.get("/nop-ho-so/9.999999/").status_code == 404


def test_confirmation_is_only_for_the_owner(client, online, an, media):
    client.force_login(an)
    data = _form(client)
    spec = data.pop("spec")
    upload = SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf")
    client.post(URL, {**data, f"file_{spec.pk}": upload})
    reference = Dossier.objects.get().reference
    other = make_citizen("binh", ID_BINH, "Trần Thị Bình", dt.date(1995, 1, 1))
    client.force_login(other)
    assert client.get(reference and f"/nop-ho-so/da-nop/{reference}/").status_code == 404
