"""The admin: criteria editable by administrators (the overall one stays a required 1–5
scale), ratings read-only within the supervisor's scope, tablets revocable; the rebuild
command."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from motcua.org.models import Role
from motcua.ratings import services
from motcua.ratings.models import Criterion, Tablet, UnitTally
from motcua.ratings.tokens import rating_token

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_seeded_criteria_follow_the_domain_list():
    keys = list(Criterion.objects.values_list("key", flat=True))
    assert keys == [
        "overall",
        "total_time",
        "agency_time",
        "contacts",
        "agencies_contacted",
        "one_stop",
        "staff_attitude",
        "publicity",
        "feedback_handling",
        "online_quality",
    ]
    overall = Criterion.objects.get(key="overall")
    assert overall.required and overall.kind == "scale"
    assert [v for v, _ in overall.choices()] == [1, 2, 3, 4, 5]
    assert Criterion.objects.get(key="contacts").choices("en")[2] == (3, "3 times or more")


def test_the_overall_criterion_cannot_be_switched_off():
    overall = Criterion.objects.get(key="overall")
    overall.active = False
    with pytest.raises(ValidationError):
        overall.clean()


@pytest.mark.parametrize(
    "options",
    [
        [],
        [{"value": 1, "vi": "A"}],
        [{"value": 1, "vi": "A"}, {"value": 1, "vi": "B"}],
        [{"value": "x", "vi": "A"}, {"value": 2, "vi": "B"}],
    ],
)
def test_choice_criteria_need_two_distinct_options(options):
    with pytest.raises(ValidationError):
        Criterion(key="x", question_vi="?", kind="choice", options=options).clean()


def test_an_administrator_edits_criteria_in_the_admin(client, world, make_user):
    admin = make_user("qt", Role.ADMINISTRATOR, world["agency"])
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    criterion = Criterion.objects.get(key="publicity")
    url = f"/quan-tri/ratings/criterion/{criterion.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "key": "publicity",
        "question_vi": "Niêm yết công khai thủ tục",
        "question_en": "",
        "kind": "scale",
        "options": "[]",
        "order": "85",
        "active": "on",
    }
    assert client.post(url, data).status_code == 302
    criterion.refresh_from_db()
    assert criterion.question_vi == "Niêm yết công khai thủ tục" and criterion.order == 85


def test_ratings_are_read_only_for_supervisors_in_their_scope(client, world, returned):
    d = returned()
    services.submit_rating(
        services.ByLink(d.code, rating_token(d)), {"overall": 2}, "Chậm", now=at("2026-03-06 10:00")
    )
    supervisor = world["supervisor"]
    supervisor.is_staff = True
    supervisor.save()
    client.force_login(supervisor)
    listing = client.get("/quan-tri/ratings/rating/")
    assert listing.status_code == 200 and d.code in listing.text
    rating = d.rating
    detail = client.get(f"/quan-tri/ratings/rating/{rating.pk}/change/")
    assert detail.status_code == 200 and 'name="comment"' not in detail.text  # read-only
    assert client.get("/quan-tri/ratings/rating/add/").status_code == 403
    assert client.get("/quan-tri/ratings/criterion/").status_code == 200  # may look
    assert client.get("/quan-tri/ratings/criterion/add/").status_code == 403  # not edit


def test_the_rebuild_command(world, returned):
    d = returned()
    services.submit_rating(
        services.ByLink(d.code, rating_token(d)), {"overall": 5}, now=at("2026-03-06 10:00")
    )
    UnitTally.objects.all().delete()
    out = StringIO()
    call_command("rebuild_rating_tallies", stdout=out)
    assert "1 phiếu" in out.getvalue()
    assert UnitTally.objects.get(kind="receiving").satisfied == 1


def test_a_tablet_is_revoked_in_the_admin(client, world, make_user):
    services.pair_tablet(world["officer"], world["counter"], now=at("2026-03-01 08:00"))
    admin = make_user("qt", Role.ADMINISTRATOR, world["agency"])
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    tablet = Tablet.objects.get()
    response = client.post(
        "/quan-tri/ratings/tablet/", {"action": "revoke", "_selected_action": [tablet.pk]}
    )
    assert response.status_code == 302
    tablet.refresh_from_db()
    assert tablet.revoked
