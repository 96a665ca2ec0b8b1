"""My dossiers (hồ sơ của tôi): only the citizen's own, with their progress."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from motcua.dossiers.services import Applicant, NewDossier, create_dossier
from tests.dossiers.conftest import at, intake, world  # noqa: F401  (fixtures)
from tests.portal.test_submit import ID_AN, ID_BINH, make_citizen


def _online(world, applicant: Applicant):  # noqa: F811
    world["version"].online_class = "full"
    world["version"].save()
    data = NewDossier(offering=world["offering"], channel="online", applicant=applicant)
    dossier, _ = create_dossier(None, data, now=at("2026-03-03 10:00"))
    return dossier


BINH = Applicant(name="Trần Thị Bình", id_number=ID_BINH, birth_date=dt.date(1995, 1, 1))


def test_login_is_required(client, db):
    response = client.get("/ho-so-cua-toi/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:account_login"))


def test_lists_only_own_dossiers(client, world, intake):  # noqa: F811
    mine = intake()  # applicant 079090001234 (Nguyễn Văn An), received: has a code
    theirs = _online(world, BINH)
    an = make_citizen("an", ID_AN, "Nguyễn Văn An", dt.date(1990, 5, 4))
    client.force_login(an)
    text = client.get("/ho-so-cua-toi/").content.decode()
    assert mine.display_code in text
    assert "Đăng ký thường trú" in text
    assert theirs.reference not in text
    assert reverse("portal:mine_detail", args=[mine.display_code]) in text


def test_detail_shows_the_timeline_and_is_private(client, world, intake):  # noqa: F811
    mine = intake()
    an = make_citizen("an", ID_AN, "Nguyễn Văn An", dt.date(1990, 5, 4))
    client.force_login(an)
    response = client.get(f"/ho-so-cua-toi/{mine.display_code}/")
    assert response.status_code == 200
    assert response.context["timeline"]
    assert response.context["status"] == "Đang giải quyết"
    assert client.get(f"/ho-so-cua-toi/{mine.reference}/").status_code == 200

    binh = make_citizen("binh", ID_BINH, "Trần Thị Bình", dt.date(1995, 1, 1))
    client.force_login(binh)
    assert client.get(f"/ho-so-cua-toi/{mine.display_code}/").status_code == 404
    assert mine.display_code not in client.get("/ho-so-cua-toi/").content.decode()


def test_representative_sees_dossiers_filed_for_others(client, world):  # noqa: F811
    filed = _online(
        world,
        Applicant(
            name="Trần Thị Bình",
            id_number=ID_BINH,
            birth_date=dt.date(1995, 1, 1),
            representative_name="Nguyễn Văn An",
            representative_id_number=ID_AN,
        ),
    )
    an = make_citizen("an", ID_AN, "Nguyễn Văn An", dt.date(1990, 5, 4))
    client.force_login(an)
    assert filed.reference in client.get("/ho-so-cua-toi/").content.decode()
    assert client.get(f"/ho-so-cua-toi/{filed.reference}/").status_code == 200
