"""The procedure page: everything a citizen needs to prepare a dossier."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse

from .data import enrich

URL = "/thu-tuc-hanh-chinh/1.001193/"


def page(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response.text


def test_url_name(db):
    assert reverse("portal:procedure", args=["1.004873.H87"]) == (
        "/thu-tuc-hanh-chinh/1.004873.H87/"
    )


def test_checklist_with_original_and_copy_counts_and_forms(client, catalogue):
    enrich(catalogue["khai_sinh"])
    text = page(client)
    assert "<h1>Đăng ký khai sinh</h1>" in text
    assert "Thành phần hồ sơ" in text
    rows = re.findall(
        r"<tr>\s*<td class=\"num\">(\d)</td>\s*<td>([^<]+).*?"
        r"<td class=\"num\">(\d)</td>\s*<td class=\"num\">(\d)</td>",
        text,
        re.S,
    )
    assert [(n, name.strip(), o, c) for n, name, o, c in rows] == [
        ("1", "Tờ khai đăng ký khai sinh", "1", "0"),
        ("2", "Giấy chứng sinh", "1", "2"),
    ]
    # An uploaded form is a download link; one without a file shows its name only.
    assert re.search(r'href="/bieu-mau/\d+/" download', text)
    assert "Mẫu giấy chứng sinh.pdf</a>" in text
    assert 'Mẫu tờ khai.docx <span class="optional">(chưa có tệp tải về)</span>' in text


def test_time_and_fees_per_channel(client, catalogue):
    enrich(catalogue["khai_sinh"])
    text = page(client)
    assert re.search(r"Trực tiếp</th>\s*<td>3 ngày làm việc</td>\s*<td>Miễn lệ phí</td>", text)
    assert re.search(
        r"Trực tuyến</th>\s*<td>2,5 ngày làm việc</td>\s*<td>Lệ phí: 50.000 đồng", text
    )


def test_where_to_submit_uses_offerings_then_published_address(client, catalogue):
    enrich(catalogue["khai_sinh"])
    text = page(client)
    assert "UBND phường Bến Thành</strong> — Quầy số 3, 92 Nam Kỳ Khởi Nghĩa" in text
    assert "028 3823 0000" in text
    # Without an offering the published receiving address is shown.
    enrich(catalogue["khai_tu"])
    other = client.get("/thu-tuc-hanh-chinh/1.000656/").text
    assert "Bộ phận Một cửa UBND cấp xã" in other


def test_texts_legal_basis_results_and_applicants(client, catalogue):
    enrich(catalogue["khai_sinh"])
    text = page(client)
    for expected in (
        "Công dân Việt Nam",
        "Trẻ em sinh ra còn sống.",
        "Bước 2: Nhận kết quả.",
        "<strong>60/2014/QH13</strong> — Luật Hộ tịch",
        "Giấy khai sinh (mã KQ.G12.000327)",
        "1872/QĐ-BTP",
        "Cấp xã",
    ):
        assert expected in text


def test_online_button_opens_the_submission_form(client, catalogue):
    text = page(client)  # online class "full"
    assert '<a class="button" href="/nop-ho-so/1.001193/">Nộp hồ sơ trực tuyến</a>' in text
    partial = client.get("/thu-tuc-hanh-chinh/1.000894/").text
    assert "Nộp hồ sơ trực tuyến</a>" in partial
    none = client.get("/thu-tuc-hanh-chinh/2.000815/").text
    assert "Nộp hồ sơ trực tuyến" not in none


def test_print_stylesheet_hides_navigation_and_buttons(client, catalogue):
    text = page(client)
    assert '<link rel="stylesheet" href="/static/portal/portal.css">' in text
    css = Path(finders.find("portal/portal.css")).read_text(encoding="utf-8")
    print_rules = css.split("@media print")[1]
    for selector in ("header.site", "nav", "form", ".button", "button", ".no-print"):
        assert selector in print_rules.split("{")[1]
    assert 'class="actions no-print"' in text


def test_unknown_code_is_a_vietnamese_404(client, catalogue):
    response = client.get("/thu-tuc-hanh-chinh/0.000000/")
    assert response.status_code == 404
    assert "Không tìm thấy thủ tục" in response.text
    assert "0.000000" in response.text
    assert 'href="/thu-tuc-hanh-chinh/"' in response.text


def test_drafts_and_flagged_have_no_page(client, catalogue):
    assert client.get("/thu-tuc-hanh-chinh/9.999999/").status_code == 404
    assert client.get("/thu-tuc-hanh-chinh/9.999998/").status_code == 404


def test_semantic_structure_and_headings(client, catalogue):
    enrich(catalogue["khai_sinh"])
    text = page(client)
    assert '<html lang="vi">' in text
    assert 'class="skip" href="#main"' in text and '<main id="main">' in text
    assert "<header" in text and "<nav" in text
    levels = [int(n) for n in re.findall(r"<h([1-6])", text)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
