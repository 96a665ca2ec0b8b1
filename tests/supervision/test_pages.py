"""The staff pages (/giam-sat/) and the public statistics (/thong-ke/), with pinned query
counts that do not grow with the number of dossiers."""

import csv
import io
import json
import unicodedata

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.worktime.queries import calendar_for

from . import fixed

pytestmark = pytest.mark.django_db

REPORT = {"agency": "", "day_from": "2026-03-09", "day_to": "2026-03-13", "group_by": "field"}
#: session, user, grants, navigation counts, agencies, sums, open dossiers, field names
REPORT_QUERIES = 8
#: monthly sums, index inputs of every agency (sums, online procedures, open dossiers,
#: offerings, published versions), agencies, points groups, points indicators
PUBLIC_QUERIES = 9
#: session, user, grants, navigation counts, agencies, index inputs (sums, online procedures,
#: open dossiers, offerings, published versions), points (2)
INDEX_QUERIES = 12


@pytest.fixture
def march(driver):
    return fixed.build(driver)


@pytest.fixture
def staff(client, world):
    def as_(name):
        client.force_login(world[name])
        return client

    return as_


def _report_params(world, **extra):
    return {**REPORT, "agency": world["agency"].pk, **extra}


def test_the_report_page_shows_the_numbers_with_links(world, march, staff, clock):
    clock("2026-03-20 10:00")
    page = staff("supervisor").get("/giam-sat/bao-cao/", _report_params(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Số hồ sơ nhận giải quyết" in html and "Hộ tịch" in html
    assert 'rowspan="3"' in html and 'colspan="7"' in html
    assert f"group={world['version'].field_id}&amp;level=commune&amp;metric=overdue" in html
    assert "rebuild-stats" not in html  # every row is balanced


def test_the_report_defaults_to_this_month(world, march, staff, clock):
    clock("2026-03-20 10:00")
    page = staff("supervisor").get("/giam-sat/bao-cao/")
    assert page.status_code == 200
    assert page.context["report"].period.first.isoformat() == "2026-03-01"


def test_a_number_opens_the_list_of_its_dossiers(world, march, staff, clock):
    clock("2026-03-20 10:00")
    params = _report_params(
        world, metric="overdue", group=world["version"].field_id, level="commune"
    )
    page = staff("supervisor").get("/giam-sat/bao-cao/ho-so/", params)
    assert page.status_code == 200
    codes = {d.code for d in page.context["page"].object_list}
    assert codes == {march["D"].code, march["G"].code}
    assert march["D"].applicant_name not in page.content.decode()
    bad = staff("supervisor").get("/giam-sat/bao-cao/ho-so/", {**params, "metric": "nope"})
    assert bad.status_code == 404


def test_the_excel_download(world, march, staff, clock):
    clock("2026-03-20 10:00")
    response = staff("supervisor").get("/giam-sat/bao-cao/xlsx/", _report_params(world))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bieu-06-000.21.26.H29-20260309-20260313.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["C12"].value == 10


def test_the_index_page(world, march, staff, clock):
    clock("2026-03-20 10:00")
    page = staff("supervisor").get("/giam-sat/chi-so-766/", _report_params(world))
    html = page.content.decode()
    assert page.status_code == 200
    # as in test_index766 without the results handed over and the catalogue completed:
    # 1.3 0 + 2.1 12 + 3.1 4 + 3.2 4 + 3.3 3 + 4.1 0 + 4.2 3.75 + 4.3 1.88 + 4.4 1 + 5.4 4
    assert "33,63 / 74 điểm đã đo được (trên tổng 100 điểm)" in html
    assert "Chưa đo được" in html and "metric=late_766" in html and "metric=not_reused" in html
    assert "Quý 1" in html and "day_from=2026-01-01&amp;day_to=2026-03-31" in html
    assert "<polyline" not in html  # one month: no trend line


def test_access_needs_a_supervision_role_in_scope(world, march, staff, make_user, roles, client):
    assert client.get("/giam-sat/bao-cao/").status_code == 302  # to the staff login
    assert staff("specialist").get("/giam-sat/bao-cao/").status_code == 403
    make_user("gs-b", roles.SUPERVISOR, world["org"]["b"]["agency"])
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="gs-b"))
    other = client.get("/giam-sat/bao-cao/ho-so/", _report_params(world, metric="received"))
    assert other.status_code == 404  # ward A is not among the agencies ward B's supervisor sees
    page = client.get("/giam-sat/bao-cao/", _report_params(world))
    assert "report" not in page.context or page.context.get("report") is None


def _dossiers(driver, n):
    for i in range(n):
        d = driver.receive(
            f"2026-03-{9 + i % 5:02d} 09:{i:02d}", channel=("counter", "online")[i % 2]
        )
        if i % 3 == 0:
            driver.resolve(
                d, f"2026-03-{9 + i % 5:02d} 09:{i:02d}", f"2026-03-{16 + i % 3:02d} 10:00"
            )


@pytest.mark.parametrize("n", [2, 12])
def test_report_and_index_queries_do_not_grow(
    world, driver, staff, clock, n, django_assert_num_queries
):
    _dossiers(driver, n)
    clock("2026-03-20 10:00")
    calendar_for(None)
    client = staff("supervisor")
    with django_assert_num_queries(REPORT_QUERIES):
        page = client.get("/giam-sat/bao-cao/", _report_params(world))
    assert page.context["report"].total.received == n
    with django_assert_num_queries(INDEX_QUERIES):
        page = client.get("/giam-sat/chi-so-766/", _report_params(world))
    assert page.context["index"].inputs.received == n


