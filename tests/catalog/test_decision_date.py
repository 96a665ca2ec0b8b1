"""The publication decision's date (ngày ban hành quyết định công bố): parsed when the national
data gives it, asked when publishing, recorded once for versions published without it."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog import services
from motcua.catalog.importer import import_procedures
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.parsing import parse_any
from motcua.catalog.parsing.legal import decision_date

from .factories import make_version
from .test_importer import FIXTURES

pytestmark = pytest.mark.django_db
BASE = "/quan-tri/catalog/procedureversion"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quyết định số 123/QĐ-UBND ngày 05/3/2025", dt.date(2025, 3, 5)),
        ("45/QĐ-UBND ngày 5 tháng 3 năm 2025", dt.date(2025, 3, 5)),
        ("Quyết định 7/QĐ-BTP ngày 31-12-2024", dt.date(2024, 12, 31)),
        ("2628/QĐ-BTC", None),  # what the national portal gives: the number only
        ("Quyết định số 6225/QĐ-BQP", None),
        ("1/QĐ-UBND ngày 31/02/2025", None),  # no such day
        ("Không có thông tin", None),
        (None, None),
    ],
)
def test_decision_date_is_read_from_the_decision_text(text, expected):
    assert decision_date(text) == expected


def test_the_national_records_carry_no_decision_date():
    for name in ("dvcqg_sample.jsonl", "bqp_sample.jsonl"):
        for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
            parsed = parse_any(json.loads(line))
            assert parsed.decision and parsed.decision_date is None


def test_the_importer_stores_a_date_the_record_gives(tmp_path):
    line = (FIXTURES / "dvcqg_sample.jsonl").read_text(encoding="utf-8").splitlines()[0]
    record = json.loads(line)
    record["so_quyet_dinh"] = "Quyết định số 2628/QĐ-BTC ngày 20/8/2025"
    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "one.jsonl").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert import_procedures([folder]).failed == 0
    version = ProcedureVersion.objects.get(procedure__code=record["ma_thu_tuc"])
    assert (version.decision_number, version.decision_date) == (
        "2628/QĐ-BTC",
        dt.date(2025, 8, 20),
    )


def test_publishing_records_the_decision_date_and_a_new_draft_clears_it():
    draft = services.new_draft(make_version())
    now = dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC)
    services.publish(
        draft,
        decision_number="15/QĐ-UBND",
        decision_date=dt.date(2026, 3, 2),
        valid_from=dt.date(2026, 3, 9),
        now=now,
    )
    draft.refresh_from_db()
    assert (draft.decision_date, draft.valid_from, draft.published_at) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 9),
        now,
    )
    assert services.new_draft(draft).decision_date is None


def test_a_decision_cannot_be_dated_after_the_publication():
    draft = services.new_draft(make_version())
    with pytest.raises(ValidationError, match="không thể sau ngày công khai"):
        services.publish(
            draft,
            decision_number="15/QĐ-UBND",
            decision_date=dt.date(2026, 3, 12),
            valid_from=dt.date(2026, 3, 9),
            now=dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC),
        )
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_published_version_gets_its_date_once():
    version = make_version()
    ProcedureVersion.objects.filter(pk=version.pk).update(
        published_at=dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC)
    )
    services.record_decision_date(version, dt.date(2026, 3, 2))
    services.record_decision_date(version, dt.date(2026, 3, 2))  # the same again: fine
    with pytest.raises(ValidationError, match="không sửa được"):
        services.record_decision_date(version, dt.date(2026, 3, 3))
    version.refresh_from_db()
    assert version.decision_date == dt.date(2026, 3, 2)


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "x-pass-123456")
    client.force_login(user)
    return client


def test_admin_publishes_with_the_decision_date_and_the_effective_date(admin_client):
    draft = services.new_draft(make_version())
    page = admin_client.get(f"{BASE}/{draft.pk}/change/").content.decode()
    assert 'name="decision_date"' in page and 'name="valid_from"' in page
    assert "Ngày ban hành quyết định công bố" in page  # the draft's editable field
    today = dt.date.today()
    admin_client.post(
        f"{BASE}/{draft.pk}/cong-bo/",
        {
            "decision_number": "15/QĐ-UBND",
            "decision_date": (today - dt.timedelta(days=7)).isoformat(),
            "valid_from": (today + dt.timedelta(days=7)).isoformat(),
        },
    )
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.decision_date == today - dt.timedelta(days=7)
    assert draft.valid_from == today + dt.timedelta(days=7)


def test_admin_records_a_missing_date_and_refuses_a_bad_one(admin_client):
    version = make_version()
    ProcedureVersion.objects.filter(pk=version.pk).update(published_at=dt.datetime.now(dt.UTC))
    page = admin_client.get(f"{BASE}/{version.pk}/change/").content.decode()
    assert "Ghi ngày ban hành" in page
    bad = admin_client.post(
        f"{BASE}/{version.pk}/ngay-quyet-dinh/", {"decision_date": "05/03/2026"}, follow=True
    )
    assert "Ngày không hợp lệ" in bad.content.decode()
    admin_client.post(f"{BASE}/{version.pk}/ngay-quyet-dinh/", {"decision_date": "2026-03-05"})
    version.refresh_from_db()
    assert version.decision_date == dt.date(2026, 3, 5)
    page = admin_client.get(f"{BASE}/{version.pk}/change/").content.decode()
    assert "Ghi ngày ban hành" not in page
