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
