"""Dossier components and form file names (snippets copied from the portal data)."""

import pytest

from motcua.catalog.parsing import parse_components, split_forms

HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"


def codes(warnings):
    return sorted({w.code for w in warnings})


def test_no_case_heading_and_counts():
    # 1.014910
    text = (
        "--" + HEADER + "Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ xử lý dữ "
        "liệu cá nhân1 bản chính- Bản sao giấy chứng nhận đăng ký doanh nghiệp0 bản chính,1 bản sao"
    )
    (group,), warnings = parse_components(text)
    assert group.case is None
    assert [(d.name, d.originals, d.copies) for d in group.documents] == [
        (
            "Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ xử lý dữ liệu cá nhân",
            1,
            0,
        ),
        ("- Bản sao giấy chứng nhận đăng ký doanh nghiệp", 0, 1),
    ]
    assert group.documents[1].raw.endswith("0 bản chính,1 bản sao")
    assert warnings == []


def test_several_cases():
    # 1.005100: the next case heading is glued after the last count of the previous one
    text = (
        "(1) Đối với trường hợp cá nhân tư vấn, hồ sơ bao gồm:" + HEADER + "- Sơ yếu lý lịch và hồ "
        "sơ tóm tắt năng lực;1 bản chính- Bản sao có chứng thực văn bằng đào tạo;0 bản chính,1 bản "
        "sao(2) Đối với trường hợp tổ chức tư vấn:"
        + HEADER
        + "- Đơn đăng ký tham gia mạng lưới tư "
        "vấn viên;1 bản chính,1 bản sao"
    )
    groups, warnings = parse_components(text)
    assert [g.case for g in groups] == [
        "(1) Đối với trường hợp cá nhân tư vấn, hồ sơ bao gồm",
        "(2) Đối với trường hợp tổ chức tư vấn",
    ]
    assert [len(g.documents) for g in groups] == [2, 1]
    doc = groups[1].documents[0]
    assert (doc.name, doc.originals, doc.copies) == (
        "- Đơn đăng ký tham gia mạng lưới tư vấn viên;",
        1,
        1,
    )
    assert warnings == []


def test_counts_inside_names_are_not_counts():
    # 1.000005: "01 bản chụp", "(01 bản chính ...)" and "nộp 02 bản chính tờ khai" are text
    text = (
        "--" + HEADER + "a) Tờ khai hải quan: người khai hải quan khai và nộp 02 bản chính tờ khai "
        "hàng hóa nhập khẩu theo mẫu HQ/2015/NK;1 bản chínhHợp đồng bảo đảm (01 bản chính hoặc 01 "
        "bản sao có chứng thực)0 bản chính,1 bản saoh) Giấy phép nhập khẩu đối với hàng hóa "
        "phải có giấy phép nhập khẩu: 01 bản chính1 bản chính"
    )
    (group,), _ = parse_components(text)
    assert [(d.originals, d.copies) for d in group.documents] == [(1, 0), (0, 1), (1, 0)]
    assert "nộp 02 bản chính tờ khai" in group.documents[0].name
    assert (
        group.documents[1].name == "Hợp đồng bảo đảm (01 bản chính hoặc 01 bản sao có chứng thực)"
    )
    assert group.documents[2].name.endswith("giấy phép nhập khẩu: 01 bản chính")


def test_digits_glued_before_a_count_belong_to_the_name():
    # 1.007896 "... ngày 31/5/2023" + "1 bản chính"
    text = "--" + HEADER + "Tờ khai theo Thông tư số 33/2023/TT-BTC ngày 31/5/20231 bản chính"
    (group,), _ = parse_components(text)
    (doc,) = group.documents
    assert doc.name.endswith("ngày 31/5/2023")
    assert doc.originals == 1


def test_form_files_are_split_from_names():
    # 1.000055
    text = (
        "--" + HEADER + "- Bản chính Tờ trình đề nghị phê duyệt theo Mẫu số 04 hoặc Mẫu số 05 Phụ "
        "lục III ban hành kèm theo Thông tư số 16/2025/TT-BNNMT...Mus04.docxMus05.docx1 bản chính"
    )
    (group,), warnings = parse_components(text)
    (doc,) = group.documents
    assert doc.forms == ("Mus04.docx", "Mus05.docx")
    assert doc.name.endswith("Thông tư số 16/2025/TT-BNNMT...")
    assert warnings == []


@pytest.mark.parametrize(
    ("text", "name", "forms"),
    [
        (
            "Giấy đề nghị hợp nhất công ty luậtMẫu TP-LS-28-sđ.docx",
            "Giấy đề nghị hợp nhất công ty luật",
            ("Mẫu TP-LS-28-sđ.docx",),
        ),
        (
            "Tờ khai (mẫu NA5) ban hành kèm theo Thông tư số 22/2023/TT-BCA ngày 30/6/2023."
            "NA5 (1).doc",
            "Tờ khai (mẫu NA5) ban hành kèm theo Thông tư số 22/2023/TT-BCA ngày 30/6/2023.",
            ("NA5 (1).doc",),
        ),
        (
            "Phụ lục III ban hành kèm theo Nghị định số 33/2026/NĐ-CP.Mus13-PhlcIII.docx",
            "Phụ lục III ban hành kèm theo Nghị định số 33/2026/NĐ-CP.",
            ("Mus13-PhlcIII.docx",),
        ),
        (
            "Đơn đề nghị cấp thẻ ABTC;Ms02.DT.docx",
            "Đơn đề nghị cấp thẻ ABTC;",
            ("Ms02.DT.docx",),
        ),
        (
            "Tờ khai phí khác thuộc ngân sách nhà nước theo mẫu số 01/PH",
            "Tờ khai phí khác thuộc ngân sách nhà nước theo mẫu số 01/PH",
            (),
        ),
    ],
)
def test_split_forms(text, name, forms):
    assert split_forms(text) == (name, forms)


def test_no_counts_at_all():
    # 1.001521: the field holds steps text (a field shifted on the portal page)
    text = "); nộp hồ sơ cho cơ quan BHXH.\nBước 2. Cơ quan BHXH tiếp nhận hồ sơ và giải quyết"
    groups, warnings = parse_components(text)
    assert groups == []
    assert codes(warnings) == ["components_leftover", "no_components"]


def test_placeholder_gives_no_components():
    groups, warnings = parse_components("Không có thông tin")
    assert groups == []
    assert codes(warnings) == ["no_components"]
