"""The public verification page and the permission-checked download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents import access, services, storage

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


CODE = "000.21.26.H29-260305-0001-KQ1"
VERIFY = "/xac-thuc/"


def _upload(data: bytes, name: str = "van-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def issued(signed, media):
    return services.register_issued(
        signed("lanhdao"),
        code=CODE,
        title="Giấy xác nhận",
        procedure_code="1.001193",
        issued_at=NOW,
    )


def test_urls():
    assert reverse("documents:verify") == VERIFY
    assert reverse("documents:verify_code", args=[CODE]) == f"{VERIFY}{CODE}/"


def test_get_shows_an_accessible_form(client):
    response = client.get(VERIFY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Xác thực văn bản điện tử</h1>" in html
    assert '<label for="id_pdf">Tệp PDF cần kiểm tra</label>' in html
    assert 'aria-describedby="pdf-help"' in html and 'aria-live="polite"' in html


def test_post_a_genuine_registered_file(client, issued, signed):
    response = client.post(VERIFY, {"pdf": _upload(signed("lanhdao"))})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kết quả: hợp lệ" in html
    assert "Lê Hoàng Nam" in html and "Phó Chủ tịch" in html
    assert f"Trùng khớp với văn bản đã cấp mã {CODE}" in html


def test_post_a_modified_file(client, issued, signed):
    data = bytearray(signed("lanhdao"))
    data[data.index(b"WeasyPrint")] = ord("w")
    html = client.post(VERIFY, {"pdf": _upload(bytes(data))}).content.decode()
    assert "Kết quả: đã bị sửa đổi" in html
    assert "Văn bản đã bị sửa đổi sau khi ký" in html


def test_post_an_untrusted_file(client, pki_settings, signed):
    html = client.post(VERIFY, {"pdf": _upload(signed("stranger"))}).content.decode()
    assert "Kết quả: không tin cậy" in html
    assert "Không tìm thấy văn bản này trong sổ đăng ký" in html


def test_post_something_else(client):
    response = client.post(VERIFY, {"pdf": _upload(b"PK\x03\x04 zip", "x.pdf")})
    html = response.content.decode()
    assert "Tệp này không phải PDF" in html and 'aria-invalid="true"' in html
    assert "Kết quả:" not in html


def test_post_too_large(client, settings):
    settings.UPLOAD_MAX_FILE_MB = 1
    html = client.post(VERIFY, {"pdf": _upload(b"%PDF-" + b"0" * 1024 * 1024)}).content.decode()
    assert "Tệp lớn hơn 1 MB" in html


def test_verification_is_rate_limited_per_address(client, settings, mau01_pdf):
    settings.VERIFY_ATTEMPTS = 2
    for _ in range(2):
        assert client.post(VERIFY, {"pdf": _upload(mau01_pdf)}).status_code == 200
    response = client.post(VERIFY, {"pdf": _upload(mau01_pdf)})
    assert response.status_code == 429
    assert "Bạn đã kiểm tra quá nhiều tệp" in response.content.decode()
    assert client.get(VERIFY).status_code == 200


def test_qr_link_page_shows_the_record_and_compares(client, issued, signed):
    url = reverse("documents:verify_code", args=[CODE])
    html = client.get(url).content.decode()
    assert "Giấy xác nhận" in html and "1.001193" in html and "Lê Hoàng Nam" in html
    other = signed("lanhdao", visible=False)
    html = client.post(url, {"pdf": _upload(other)}).content.decode()
    assert "Kết quả: hợp lệ" in html
    assert f"Không trùng khớp với văn bản đã cấp mã {CODE}" in html


def test_unknown_code_is_a_404_page(client):
    response = client.get(reverse("documents:verify_code", args=["KHONG-CO-KQ1"]))
    assert response.status_code == 404
    assert "Không tìm thấy văn bản kết quả nào có mã này" in response.content.decode()


def test_a_dossier_code_is_sent_to_the_rate_limited_tracking_page(client, intake):
    """Dossier status needs the code and the ID's last digits (portal tracking): the
    verification page never shows it from the code alone."""
    dossier = intake()
    response = client.get(reverse("documents:verify_code", args=[dossier.code]))
    html = response.content.decode()
    assert response.status_code == 404
    assert f"/tra-cuu/?ma={dossier.code}" in html
    assert dossier.applicant_name not in html and dossier.get_state_display() not in html


@pytest.fixture
def dossier_file(intake, media):
    dossier = intake()
    stored = storage.store_bytes(
        b"\x89PNG\r\n\x1a\n anh cccd",
        original_name="cccd mặt trước.png",
        content_type="image/png",
        encrypt=True,
        dossier=dossier,
        owner_identifier=dossier.applicant_id_number,
    )
    return stored


def _download(stored) -> str:
    return reverse("documents:download", args=[stored.uid])


def test_anonymous_download_goes_to_login(client, dossier_file):
    response = client.get(_download(dossier_file))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_staff_outside_the_scope_get_404(client, world, dossier_file):
    client.force_login(world["other_specialist"])
    assert client.get(_download(dossier_file)).status_code == 404


def test_staff_in_scope_download_the_decrypted_file(client, world, dossier_file):
    client.force_login(world["officer"])
    response = client.get(_download(dossier_file))
    assert response.status_code == 200
    assert response.content == b"\x89PNG\r\n\x1a\n anh cccd"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"


def test_superuser_downloads_and_unknown_files_are_404(client, django_user_model, dossier_file):
    admin = django_user_model.objects.create_superuser("root", password="x-pass-123456")
    client.force_login(admin)
    assert client.get(_download(dossier_file)).status_code == 200
    assert client.get("/xac-thuc/tep/6f1c1f7e-1d49-4c5e-9d1e-000000000000/").status_code == 404


def test_file_without_a_dossier_is_only_for_superusers(client, world, media):
    stored = storage.store_bytes(b"%PDF-1.7", original_name="a.pdf", content_type="application/pdf")
    client.force_login(world["officer"])
    assert client.get(_download(stored)).status_code == 404


def test_issued_result_is_downloadable_by_staff_of_its_dossier(
    client, world, intake, signed, media
):
    dossier = intake()
    record = services.register_issued(
        signed("lanhdao"), code=f"{dossier.code}-KQ1", title="Kết quả", dossier=dossier
    )
    client.force_login(world["officer"])
    assert client.get(_download(record.stored_file)).status_code == 200


def test_other_apps_can_add_a_download_rule(world, dossier_file):
    citizen = world["other_specialist"]
    assert not access.can_download(citizen, dossier_file)

    def owner_rule(user, stored):
        return user.username == "cv-b"

    access.download_rule(owner_rule)
    try:
        assert access.can_download(citizen, dossier_file)
    finally:
        access._RULES.remove(owner_rule)