@pytest.mark.parametrize("n", [2, 12])
def test_public_page_queries_do_not_grow(
    world, driver, client, clock, n, django_assert_num_queries
):
    _dossiers(driver, n)
    clock("2026-03-20 10:00")
    with django_assert_num_queries(PUBLIC_QUERIES):
        page = client.get("/thong-ke/")
    assert page.status_code == 200
    [stats] = page.context["data"].agencies
    assert stats.month.received == n


def test_public_page_figures_chart_and_open_data(world, march, client, clock):
    clock("2026-03-20 10:00")
    page = client.get("/thong-ke/", {"co-quan": world["agency"].identifier})
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "TTPVHCC phường A" in html
    [stats] = page.context["data"].agencies
    # March so far: received A, C, D, E, F, G, H, I, K, L, M, B (12); ended A, B, C, H, I, L (6)
    assert (stats.month.received, stats.month.resolved, stats.month.online) == (12, 6, 2)
    assert str(stats.year.on_time_rate) == "83.3"  # 5 of 6 ended early or on time (C was late)
    for letter in "ACDM":
        assert (
            march[letter].applicant_name not in html
            and march[letter].applicant_id_number not in html
        )
    assert len(page.context["chart"].bars) == 24

    data = json.loads(client.get("/thong-ke/du-lieu.json").content)
    assert data["schema"] == "motcua.public-stats/2" and data["month"] == "2026-03"
    [agency] = data["agencies"]
    assert agency["identifier"] == "000.21.26.H29"
    assert agency["month"]["received"] == 12 and len(agency["monthly"]) == 12
    measured = {"1.1", "1.2", "1.3", "2.1", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "4.4"}
    measured |= {"5.4"}
    assert {i["code"] for i in agency["index766"]["indicators"]} == measured
    assert "Nguyễn" not in json.dumps(data, ensure_ascii=False)

    rows = list(csv.DictReader(io.StringIO(client.get("/thong-ke/du-lieu.csv").content.decode())))
    assert len(rows) == 13 and rows[-1]["period_type"] == "year" and rows[-1]["period"] == "2026"
    assert rows[-2]["period"] == "2026-03" and rows[-2]["received"] == "12"
    assert float(rows[-1]["index766_score"]) == agency["index766"]["score"]


@pytest.fixture
def handed(driver, march):
    return fixed.hand_over(driver, march)


def test_public_satisfaction_rate_without_anything_personal(world, handed, client, clock):
    clock("2026-03-20 10:00")
    page = client.get("/thong-ke/")
    html = page.content.decode()
    [stats] = page.context["data"].agencies
    # A rated satisfied, C dissatisfied → 1 of 2
    assert (stats.year.rated, stats.year.satisfied, str(stats.year.satisfaction_rate)) == (
        2,
        1,
        "50.0",
    )
    assert "Tỷ lệ hài lòng" in html and "50,0%" in html
    data = json.loads(client.get("/thong-ke/du-lieu.json").content)
    year = data["agencies"][0]["year"]
    assert (year["rated"], year["rated_satisfied"], year["satisfaction_rate"]) == (2, 1, 50.0)
    rows = list(csv.DictReader(io.StringIO(client.get("/thong-ke/du-lieu.csv").content.decode())))
    assert rows[-1]["satisfaction_rate"] == "50.0" and rows[-2]["rated"] == "2"
    text = html + json.dumps(data, ensure_ascii=False)
    for d in handed.values():
        assert d.applicant_name not in text and d.applicant_id_number not in text
        assert d.display_code not in text


def test_the_report_as_pdf(world, march, staff, clock):
    clock("2026-03-20 10:00")
    response = staff("supervisor").get("/giam-sat/bao-cao/pdf/", _report_params(world))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "bieu-06-000.21.26.H29-20260309-20260313.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    assert round(float(page.mediabox.width)) == 842 and round(float(page.mediabox.height)) == 595
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in reader.pages))
    for words in (
        "Biểu số 06/VPCP/KSTT",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "từ ngày 09/03/2026 đến ngày 13/03/2026",
        "Số hồ sơ nhận giải quyết",
        "Kết quả giải quyết",
        "Số hồ sơ đang giải quyết",
        "(3)=(4)+(5)+(6)",
        "Hộ tịch",
        "Tổng cộng",
    ):
        assert words in text, words
    # the total line: received 10 = online 2 + direct 6 + carried 2; resolved 4 = 2 + 1 + 1;
    # pending 6 = within 4 + overdue 2
    assert "Tổng cộng 10 2 6 2 4 2 1 1 6 4 2" in " ".join(text.split())


def test_the_ranking_and_the_trend(world, march, staff, clock, make_user, roles):
    clock("2026-03-20 10:00")
    client = staff("supervisor")
    params = _report_params(world, day_from="2026-01-01", day_to="2026-03-31")
    page = client.get("/giam-sat/chi-so-766/", params)
    html = page.content.decode()
    assert [r.period.first.month for r in page.context["trend"]] == [1, 2, 3]
    assert "<polyline" in html and "Diễn biến tổng điểm theo tháng" in html
    march_total = page.context["trend"][-1].total
    assert march_total > 0
    ranked = client.get("/giam-sat/chi-so-766/xep-hang/", params)
    assert ranked.status_code == 200
    [first] = ranked.context["ranked"]
    assert first.position == 1 and first.agency == world["agency"]
    assert "TTPVHCC phường A" in ranked.content.decode()
