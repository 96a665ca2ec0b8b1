"""Recording the forms an event issues runs inside the dossier action, while the daily
dossier number is locked: it must stay cheap (pinned statement counts) and still record the
same thing — the version in force, the letterhead, a number unique under concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from motcua.documents import templating
from motcua.documents.models import AgencyLetterhead, DocumentTemplate, IssuedForm
from motcua.documents.print_models import FormNumberCounter
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import NewDossier, create_dossier, perform
from tests.dossiers.conftest import APPLICANT, at

pytestmark = pytest.mark.django_db

NUMBERED = {"place": "Bến Thành", "number_format": "{seq:04d}/{year}/TNHS-{form}"}


def published(form: str, when: str, *, agency=None) -> DocumentTemplate:
    version = templating.new_draft(
        form, agency=agency, source=f"<p>{form} {when}</p>", valid_from=at(when)
    )
    templating.publish(version, now=at(when))
    return version


def event_of(d, action: str) -> DossierEvent:
    return DossierEvent.objects.select_related("dossier").get(dossier=d, action=action)


def test_an_event_that_issues_no_form_costs_nothing(world, intake, django_assert_num_queries):
    submit = event_of(intake("2026-03-02 09:00"), "submit")
    with django_assert_num_queries(0):
        templating.on_dossier_event(submit)


@pytest.mark.parametrize(("number_format", "statements"), [("", 2), (NUMBERED, 3)])
def test_receiving_records_its_two_forms_in_at_most_three_statements(
    world, intake, django_assert_num_queries, number_format, statements
):
    if number_format:
        AgencyLetterhead.objects.create(agency=world["agency"], **number_format)
    receive = event_of(intake("2026-03-02 09:00"), "receive")
    IssuedForm.objects.filter(event=receive).delete()
    FormNumberCounter.objects.all().delete()
    # facts (names, letterhead, versions in force), [numbers,] records; no savepoint
    with django_assert_num_queries(statements) as captured:
        templating.on_dossier_event(receive)
    assert not any("SAVEPOINT" in q["sql"] for q in captured.captured_queries)
    assert set(IssuedForm.objects.filter(event=receive).values_list("form", flat=True)) == {
        "01",
        "06",
    }


def test_a_form_issued_alone_costs_three_statements_with_a_numbered_format(
    world, intake, django_assert_num_queries
):
    AgencyLetterhead.objects.create(agency=world["agency"], **NUMBERED)
    apology = event_of(intake("2026-03-02 09:00"), "receive")
    apology.action = "apologise"  # Mẫu 04 only, in the competent agency's name
    with django_assert_num_queries(3):
        templating.on_dossier_event(apology)
    issued = IssuedForm.objects.get(event=apology, form="04")
    assert issued.agency == world["agency"] and issued.number == "0001/2026/TNHS-04"


def test_records_are_those_of_the_reference_rules(world, intake):
    """The versions in force (the agency's own before the general one, none yet in force left
    out), the letterhead and the numbers are what in_force and letterhead_lines say."""
    agency = world["agency"]
    general_01 = published("01", "2026-03-01 08:00")
    published("01", "2026-03-05 08:00")  # not in force yet on 2 March
    published("06", "2026-03-01 09:00")
    own_06 = published("06", "2026-03-01 08:00", agency=agency)  # older, but the agency's own
    published("06", "2026-03-01 08:00", agency=world["org"]["b"]["agency"])  # someone else's
    AgencyLetterhead.objects.create(agency=agency, name_line="Trung tâm Bến Thành", **NUMBERED)
    first, second = intake("2026-03-02 09:00"), intake("2026-03-02 10:00")
    next_year = intake("2027-01-04 09:00")

    issued = {f.form: f for f in IssuedForm.objects.filter(dossier=first)}
    moment = at("2026-03-02 09:00")
    assert issued["01"].template == general_01 == templating.in_force("01", agency, moment)
    assert issued["06"].template == own_06 == templating.in_force("06", agency, moment)
    expected = templating.letterhead_lines(agency, world["one_stop"].name)
    assert issued["01"].letterhead == issued["06"].letterhead == expected
    assert expected == {"lines": ["Trung tâm Bến Thành"], "place": "Bến Thành"}
    assert issued["01"].issued_at == moment and issued["01"].agency == agency
    numbers = {
        (f.dossier_id, f.form): f.number
        for f in IssuedForm.objects.filter(dossier__in=[first, second, next_year])
    }
    assert numbers == {
        (first.pk, "01"): "0001/2026/TNHS-01",
        (first.pk, "06"): "0001/2026/TNHS-06",
        (second.pk, "01"): "0002/2026/TNHS-01",
        (second.pk, "06"): "0002/2026/TNHS-06",
        (next_year.pk, "01"): "0001/2027/TNHS-01",
        (next_year.pk, "06"): "0001/2027/TNHS-06",
    }
    # the first print finds the record, it does not make another
    assert templating.issue(first, "01", event_of(first, "receive")) == issued["01"]


def test_an_unusable_number_format_never_blocks_the_dossier(world, intake, caplog):
    """A format saved around the admin's check: the dossier is received all the same, the
    forms are left for their first print and no number is used up."""
    AgencyLetterhead.objects.create(agency=world["agency"], number_format="{seq}/{ten}")
    d = intake("2026-03-02 09:00")
    assert d.state == "received"
    assert not IssuedForm.objects.filter(dossier=d).exists()
    assert not FormNumberCounter.objects.exists()
    assert "not recorded" in caplog.text


def test_a_record_is_made_once_even_if_the_event_is_heard_twice(world, intake):
    receive = event_of(intake("2026-03-02 09:00"), "receive")
    first = list(IssuedForm.objects.filter(event=receive).order_by("form"))
    templating.on_dossier_event(receive)
    assert list(IssuedForm.objects.filter(event=receive).order_by("form")) == first


@pytest.mark.django_db(transaction=True)
def test_parallel_intakes_never_share_a_form_number(postgres_only, world):
    AgencyLetterhead.objects.create(agency=world["agency"], **NUMBERED)
    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)
    barrier = threading.Barrier(6)

    def intake_four(_i):
        try:
            barrier.wait()
            for _ in range(4):
                d, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"))
                perform(d, "receive", world["officer"], now=at("2026-03-02 09:00"))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(intake_four, range(6)))
    numbers = sorted(IssuedForm.objects.filter(form="01").values_list("number", flat=True))
    assert numbers == [f"{n:04d}/2026/TNHS-01" for n in range(1, 25)]
    assert FormNumberCounter.objects.get(form="06").last == 24


@pytest.mark.django_db(transaction=True)
def test_parallel_counter_upserts_hand_out_each_number_once(postgres_only, world):
    """The counter on its own (the intakes above are also ordered by the daily dossier
    number): first use of a counter included, where two requests both find no row."""
    from django.db import transaction

    agency_id = world["agency"].pk
    barrier = threading.Barrier(8)

    def take(_i):
        try:
            barrier.wait()
            with transaction.atomic():
                return templating.take_numbers(agency_id, ["02", "03"], 2026)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(take, range(8)))
    assert sorted(r["02"] for r in results) == sorted(r["03"] for r in results) == list(range(1, 9))
