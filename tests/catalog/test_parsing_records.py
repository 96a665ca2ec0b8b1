"""Whole records from the fixtures (real portal and bqp records), shared pages, commune rule."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from motcua.catalog.parsing import (
    WARNING_CODES,
    Channel,
    FeeKind,
    Level,
    TimeUnit,
    commune_evidence,
    find_shared_pages,
    is_commune_procedure,
    parse_any,
    parse_bqp_record,
    parse_record,
    shared_page_groups,
)

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = {"2.001428", "3.000226", "3.000243"}


def load(name):
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


DVCQG = {r["ma_thu_tuc"]: r for r in load("dvcqg_sample.jsonl")}
BQP = {r["thu_tuc_id"]: r for r in load("bqp_sample.jsonl")}


@pytest.fixture(scope="module")
def parsed():
    return {code: parse_record(raw) for code, raw in DVCQG.items()}


def test_every_fixture_parses_keeps_its_raw_record_and_uses_known_codes():
    for raw in [*DVCQG.values(), *BQP.values()]:
        result = parse_any(raw)
        assert result.raw == raw
        assert result.code
        assert result.warning_codes() <= WARNING_CODES.keys()
    assert parse_any(BQP["1.013124"]).source == "bqp"
    assert parse_any(DVCQG["1.001193"]).source == "dvcqg"


def test_birth_registration(parsed):
    p = parsed["1.001193"]
    assert p.name == "Thủ tục đăng ký khai sinh"
    assert p.decision == "163/QĐ-BTP"
    assert p.levels == (Level.COMMUNE,)
    assert p.field_name == "Hộ tịch"
    assert p.applicant_types == ("Công dân Việt Nam", "Người Việt Nam định cư ở nước ngoài")
    assert p.implementing_agency is None  # "Không có thông tin"
    assert [(c.channel, c.time_value, c.time_unit) for c in p.channels] == [
        (Channel.ONLINE, Decimal(1), None),
        (Channel.POSTAL, Decimal(1), None),
        (Channel.COUNTER, Decimal(1), None),
    ]
    assert all(c.fees[0].kind is FeeKind.FREE for c in p.channels)
    assert [g.case for g in p.component_groups][:3] == [
        "* Giấy tờ phải nộp",
        "* Giấy tờ phải xuất trình",
        "* Lưu ý",
    ]
    first = p.component_groups[0].documents[0]
    assert first.name.startswith("- Trường hợp trẻ em bị bỏ rơi")
    assert (first.originals, first.copies) == (1, 0)
    assert [(r.name, r.code) for r in p.results] == [("Giấy khai sinh", "KQ.G15.000031")]
    assert p.legal_basis[0].number == "85/2019/TT-BTC"
    assert p.warning_codes() == {"time_without_unit"}
    assert p.steps.startswith("- Nếu lựa chọn hình thức nộp hồ sơ trực tiếp")
    assert p.raw["cach_thuc_thuc_hien"] == DVCQG["1.001193"]["cach_thuc_thuc_hien"]


def test_commune_procedures(parsed):
    # Agency names the commune People's Committee (with \xa0 in the published text)
    marriage = parsed["1.000894"]
    assert marriage.implementing_agency == "Ủy ban Nhân dân xã, phường, thị trấn."
    assert commune_evidence(marriage) == "agency"
    # Công an cấp xã
    assert commune_evidence(parsed["1.004222"]) == "agency"
    # No agency published at all: the steps name the Ủy ban nhân dân cấp xã
    assert commune_evidence(parsed["1.001193"]) == "steps"
    assert not is_commune_procedure(parsed["1.001193"], use_steps=False)
    # "Cấp xã" alone is not enough: customs (Chi cục Hải quan) use it
    customs = parsed["1.000005"]
    assert customs.levels == (Level.COMMUNE,)
    assert customs.competent_agency == "Chi cục Hải quan khu vực"
    assert not is_commune_procedure(customs)
    assert not is_commune_procedure(parsed["1.009067"])


def test_customs_record_with_time_glued_to_fee_and_cases(parsed):
    p = parsed["1.000005"]
    (online,) = p.channels
    assert (online.channel, online.time_value, online.time_unit) == (Channel.ONLINE, 1, None)
    assert online.fees[0].amount_vnd == 20000
    assert [g.case for g in p.component_groups] == [
        "1. Chứng từ phải nộp",
        "2. Hồ sơ hải quan đối với xuất khẩu xăng dầu, hóa chất, khí",
        "3. Hồ sơ hải quan đối với tái xuất xăng dầu, hóa chất, khí",
    ]
    assert [len(g.documents) for g in p.component_groups] == [8, 8, 3]
    assert p.warning_codes() == {"time_fee_fused"}


def test_small_fees_are_kept_and_flagged(parsed):
    p = parsed["1.002398"]
    assert {c.fees[0].amount_vnd for c in p.channels} == {50}
    assert {w.code for w in p.warnings} == {"fee_small"}
    p = parsed["2.002057"]
    assert [(c.channel, c.fees[0].kind, c.fees[0].amount_vnd) for c in p.channels] == [
        (Channel.ONLINE, FeeKind.FEE, 100),
        (Channel.POSTAL, FeeKind.FEE, 100),
        (Channel.COUNTER, FeeKind.CHARGE, 25),
    ]


def test_several_fees_and_several_rows(parsed):
    fees = parsed["1.002681"].channels[0].fees
    assert [(f.kind, f.amount_vnd) for f in fees] == [
        (FeeKind.FEE, 800000),
        (FeeKind.CHARGE, 100000),
    ]
    rows = parsed["1.005071"].channels
    assert [(c.channel, c.time_value, c.time_unit, c.fees[0].kind) for c in rows] == [
        (Channel.ONLINE, 3, TimeUnit.WORKING_DAYS, FeeKind.CHARGE),
        (Channel.POSTAL, 3, TimeUnit.WORKING_DAYS, FeeKind.CHARGE),
        (Channel.COUNTER, 3, TimeUnit.WORKING_DAYS, FeeKind.CHARGE),
        (Channel.ONLINE, 3, TimeUnit.DAYS, FeeKind.FEE),
        (Channel.COUNTER, 3, TimeUnit.DAYS, FeeKind.FEE),
        (Channel.POSTAL, 3, TimeUnit.DAYS, FeeKind.FEE),
    ]
    assert len(parsed["1.001471"].channels) == 6


def test_missing_and_textual_times(parsed):
    assert {(c.time_value, c.time_unit) for c in parsed["1.004724"].channels} == {(None, None)}
    assert {c.time_text for c in parsed["1.014976"].channels} == {"Không"}
    assert parsed["1.014976"].warning_codes() == {"time_missing", "fee_missing"}
    assert parsed["1.009824"].warning_codes() == {"time_unparsed", "fee_missing"}
    hours = parsed["1.009067"].channels[0]
    assert (hours.time_value, hours.time_unit) == (1, TimeUnit.WORKING_HOURS)
    months = parsed["1.001010"].channels[0]
    assert (months.time_value, months.time_unit, months.fees[0].currency) == (
        6,
        TimeUnit.MONTHS,
        "USD",
    )


def test_forms_and_cases(parsed):
    docs = parsed["1.000055"].documents
    assert [d.forms for d in docs] == [
        (),
        ("Mus04.docx", "Mus05.docx"),
        (),
        ("Mus01.docx", "PhlcIV.docx"),
    ]
    assert docs[3].name.startswith("- Phương án quản lý rừng bền vững theo Mẫu số 01")
    assert parsed["1.003326"].documents[-1].forms == ("NA5 (1).doc",)
    assert [g.case for g in parsed["1.013994"].component_groups] == [
        "a) Đối với trường hợp đất để thực hiện dự án chưa được cấp Giấy chứng nhận",
        "b) Đối với trường hợp đất để thực hiện dự án đã được cấp Giấy chứng nhận",
    ]


def test_applicants_results_and_field_shift(parsed):
    p = parsed["1.012893"]
    assert p.applicant_types == ("Cán bộ, công chức, viên chức",)
    assert p.result_description.startswith("- Cơ quan có thẩm quyền quyết định:")
    assert [r.code for r in parsed["1.009183"].results] == ["KQ.G02.000334", "KQ.G02.000560"]
    assert parsed["1.013808"].results[0].code == "sfbkjas"
    assert "result_code_unusual" in parsed["1.013808"].warning_codes()
    broken = parsed["1.001521"]  # thanh_phan_ho_so holds steps text
    assert broken.component_groups == ()
    assert {"no_components", "components_leftover"} <= broken.warning_codes()
    assert len(broken.results) == 5


def test_shared_pages_are_found():
    records = list(DVCQG.values())
    assert find_shared_pages(records) == SHARED
    (codes,) = shared_page_groups(records).values()
    assert set(codes) == SHARED
    # Works on parsed records too
    assert find_shared_pages([parse_record(r) for r in records]) == SHARED


def test_same_url_with_different_content_is_not_a_shared_page():
    a, b = copy.deepcopy(DVCQG["2.001428"]), copy.deepcopy(DVCQG["3.000226"])
    b["ten_thu_tuc"] = "Một thủ tục khác"
    assert find_shared_pages([a, b]) == set()
    assert find_shared_pages([a]) == set()


def test_bqp_record():
    p = parse_bqp_record(BQP["1.013124"])
    assert p.source == "bqp"
    assert p.code == "1.013124"
    assert p.decision == "6225/QĐ-BQP"
    assert p.levels == (Level.MINISTRY,)
    assert [(c.channel, c.time_value, c.time_unit) for c in p.channels] == [
        (Channel.COUNTER, 30, TimeUnit.WORKING_DAYS),
        (Channel.ONLINE, 30, TimeUnit.WORKING_DAYS),
        (Channel.POSTAL, 30, TimeUnit.WORKING_DAYS),
    ]
    fee = p.channels[0].fees[0]
    assert (fee.kind, fee.amount_vnd, fee.label) == (FeeKind.FREE, 0, "phí")
    assert p.channels[1].description == "hoặc bằng các hình thức phù hợp khác"
    assert [(d.originals, d.copies, d.forms) for d in p.documents] == [
        (1, 0, ()),
        (1, 0, ("5-PHLCII.doc",)),
    ]
    (ref,) = p.legal_basis
    assert (ref.number, ref.issued_on, ref.issuer) == (
        "12/2021/QĐ-TTg",
        "24-03-2021",
        "Thủ tướng Chính phủ",
    )
    assert [r.name for r in p.results] == ["Quyết định phê duyệt kế hoạch ứng phó sự cố tràn dầu."]
    assert p.coordinating_agency is None  # "Không có thông tin"
    assert p.warnings == ()


def test_bqp_usd_fees_zero_time_and_commune_agency():
    p = parse_bqp_record(BQP["1.013563"])
    (counter,) = p.channels
    assert (counter.time_value, counter.time_unit) == (0, TimeUnit.WORKING_HOURS)
    assert [(f.kind, f.amount, f.currency) for f in counter.fees] == [
        (FeeKind.CHARGE, Decimal(5), "USD"),
        (FeeKind.CHARGE, Decimal("1.5"), "USD"),
    ]
    assert p.warning_codes() == {"time_zero"}
    q = parse_bqp_record(BQP["1.013151"])
    assert {(c.time_text, c.time_value) for c in q.channels} == {("Không quy định", None)}
    assert q.warning_codes() == {"time_missing"}
    assert q.documents[0].forms == ("Mu3B-phlc1.docx", "Mu3A-phlc1.docx", "Mu4-Phlc1.docx")
    assert commune_evidence(q) == "agency"  # Ủy ban nhân dân cấp xã
