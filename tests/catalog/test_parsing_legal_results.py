"""Legal basis, result documents, applicant types and levels (snippets from the portal data)."""

import pytest

from motcua.catalog.parsing import (
    Level,
    find_numbers,
    parse_applicant_types,
    parse_legal,
    parse_levels,
    parse_results,
)
from motcua.catalog.parsing.legal import decision_number, parse_legal_rows

HEADER = "Tên văn bản pháp lýMã văn bản"
LEAK = (
    "Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ "
    "ngành-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã --Hệ thống chỉ hiển thị "
    "những cơ quan đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ"
)


def pairs(refs):
    return [(r.number, r.title) for r in refs]


def test_title_and_number_rows():
    # 1.013440
    text = (
        HEADER
        + "Thông tư quy định chi tiết một số điều của Luật Quản lý, sử dụng vũ khí, vật liệu "
        "nổ và công cụ hỗ trợ75/2024/TT-BCALuật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ "
        "trợ42/2024/QH15Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật "
        "Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ149/2024/NĐ-CP"
    )
    refs, warnings = parse_legal(text)
    assert [r.number for r in refs] == ["75/2024/TT-BCA", "42/2024/QH15", "149/2024/NĐ-CP"]
    assert refs[1].title == "Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ"
    assert warnings == []


def test_numbers_quoted_inside_titles_stay_in_the_title():
    # 1.014632
    text = (
        HEADER + "- Nghị định số 261/2025/NĐ-CP ngày 10/10/2025 của Chính phủ về sửa đổi Nghị định "
        "số 100/2024/NĐ-CP ngày 26/7/2024;261/2025/NĐ-CPThông tư số 05/2024/TT-BXD ngày 31 tháng 7 "
        "năm 2024 của Bộ trưởng Bộ Xây dựng;05/2024/TT-BXD"
    )
    refs, _ = parse_legal(text)
    assert [r.number for r in refs] == ["261/2025/NĐ-CP", "05/2024/TT-BXD"]
    assert "100/2024/NĐ-CP" in refs[0].title


def test_glued_repeated_numbers_and_law_prefix():
    # 1.012893, 1.012919, 3.000443
    refs, _ = parse_legal(HEADER + "Luật Nhà ở số 27/2023/QH1527/2023/QH15Nghị định 95/2024/NĐ-CP")
    assert pairs(refs) == [("27/2023/QH15", "Luật Nhà ở"), ("95/2024/NĐ-CP", "Nghị định")]
    refs, _ = parse_legal(
        HEADER + "Luật Các tổ chức tín dụngLuật số 32/2024/QH1550/2025/TT-NHNNsố 50/2025/TT-NHNN"
    )
    assert pairs(refs) == [("32/2024/QH15", "Luật Các tổ chức tín dụng"), ("50/2025/TT-NHNN", None)]
    refs, _ = parse_legal(HEADER + "Nghị định 11/2021/NĐ-CP11/2021/NĐ-CP44/2026/NĐ-CP44/2026/NĐ-CP")
    assert [r.number for r in refs] == ["11/2021/NĐ-CP", "44/2026/NĐ-CP"]


def test_number_glued_after_a_year_and_unusual_separators():
    # 1.014135, 1.005071
    refs, _ = parse_legal(
        HEADER + "Luật Bảo vệ môi trường số 72/2020/QH14 ngày 17 tháng 11 năm 202072/2020/QH14"
        "Thông tư số 198/2016/TT-BTC của Bộ Tài chính198/2016/TT/BTC"
    )
    assert [r.number for r in refs] == ["72/2020/QH14", "198/2016/TT/BTC"]


def test_number_glued_after_a_bare_year():
    # 1.005040: "...Luật 23/2004/QH11 2004" + "48/2014/QH13"
    refs, warnings = parse_legal(
        HEADER + "Giao thông đường thủy nội địa23/2004/QH11sửa đổi, bổ sung một số Điều của Luật "
        "23/2004/QH11 200448/2014/QH13"
    )
    assert pairs(refs) == [
        ("23/2004/QH11", "Giao thông đường thủy nội địa"),
        ("48/2014/QH13", "sửa đổi, bổ sung một số Điều của Luật 23/2004/QH11 2004"),
    ]
    assert warnings == []


def test_text_without_number_is_kept_and_warned():
    # 3.000149: the code column lost its issuer
    refs, warnings = parse_legal(HEADER + "Nghị định số 46/2020/NĐ-CP46/2020")
    assert pairs(refs) == [("46/2020/NĐ-CP", "Nghị định"), (None, "46/2020")]
    assert [w.code for w in warnings] == ["legal_without_number"]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Quyết định số 766/QĐ-TTg ngày 23/6/2022", ["766/QĐ-TTg"]),
        ("Thông tư số 01/2023/TT-VPCP ngày 05/4/2023", ["01/2023/TT-VPCP"]),
        ("Thông tư liên tịch 21/2008/TTLT- BQP-BLĐTBXH-BTC", ["21/2008/TTLT-BQP-BLĐTBXH-BTC"]),
        ("Nghị quyết số 66.7/2025/NQ-CP của Chính phủ", ["66.7/2025/NQ-CP"]),
        ("Thông tư 08/2017/TT-BTP - Quy định chi tiết", ["08/2017/TT-BTP"]),
        ("Luật 68/2020/QH14", ["68/2020/QH14"]),
        ("ngày 10/6/2020, tỷ lệ 1/2", []),
    ],
)
def test_find_numbers(text, numbers):
    assert [n for n, _, _ in find_numbers(text)] == numbers


