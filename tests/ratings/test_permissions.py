"""Who may do what: counter staff run their own counter only; staff see their units;
supervisors see aggregates over their scope; citizens need no login."""

import pytest
from django.core.exceptions import PermissionDenied

from motcua.org.models import Role
from motcua.ratings import services
from motcua.ratings.models import CounterSession, Tablet
from motcua.ratings.tokens import rating_token

from .conftest import at, form, link

pytestmark = pytest.mark.django_db


def test_another_units_staff_cannot_set_the_counter_session(client, world, make_user, returned):
    d = returned()
    b = world["org"]["b"]
    other_officer = make_user("tn-b", Role.RECEPTION_OFFICER, b["agency"], b["one_stop"])
    counter = world["counter"].pk
    for user in (other_officer, world["specialist"], world["leader"], world["supervisor"]):
        client.force_login(user)
        page = client.get(f"/danh-gia/quay/{counter}/phien/")
        assert page.status_code == 403, user
        assert "Chỉ cán bộ một cửa của quầy này" in page.text
        sent = client.post(
            f"/danh-gia/quay/{counter}/phien/", {"action": "start", "ma_ho_so": d.code}
        )
        assert sent.status_code == 403
        assert client.post(f"/danh-gia/quay/{counter}/kich-hoat/").status_code == 403
        with pytest.raises(PermissionDenied):
            services.start_session(user, world["counter"], d.code)
    assert not CounterSession.objects.exists() and not Tablet.objects.exists()


def test_an_officer_cannot_put_another_units_dossier_on_the_tablet(world, make_user, returned):
    b = world["org"]["b"]
    officer_b = make_user("tn-b", Role.RECEPTION_OFFICER, b["agency"], b["one_stop"])
    with pytest.raises(Exception, match="Không tìm thấy hồ sơ"):
        services.start_session(officer_b, b["counter"], returned().code)


def test_staff_pages_need_a_login(client, world):
    for path in ("/danh-gia/don-vi/", "/danh-gia/tong-hop/",
                 f"/danh-gia/quay/{world['counter'].pk}/phien/"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 302 and "/can-bo/dang-nhap/" in response.url


def test_citizen_pages_need_no_login(client, returned, clock, paired, world):
    d = returned()
    assert client.get(link(d)).status_code == 200
    assert client.get("/danh-gia/cam-on/").status_code == 200
    paired(client)
    assert client.get(f"/danh-gia/quay/{world['counter'].pk}/").status_code == 200
    assert client.get(f"/danh-gia/quay/{world['counter'].pk}/cam-on/").status_code == 200
    assert client.post(link(d), form()).status_code == 302


def test_supervisors_see_the_aggregates_staff_do_not(client, world, make_user):
    client.force_login(world["supervisor"])
    response = client.get("/danh-gia/tong-hop/")
    assert response.status_code == 200 and "Tổng hợp đánh giá mức độ hài lòng" in response.text
    admin = make_user("qt", Role.ADMINISTRATOR, world["agency"])
    client.force_login(admin)
    assert client.get("/danh-gia/tong-hop/").status_code == 200
    for name in ("officer", "specialist", "leader"):
        client.force_login(world[name])
        page = client.get("/danh-gia/tong-hop/")
        assert page.status_code == 403 and "giám sát" in page.text


def test_staff_see_their_own_units_only(client, world, make_user):
    client.force_login(world["specialist"])
    page = client.get("/danh-gia/don-vi/")
    assert page.status_code == 200 and "Văn hóa – Xã hội" in page.text
    assert "TTPVHCC phường B" not in page.text
    # Asking for another unit shows their own.
    other = world["org"]["b"]["processing"]
    page = client.get("/danh-gia/don-vi/", {"don_vi": other.pk})
    assert "TTPVHCC phường A" in page.text and "TTPVHCC phường B" not in page.text
    citizen = make_user("congdan")
    client.force_login(citizen)
    assert client.get("/danh-gia/don-vi/").status_code == 403


def test_a_supervisor_sees_only_inside_their_scope(client, world, make_user, returned):
    d = returned()
    services.submit_rating(
        services.ByLink(d.code, rating_token(d)),
        {"overall": 5},
        now=at("2026-03-06 10:00"),
    )
    b = world["org"]["b"]["agency"]
    outsider = make_user("gs-b", Role.SUPERVISOR, b)
    client.force_login(outsider)
    page = client.get("/danh-gia/tong-hop/", {"tu": "2026-03-01", "den": "2026-03-31"})
    assert page.status_code == 200 and "Văn hóa – Xã hội" not in page.text
    assert "Chưa có phiếu đánh giá trong thời gian này." in page.text
    client.force_login(world["supervisor"])
    page = client.get("/danh-gia/tong-hop/", {"tu": "2026-03-01", "den": "2026-03-31"})
    assert "Một cửa" in page.text and "Văn hóa – Xã hội" in page.text
