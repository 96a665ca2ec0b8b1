"""A small world for dossier tests: one ward with its units and staff, one procedure."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import Offering, StepSpec, TimeUnit, WorkflowTemplate
from motcua.dossiers.services import Applicant, NewDossier, create_dossier, perform
from motcua.org.models import Role, Unit
from tests.catalog.factories import make_version

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> dt.datetime:
    """A local Vietnamese instant, e.g. at("2026-03-02 09:00")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture
def world(org, make_user):
    ward = org["a"]
    leaders = Unit.objects.create(
        agency=ward["agency"], code="lanh-dao", name="Lãnh đạo", kind=Unit.Kind.LEADERSHIP
    )
    version = make_version(
        "1.004222", "Đăng ký thường trú", days=Decimal(3), unit=TimeUnit.WORKING_DAYS
    )
    offering = Offering.objects.create(agency=ward["agency"], version=version)
    template = WorkflowTemplate.objects.create(offering=offering, name="Quy trình")
    plan = [
        ("Thẩm định", ward["processing"], Role.SPECIALIST, 12),
        ("Phê duyệt, ký", leaders, Role.UNIT_LEADER, 4),
        ("Vào sổ, trả kết quả", ward["one_stop"], Role.RECEPTION_OFFICER, 4),
    ]
    for i, (name, unit, role, hours) in enumerate(plan, start=1):
        StepSpec.objects.create(
            template=template,
            order=i,
            name=name,
            owner_unit=unit,
            role=role,
            budget_value=Decimal(hours),
            budget_unit=TimeUnit.WORKING_HOURS,
        )
    agency = ward["agency"]
    return {
        **ward,
        "leaders": leaders,
        "version": version,
        "offering": offering,
        "officer": make_user("tiepnhan", Role.RECEPTION_OFFICER, agency, ward["one_stop"]),
        "specialist": make_user("chuyenvien", Role.SPECIALIST, agency, ward["processing"]),
        "leader": make_user("lanhdao", Role.UNIT_LEADER, agency, leaders),
        "supervisor": make_user("giamsat", Role.SUPERVISOR, org["city"], include_subordinates=True),
        "other_specialist": make_user(
            "cv-b", Role.SPECIALIST, org["b"]["agency"], org["b"]["processing"]
        ),
        "org": org,
    }


APPLICANT = Applicant(
    name="Nguyễn Văn An",
    id_number="079090001234",
    birth_date=dt.date(1990, 5, 4),
    phone="0903123456",
    email="an@example.vn",
    address="12 Lê Lợi, phường Sài Gòn",
)


@pytest.fixture
def intake(world):
    """Create and receive a counter dossier at ``when``; returns the dossier."""

    def make(when="2026-03-02 09:00", *, key=None, channel="counter"):
        data = NewDossier(
            offering=world["offering"],
            channel=channel,
            applicant=APPLICANT,
            components=((None, "Tờ khai CT01", 1, 0),),
        )
        dossier, _ = create_dossier(world["officer"], data, idempotency_key=key, now=at(when))
        dossier, _ = perform(dossier, "receive", world["officer"], now=at(when))
        return dossier

    return make
