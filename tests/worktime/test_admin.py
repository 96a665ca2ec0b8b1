"""Admin: calendars and overrides, the library comparison, access by the permission service."""

import datetime as dt

import pytest

from motcua.org.models import Role
from motcua.worktime.models import WorkCalendar

pytestmark = pytest.mark.django_db

BASE = "/quan-tri/worktime"


@pytest.fixture
def default_row():
    return WorkCalendar.objects.get(agency__isnull=True)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "x-pass-123456")
    client.force_login(user)
    return client


def _staff(client, user):
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


def test_differences_page_shows_what_the_overrides_change(superuser_client, default_row):
    page = superuser_client.get(f"{BASE}/workcalendar/{default_row.pk}/differences/?year=2026")
    assert page.status_code == 200
    body = page.content.decode()
    assert "02/01/2026" in body and "10/01/2026" in body and "22/08/2026" in body
    assert "<strong>khác</strong>" in body and "trùng" in body
    assert "Thứ Sáu" in body
    empty = superuser_client.get(f"{BASE}/workcalendar/{default_row.pk}/differences/?year=2023")
    assert "trùng với thư viện" in empty.content.decode()
    bad_year = superuser_client.get(f"{BASE}/workcalendar/{default_row.pk}/differences/?year=x")
    assert bad_year.status_code == 200


def test_changelists_show_the_library_comparison(superuser_client):
    calendars = superuser_client.get(f"{BASE}/workcalendar/").content.decode()
    assert "Ngày khác thư viện" in calendars
    assert "07:30–11:30, 13:00–17:00" in calendars
    overrides = superuser_client.get(f"{BASE}/calendaroverride/?date__year=2026").content.decode()
    assert "khác thư viện" in overrides and "trùng thư viện" in overrides
    assert "Toàn quốc" in overrides


def test_weekday_check_boxes_save_the_pattern(superuser_client, default_row):
    form = superuser_client.get(f"{BASE}/workcalendar/{default_row.pk}/change/").content.decode()
    assert 'type="checkbox" name="working_weekdays"' in form
    assert "Giờ chốt tiếp nhận" in form or "giờ chốt tiếp nhận" in form.lower()
    data = {
        "name": default_row.name,
        "country": "VN",
        "working_weekdays": ["0", "1", "2", "3", "4", "5"],
        "morning_start": "07:30",
        "morning_end": "11:30",
        "afternoon_start": "13:00",
        "afternoon_end": "17:00",
        "cutoff": "15:00",
        "saturday_reception_start": "07:30",
        "saturday_reception_end": "11:30",
    }
    response = superuser_client.post(f"{BASE}/workcalendar/{default_row.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    default_row.refresh_from_db()
    assert default_row.working_weekdays == "1111110"


def test_an_agency_administrator_sees_but_cannot_edit_the_national_calendar(
    client, org, make_user, default_row
):
    _staff(client, make_user("qt", Role.ADMINISTRATOR, org["a"]["agency"]))
    url = f"{BASE}/workcalendar/{default_row.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Đổi"}).status_code == 403
    own = WorkCalendar.objects.create(name="Lịch phường A", agency=org["a"]["agency"])
    other = WorkCalendar.objects.create(name="Lịch phường B", agency=org["b"]["agency"])
    listing = client.get(f"{BASE}/workcalendar/").content.decode()
    assert own.name in listing and default_row.name in listing
    assert other.name not in listing
    assert client.get(f"{BASE}/calendaroverride/add/").status_code == 200


def test_a_specialist_cannot_change_calendars(client, org, make_user, default_row):
    _staff(client, make_user("cv", Role.SPECIALIST, org["a"]["agency"]))
    assert client.get(f"{BASE}/workcalendar/").status_code == 200
    assert client.get(f"{BASE}/calendaroverride/add/").status_code == 403
    assert client.get(f"{BASE}/workcalendar/{default_row.pk}/differences/").status_code == 200


def test_override_dates_in_the_changelist_use_vietnamese_weekdays(superuser_client):
    body = superuser_client.get(f"{BASE}/calendaroverride/").content.decode()
    assert "Thứ Bảy" in body  # 10/01/2026 and 22/08/2026 are Saturdays
    assert dt.date(2026, 1, 10).weekday() == 5
