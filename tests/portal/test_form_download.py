"""Form templates uploaded by an administrator are downloadable from the procedure page."""

import pytest
from django.core.files.base import ContentFile

from motcua.catalog.models import FormTemplate
from tests.catalog.factories import make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_uploaded_form_is_linked_and_downloads(client, media):
    version = make_version()
    form = FormTemplate.objects.get(component__case__version=version)
    form.file.save("to-khai.docx", ContentFile(b"PK\x03\x04 form"), save=True)
    page = client.get(f"/thu-tuc-hanh-chinh/{version.procedure.code}/").content.decode()
    link = f"/bieu-mau/{form.pk}/"
    assert link in page
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04 form"
    assert "attachment" in response["Content-Disposition"]


def test_forms_of_drafts_and_missing_files_are_404(client, media):
    draft = make_version("9.000001", "Bản nháp", status="draft")
    form = FormTemplate.objects.get(component__case__version=draft)
    form.file.save("x.docx", ContentFile(b"x"), save=True)
    assert client.get(f"/bieu-mau/{form.pk}/").status_code == 404
    empty = FormTemplate.objects.get(component__case__version=make_version())
    assert client.get(f"/bieu-mau/{empty.pk}/").status_code == 404