def test_structured_legal_rows():
    # bqp: so_ky_hieu may be only the leading number
    rows = [
        {
            "so_ky_hieu": "12",
            "trich_yeu": "Quyết định số 12/2021/QĐ-TTg ngày 24/3/2021 của Thủ tướng Chính phủ",
            "ngay_ban_hanh": "24-03-2021",
            "co_quan_ban_hanh": "Thủ tướng Chính phủ",
        },
        {
            "so_ky_hieu": "Thông tư số 104/2024/TT-BQP",
            "trich_yeu": "Thông tư thay thế",
            "ngay_ban_hanh": "",
        },
    ]
    refs = parse_legal_rows(rows)
    assert [(r.number, r.issued_on, r.issuer) for r in refs] == [
        ("12/2021/QĐ-TTg", "24-03-2021", "Thủ tướng Chính phủ"),
        ("104/2024/TT-BQP", None, None),
    ]


def test_decision_number():
    assert decision_number("Quyết định số 6225/QĐ-BQP") == "6225/QĐ-BQP"
    assert decision_number("2628/QĐ-BTC") == "2628/QĐ-BTC"
    assert decision_number("Không có thông tin") is None


def test_results_with_codes_and_leaked_page_text():
    # 1.009183
    text = "Quyết định thu hồi Giấy phépMã: KQ.G02.000334văn bản từ chốiMã: KQ.G02.000560" + LEAK
    docs, keywords, description, warnings = parse_results(text)
    assert [(d.name, d.code) for d in docs] == [
        ("Quyết định thu hồi Giấy phép", "KQ.G02.000334"),
        ("văn bản từ chối", "KQ.G02.000560"),
    ]
    assert keywords is None and description is None
    assert warnings == []


def test_result_description_is_kept():
    # 1.012893
    text = (
        "Quyết định bán nhà ở cũ thuộc sở hữu nhà nướcMã: KQ.G17.000039Từ khóaKhông có thông tin"
        "Mô tả- Cơ quan có thẩm quyền quyết định: \n+ Ủy ban nhân dân cấp tỉnh"
        "Chọn cơ quan thực hiện"
    )
    docs, _, description, _ = parse_results(text)
    assert docs[0].code == "KQ.G17.000039"
    assert description == "- Cơ quan có thẩm quyền quyết định:\n+ Ủy ban nhân dân cấp tỉnh"


@pytest.mark.parametrize(
    ("text", "code", "unusual"),
    [
        (
            "Giấy phép, năng định người lái tàu bayMã: 000.00.00.G04-KQ0345Từ khóa",
            "000.00.00.G04-KQ0345",
            False,
        ),
        ("Văn bản tố tụng của Tòa ánMã: VBTTTừ khóaKhông có thông tin", "VBTT", True),
        ("Quyết định đăng ký tập sựMã: sfbkjasTừ khóaKhông có thông tin", "sfbkjas", True),
        ("Mã số cơ sở chăn nuôi.Mã: Chưa xác địnhTừ khóa", "Chưa xác định", True),
    ],
)
def test_result_codes(text, code, unusual):
    docs, _, _, warnings = parse_results(text)
    assert docs[0].code == code
    assert ("result_code_unusual" in {w.code for w in warnings}) is unusual


def test_applicant_types_keep_bracketed_commas_and_portal_categories():
    text = (
        "Tổ chức (không bao gồm doanh nghiệp, HTX), Doanh nghiệp có vốn đầu tư nước ngoài, "
        "Cán bộ, công chức, viên chức, Công dân Việt Nam, Doanh nghiệp"
    )
    assert parse_applicant_types(text) == (
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
        "Doanh nghiệp có vốn đầu tư nước ngoài",
        "Cán bộ, công chức, viên chức",
        "Công dân Việt Nam",
        "Doanh nghiệp",
    )
    assert parse_applicant_types("Không có thông tin") == ()


def test_levels():
    assert parse_levels("Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác") == (
        (Level.MINISTRY, Level.PROVINCE, Level.COMMUNE, Level.OTHER),
        [],
    )
    assert parse_levels("Cấp Bộ, Cấp Tỉnh, Cấp Xã")[0] == (
        Level.MINISTRY,
        Level.PROVINCE,
        Level.COMMUNE,
    )
    levels, warnings = parse_levels("Cấp huyện, Cấp thôn")
    assert levels == (Level.DISTRICT,)
    assert [w.code for w in warnings] == ["level_unknown"]
