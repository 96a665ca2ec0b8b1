import pytest
from django.utils import translation

from tests.portal.data import build_catalogue


@pytest.fixture(autouse=True)
def vietnamese():
    """Vietnamese is the default; a request to /en/ must not leak English into the next test."""
    with translation.override("vi"):
        yield


@pytest.fixture
def catalogue(db):
    return build_catalogue()
