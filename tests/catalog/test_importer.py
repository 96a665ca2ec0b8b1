"""``motcua import-procedures`` on real snippets of the national data."""

import csv
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.importer import import_procedures
from motcua.catalog.models import ChannelOption, Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = {"2.001428", "3.000226", "3.000243"}


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "procedures"
    folder.mkdir()
    for name in ("dvcqg_sample.jsonl", "bqp_sample.jsonl"):
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def test_import_creates_published_versions_and_flags_shared_pages(data):
    report = import_procedures([data])
    assert report.failed == 0
    assert report.created == 32 and report.flagged == 3
    khai_sinh = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert khai_sinh.status == "published" and khai_sinh.source == "national"
    assert khai_sinh.field.name == "Hộ tịch"
    assert khai_sinh.results[0]["code"] == "KQ.G15.000031"
    assert khai_sinh.raw["ma_thu_tuc"] == "1.001193"
    assert khai_sinh.cases.exists()
    flagged = ProcedureVersion.objects.filter(flagged=True)
    assert set(flagged.values_list("procedure__code", flat=True)) == SHARED
    assert all(v.status == "draft" for v in flagged)


def test_parsed_channels_fees_and_warnings_are_stored(data):
    import_procedures([data])
    thuong_tru = ProcedureVersion.objects.get(procedure__code="1.004222")
    online = ChannelOption.objects.filter(version=thuong_tru, channel="online").first()
    assert online.time_unit == "working_days" and online.time_value == 7
    assert 10000 in [f.amount for f in online.fees.all()]
    bare = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert "time_without_unit" in {w["code"] for w in bare.warnings}
    counter = bare.channels.filter(channel="counter").first()
    assert counter.time_unit == "" and counter.time_value == 1  # never invents a unit


def test_reimport_is_idempotent(data):
    import_procedures([data])
    before = ProcedureVersion.objects.count()
    report = import_procedures([data])
    assert report.created == 0 and report.updated == 0 and report.unchanged == 32
    assert ProcedureVersion.objects.count() == before
    assert Procedure.objects.count() == 32


def test_changed_record_becomes_a_new_version_and_the_old_one_retires(data):
    import_procedures([data])
    path = data / "dvcqg_sample.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["ten_thu_tuc"] = "Thủ tục đăng ký khai sinh (sửa đổi)"
    lines[0] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_procedures([data])
    assert report.updated == 1
    versions = ProcedureVersion.objects.filter(procedure__code="1.001193").order_by("number")
    assert [(v.number, v.status) for v in versions] == [(1, "retired"), (2, "published")]
    assert versions[1].name.endswith("(sửa đổi)")


def test_a_broken_line_fails_alone(data):
    with (data / "dvcqg_sample.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"ma_thu_tuc": "9.999999", "ten_thu_tuc": \n')
    report = import_procedures([data])
    assert report.failed == 1 and report.created == 32
    assert any(p["kind"] == "invalid_json" for p in report.problems)


def test_command_prints_a_summary_and_writes_the_problems_csv(data, tmp_path, capsys):
    problems = tmp_path / "problems.csv"
    call_command("import_procedures", str(data), problems=str(problems), verbosity=0)
    out = capsys.readouterr().out
    assert "32 thêm mới" in out and "3 gắn cờ" in out and "0 lỗi" in out
    rows = list(csv.DictReader(problems.open(encoding="utf-8-sig")))
    assert {r["severity"] for r in rows} >= {"warning", "flagged"}
    assert {r["code"] for r in rows if r["severity"] == "flagged"} == SHARED


def test_command_rejects_a_missing_path():
    with pytest.raises(CommandError, match="không tìm thấy"):
        call_command("import_procedures", "/no/such/folder", verbosity=0)
