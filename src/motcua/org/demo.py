"""Demo organisation: Ho Chi Minh City, its centre, a department and two ward centres.

Identifiers follow the shape of real electronic identifiers but are illustrative: an operator
replaces them with the province's own list. Idempotent: running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.org.models import Agency, Counter, Division, Role, RoleAssignment, Unit

PROVINCE_CODE = "79"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    where: str


def _agency(identifier, name, short, kind, division_code, parent=None) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        identifier=identifier,
        defaults={
            "name": name,
            "short_name": short,
            "kind": kind,
            "parent": parent,
            "division": Division.objects.filter(code=division_code).first(),
        },
    )
    return agency


def _unit(agency, code, name, kind) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        agency=agency, code=code, defaults={"name": name, "kind": kind}
    )
    return unit


def _counters(unit, names) -> None:
    for number, (name, fields) in enumerate(names, start=1):
        Counter.objects.update_or_create(
            unit=unit, number=number, defaults={"name": name, "fields_served": fields}
        )


def _ward_centre(ward_code, ward_name, identifier, parent) -> tuple[Agency, dict[str, Unit]]:
    centre = _agency(
        identifier,
        f"Trung tâm Phục vụ hành chính công {ward_name}",
        f"TTPVHCC {ward_name}",
        Agency.Kind.COMMUNE_CENTRE,
        ward_code,
        parent,
    )
    units = {
        "mot-cua": _unit(centre, "mot-cua", "Bộ phận tiếp nhận và trả kết quả", Unit.Kind.ONE_STOP),
        "van-hoa-xa-hoi": _unit(
            centre, "van-hoa-xa-hoi", "Phòng Văn hóa – Xã hội", Unit.Kind.PROCESSING
        ),
        "kinh-te": _unit(centre, "kinh-te", "Phòng Kinh tế", Unit.Kind.PROCESSING),
        "lanh-dao": _unit(centre, "lanh-dao", "Lãnh đạo UBND phường", Unit.Kind.LEADERSHIP),
    }
    _counters(
        units["mot-cua"],
        [
            ("Quầy Tư pháp – Hộ tịch", "Hộ tịch, Chứng thực"),
            ("Quầy Kinh tế – Đất đai", "Hộ kinh doanh, Đất đai"),
            ("Quầy Chính sách – Xã hội", "Bảo trợ xã hội, Người có công"),
        ],
    )
    return centre, units


@transaction.atomic
def load_demo_org(password: str) -> list[DemoLogin]:
    """Create the demo agencies, units, counters and one account per role."""
    if not Division.objects.filter(code=PROVINCE_CODE).exists():
        raise RuntimeError("Chưa nạp đơn vị hành chính: chạy `motcua import-divisions` trước.")
    city = _agency(
        "000.00.00.H29",
        "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "UBND TP.HCM",
        Agency.Kind.PROVINCIAL_COMMITTEE,
        PROVINCE_CODE,
    )
    centre = _agency(
        "000.00.01.H29",
        "Trung tâm Phục vụ hành chính công Thành phố Hồ Chí Minh",
        "TTPVHCC TP.HCM",
        Agency.Kind.PROVINCIAL_CENTRE,
        PROVINCE_CODE,
        city,
    )
    one_stop = _unit(centre, "mot-cua", "Bộ phận tiếp nhận và trả kết quả", Unit.Kind.ONE_STOP)
    _counters(one_stop, [("Quầy Tư pháp", "Tư pháp"), ("Quầy Xây dựng", "Xây dựng")])
    justice = _agency(
        "000.00.21.H29",
        "Sở Tư pháp Thành phố Hồ Chí Minh",
        "Sở Tư pháp",
        Agency.Kind.DEPARTMENT,
        PROVINCE_CODE,
        city,
    )
    _unit(justice, "ho-tich", "Phòng Hành chính tư pháp", Unit.Kind.PROCESSING)
    _unit(justice, "lanh-dao", "Ban Giám đốc", Unit.Kind.LEADERSHIP)
    saigon, saigon_units = _ward_centre("26740", "phường Sài Gòn", "000.21.26.H29", city)
    _ward_centre("26743", "phường Bến Thành", "000.22.26.H29", city)

    accounts = [
        (
            "tiepnhan",
            "Nguyễn Thị Lan",
            Role.RECEPTION_OFFICER,
            saigon,
            saigon_units["mot-cua"],
            False,
        ),
        (
            "chuyenvien",
            "Trần Văn Minh",
            Role.SPECIALIST,
            saigon,
            saigon_units["van-hoa-xa-hoi"],
            False,
        ),
        ("lanhdao", "Lê Hoàng Nam", Role.UNIT_LEADER, saigon, saigon_units["lanh-dao"], False),
        ("giamsat", "Phạm Thu Hà", Role.SUPERVISOR, city, None, True),
        ("quantri", "Võ Quốc Bảo", Role.ADMINISTRATOR, city, None, True),
    ]
    logins = []
    for username, full_name, role, agency, unit, subordinates in accounts:
        user = _user(username, full_name, password)
        RoleAssignment.objects.update_or_create(
            user=user,
            role=role,
            agency=agency,
            unit=unit,
            defaults={"include_subordinates": subordinates},
        )
        logins.append(DemoLogin(username, Role(role).label, (unit or agency).name))
    admin = _user("admin", "Quản trị hệ thống", password)
    if not admin.is_superuser:
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
    logins.append(DemoLogin("admin", "Quản trị toàn hệ thống", "—"))
    return logins


def _user(username: str, full_name: str, password: str):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "is_staff": True}
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    return user
