import pytest
from django.utils import translation

from tests.dossiers.conftest import world  # noqa: F401  (fixture)

from .data import build_catalogue


@pytest.fixture(autouse=True)
def vietnamese():
    """Vietnamese is the default; a request to /en/ must not leak English into the next test."""
    with translation.override("vi"):
        yield


@pytest.fixture
def catalogue(db):
    return build_catalogue()


@pytest.fixture
def media(settings, tmp_path):
    """Stored files go to a temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def an(db):
    """Nguyễn Văn An, the applicant of ``tests.dossiers.conftest.APPLICANT``, as a citizen."""
    import datetime as dt

    from tests.portal.test_submit import ID_AN, make_citizen

    return make_citizen("an", ID_AN, "Nguyễn Văn An", dt.date(1990, 5, 4))


@pytest.fixture
def binh(db):
    """Another citizen."""
    import datetime as dt

    from tests.portal.test_submit import ID_BINH, make_citizen

    return make_citizen("binh", ID_BINH, "Trần Thị Bình", dt.date(1995, 1, 1))


@pytest.fixture
def online(world):  # noqa: F811
    """The dossier world's procedure with a full online service."""
    world["version"].online_class = "full"
    world["version"].save()
    return world
