"""``motcua due-date``: good output, one-line errors and a non-zero exit on bad input."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from motcua.org.models import Agency
from motcua.worktime.models import CalendarOverride, WorkCalendar

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("due_date", *args, stdout=out)
    return out.getvalue()


def test_tet_2026_after_the_cutoff():
    out = run("--received", "2026-02-13 16:20", "--limit", "3 working days")
    assert "Hẹn trả:         Thứ Năm 26/02/2026 17:00" in out
    assert "Tiếp nhận:       Thứ Sáu 13/02/2026 16:20" in out
    assert "Bắt đầu tính:    Thứ Hai 23/02/2026 07:30" in out
    assert "Ngày làm việc được tính (3):" in out
    for day in ("Thứ Ba 24/02/2026", "Thứ Tư 25/02/2026", "Thứ Năm 26/02/2026"):
        assert day in out
    assert "Lịch làm việc chung" in out


@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        ("31/12/2025 10:00", "3 ngày làm việc", "Thứ Tư 07/01/2026 17:00"),
        ("2026-02-13T09:20:00+00:00", "8 giờ làm việc", "Thứ Hai 23/02/2026 16:20"),
        ("2026-02-13T16:20:00+07:00", "trong ngày", "Thứ Hai 23/02/2026 17:00"),
        ("2026-01-30 10:00", "1 month", "Thứ Hai 02/03/2026 17:00"),
    ],
)
def test_formats_of_received_and_limit(received, limit, due):
    assert f"Hẹn trả:         {due}" in run("--received", received, "--limit", limit)


def test_an_agency_calendar_is_used():
    agency = Agency.objects.create(identifier="000.00.21.H42", name="TTPVHCC phường Ba Đình")
    row = WorkCalendar.objects.create(name="Lịch Ba Đình", agency=agency)
    CalendarOverride.objects.create(
        calendar=row, date=dt.date(2026, 3, 11), kind="day_off", legal_reference="Lễ hội"
    )
    args = ("--received", "2026-03-10 10:00", "--limit", "1 working day")
    assert "Thứ Tư 11/03/2026 17:00" in run(*args)
    out = run("--agency", "000.00.21.H42", *args)
    assert "Lịch Ba Đình" in out
    assert "Hẹn trả:         Thứ Năm 12/03/2026 17:00" in out


def test_received_defaults_to_now():
    assert "Hẹn trả:" in run("--limit", "3 working days")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "000.00.99.H99"], "Không tìm thấy cơ quan có mã định danh '000.00.99.H99'"),
        (["--received", "2026-13-13 16:20"], "Thời điểm tiếp nhận không hợp lệ"),
        (["--received", "2026-02-13"], "Thời điểm tiếp nhận không hợp lệ"),
        (["--received", "hôm qua"], "invalid --received"),
        (["--received", "0001-01-01 00:00"], "ngoài"),
        (["--received", "1990-01-01 10:00"], "outside the working calendar"),
        (["--limit", "-3 working days"], "không được âm"),
        (["--limit", "ba ngày"], "Invalid limit"),
        (["--limit", "3 fortnights"], "unknown unit"),
        (["--limit", "2000 months"], "outside the working calendar"),
    ],
)
def test_bad_input_is_a_one_line_command_error(args, message):
    options = {"--received": "2026-02-13 16:20", "--limit": "3 working days"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        options[flag] = value
    argv = [part for pair in options.items() for part in pair]
    with pytest.raises(CommandError) as info:
        run(*argv)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert info.value.returncode == 1


def test_the_console_exits_non_zero_without_a_traceback(capsys):
    command = load_command_class("motcua.worktime", "due_date")
    with pytest.raises(SystemExit) as info:
        command.run_from_argv(["motcua", "due_date", "--limit", "-3 working days"])
    assert info.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("CommandError: Thời hạn không hợp lệ")
    assert "Traceback" not in err and len(err.splitlines()) == 1
