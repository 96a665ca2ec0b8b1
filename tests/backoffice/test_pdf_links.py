"""The print pages and the dossier page link to the PDF of each form ("Tải PDF")."""

import pytest

pytestmark = pytest.mark.django_db


def test_print_page_links_to_its_pdf(login, world, intake):
    d = intake("2026-03-02 09:00")
    client = login("officer")
    page = client.get(f"/can-bo/ho-so/{d.code}/in/01/").text
    assert f'href="/can-bo/ho-so/{d.code}/in/01/pdf/"' in page and "Tải PDF" in page
    page = client.get(f"/can-bo/ho-so/{d.code}/in/06/").text
    assert f'href="/can-bo/ho-so/{d.code}/in/06/pdf/"' in page


def test_dossier_page_lists_a_pdf_link_next_to_each_print(login, world, intake):
    d = intake("2026-03-02 09:00")
    page = login("officer").get(f"/can-bo/ho-so/{d.code}/").text
    for number in ("01", "06"):
        assert f'href="/can-bo/ho-so/{d.code}/in/{number}/pdf/"' in page, number


def test_pdf_route_is_for_staff_only(client, world, intake):
    d = intake("2026-03-02 09:00")
    response = client.get(f"/can-bo/ho-so/{d.code}/in/01/pdf/")
    assert response.status_code == 302 and "/can-bo/dang-nhap/" in response["Location"]


def _signed_result(d, settings, tmp_path, n=1):
    from motcua.documents import storage
    from motcua.documents.models import IssuedDocument
    from motcua.dossiers.models import Dossier
    from tests.dossiers.conftest import at

    settings.MEDIA_ROOT = str(tmp_path / "media")
    Dossier.objects.filter(pk=d.pk).update(result_code=f"{d.code}-KQ{n}")  # as approve does
    data = f"%PDF-1.7 kết quả số {n}".encode()
    stored = storage.store_bytes(
        data, original_name="kq.pdf", content_type="application/pdf", dossier=d
    )
    return IssuedDocument.objects.create(
        code=f"{d.code}-KQ{n}",
        dossier=d,
        procedure_code="1.004222",
        title="Văn bản kết quả",
        issued_at=at("2026-03-02 14:00"),
        sha256=storage.sha256_hex(data),
        stored_file=stored,
        signer_name="Lê Hoàng Nam",
    ), data


def test_dossier_page_links_to_each_signed_result_and_its_verification(
    login, client, world, intake, settings, tmp_path
):
    d = intake("2026-03-02 09:00")
    first, data = _signed_result(d, settings, tmp_path, 1)
    second, _ = _signed_result(d, settings, tmp_path, 2)
    officer = login("officer")
    page = officer.get(f"/can-bo/ho-so/{d.code}/").text
    assert "Kết quả đã ký số" in page
    for issued in (first, second):
        assert f'href="/can-bo/ho-so/{d.code}/ket-qua/{issued.code}.pdf"' in page
        assert f'href="/xac-thuc/{issued.code}/"' in page
    response = officer.get(f"/can-bo/ho-so/{d.code}/ket-qua/{first.code}.pdf")
    assert response.status_code == 200 and response.content == data
    assert f"{first.code}.pdf" in response["Content-Disposition"]
    assert officer.get(f"/xac-thuc/{first.code}/").status_code == 200
    unknown = officer.get(f"/can-bo/ho-so/{d.code}/ket-qua/{d.code}-KQ9.pdf")
    assert unknown.status_code == 404


def test_signed_result_download_is_permission_checked(
    login, client, world, intake, settings, tmp_path
):
    d = intake("2026-03-02 09:00")
    issued, _ = _signed_result(d, settings, tmp_path)
    url = f"/can-bo/ho-so/{d.code}/ket-qua/{issued.code}.pdf"
    assert client.get(url).status_code == 302  # anonymous: the staff login page
    other = login("other_specialist")  # another ward
    assert other.get(url).status_code == 404
    assert "Kết quả đã ký số" not in other.get(f"/can-bo/ho-so/{d.code}/").text


def test_dossier_page_without_results_shows_no_result_links(login, world, intake):
    d = intake("2026-03-02 09:00")
    page = login("officer").get(f"/can-bo/ho-so/{d.code}/").text
    assert "Kết quả đã ký số" not in page and "/ket-qua/" not in page
