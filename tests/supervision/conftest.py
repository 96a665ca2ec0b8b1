"""Supervision tests drive dossiers through the real services in the dossier test world."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from motcua.catalog.models import Offering, StepSpec, TimeUnit, WorkflowTemplate
from motcua.dossiers.services import HANDLERS, NewDossier, create_dossier, perform
from motcua.org.models import Role
from tests.catalog.factories import make_version
from tests.dossiers.conftest import APPLICANT, at, intake, world  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


RECEIPT_COUNTS = ("digitised_components", "reused_components")


@pytest.fixture(autouse=True)
def receipt_counts(monkeypatch):
    """The ``receive`` payload carries the digitised and reused components of the dossier
    (``motcua.documents.datastore.intake_counts``); tests give them as the action's inputs
    instead of scanning files."""
    original = HANDLERS["receive"]

    def receive(ctx):
        original(ctx)
        for key in RECEIPT_COUNTS:
            if key in ctx.params:
                ctx.payload[key] = ctx.params[key]

    monkeypatch.setitem(HANDLERS, "receive", receive)


@pytest.fixture(autouse=True)
def long_rating_links(settings):
    settings.RATING_TOKEN_DAYS = 3650


def add_offering(world, code, name, field, levels):  # noqa: F811
    """Another procedure of the ward, with the same three-step workflow."""
    version = make_version(code, name, field=field, days=Decimal(3), levels=levels)
    offering = Offering.objects.create(agency=world["agency"], version=version)
    template = WorkflowTemplate.objects.create(offering=offering, name="Quy trình")
    plan = [
        ("Thẩm định", world["processing"], Role.SPECIALIST),
        ("Phê duyệt, ký", world["leaders"], Role.UNIT_LEADER),
        ("Vào sổ, trả kết quả", world["one_stop"], Role.RECEPTION_OFFICER),
    ]
    for i, (step, unit, role) in enumerate(plan, start=1):
        StepSpec.objects.create(
            template=template,
            order=i,
            name=step,
            owner_unit=unit,
            role=role,
            budget_value=Decimal(4),
            budget_unit=TimeUnit.WORKING_HOURS,
        )
    return offering


class Driver:
    """Moves dossiers of the world through the lifecycle at pinned instants."""

    def __init__(self, world):  # noqa: F811
        self.world = world

    def actor(self, dossier, action):
        w = self.world
        if action in ("approve", "reject"):
            return w["leader"]
        if action in ("request_supplement", "apologise"):
            return w["specialist"]
        if action == "complete_step" and dossier.current_step.order == 1:
            return w["specialist"]
        return w["officer"]

    def create(self, when, *, channel="counter", offering=None):
        data = NewDossier(
            offering=offering or self.world["offering"],
            channel=channel,
            applicant=APPLICANT,
            components=((None, "Tờ khai", 1, 0),),
        )
        dossier, _ = create_dossier(self.world["officer"], data, now=_instant(when))
        return dossier

    def receive(self, when, *, channel="counter", offering=None, **params):
        dossier = self.create(when, channel=channel, offering=offering)
        return self.act(dossier, "receive", when, **params)

    def act(self, dossier, action, when, **params):
        if action in ("reject", "stop", "withdraw", "refuse", "request_supplement", "apologise"):
            params.setdefault("reason", "Lý do thử nghiệm")
        dossier, _ = perform(
            dossier, action, self.actor(dossier, action), now=_instant(when), **params
        )
        return dossier

    def to_last_step(self, dossier, start):
        """Transfer, assess and approve: the dossier waits at the last step (returns it)."""
        t = _instant(start)
        dossier = self.act(dossier, "transfer", t + dt.timedelta(minutes=10))
        dossier = self.act(dossier, "complete_step", t + dt.timedelta(minutes=20))
        return self.act(dossier, "approve", t + dt.timedelta(minutes=30))

    def resolve_from_step_one(self, dossier, start, finish):
        """From the first step (already transferred): assess, approve, finish at ``finish``."""
        t = _instant(start)
        dossier = self.act(dossier, "complete_step", t)
        dossier = self.act(dossier, "approve", t + dt.timedelta(minutes=10))
        return self.act(dossier, "complete_step", finish)

    def resolve(self, dossier, start, finish):
        dossier = self.to_last_step(dossier, start)
        return self.act(dossier, "complete_step", finish)


def _instant(when):
    return at(when) if isinstance(when, str) else when


@pytest.fixture
def driver(world):  # noqa: F811
    return Driver(world)


@pytest.fixture
def clock(monkeypatch):
    """Pin the instant the supervision pages read at."""

    def set_to(text):
        instant = at(text)
        monkeypatch.setattr("motcua.supervision.views.now", lambda: instant)
        monkeypatch.setattr("motcua.supervision.public_views.now", lambda: instant)
        return instant

    return set_to
