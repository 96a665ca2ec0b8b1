"""S3-compatible storage through django-storages, against a real local S3 server (moto's
ThreadedMotoServer, started here): the settings read from the environment, content-addressed
names, encryption at rest, a private bucket, downloads only through the checked view."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.documents import storage
from motcua.documents.models import StoredFile

moto_server = pytest.importorskip("moto.server", reason="moto[server] is a test dependency")
boto3 = pytest.importorskip("boto3")
requests = pytest.importorskip("requests")

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "motcua-ho-so"
PREFIX = "thu-nghiem"
CLEAR = "Căn cước công dân số 079090001234 — Nguyễn Văn An".encode()


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3-compatible server with one private bucket, for the whole session."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="motcua",
        aws_secret_access_key="motcua-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


def settings_from_env(**env) -> dict:
    """``STORAGES`` as ``motcua.settings`` builds it from these environment variables (in a
    fresh interpreter, so the real settings code runs)."""
    code = "import json, motcua.settings as s; print(json.dumps(s.STORAGES))"
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("S3_", "STORAGE_BACKEND"))
    }
    environment.update(env, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1])
    return json.loads(out.stdout)


def s3_env(endpoint: str) -> dict:
    return {
        "STORAGE_BACKEND": "storages.backends.s3.S3Storage",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "motcua",
        "S3_SECRET_ACCESS_KEY": "motcua-secret",
        "S3_PREFIX": PREFIX,
    }


@pytest.fixture(scope="session")
def s3_storages(s3_endpoint):
    endpoint, _client = s3_endpoint
    return settings_from_env(**s3_env(endpoint))


@pytest.fixture
def on_s3(settings, s3_storages, s3_endpoint):
    settings.STORAGES = s3_storages
    return s3_endpoint[1]


def test_the_settings_configure_django_storages_from_the_environment(s3_storages, s3_endpoint):
    default = s3_storages["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == BUCKET and options["endpoint_url"] == s3_endpoint[0]
    assert options["location"] == PREFIX and options["addressing_style"] == "path"
    assert options["default_acl"] is None  # the bucket's own (private) policy
    assert options["verify"] is True and options["signature_version"] == "s3v4"
    assert "OPTIONS" not in settings_from_env()["default"]  # local files stay the default
    with pytest.raises(RuntimeError, match="S3_BUCKET is not set"):
        settings_from_env(STORAGE_BACKEND="storages.backends.s3.S3Storage")


@pytest.mark.django_db
def test_files_are_stored_under_their_sha256_in_the_bucket(on_s3):
    data = b"%PDF-1.4\n" + CLEAR
    stored = storage.store_bytes(data, original_name="to-khai.pdf", content_type="application/pdf")
    sha = storage.sha256_hex(data)
    assert stored.storage_name == f"documents/{sha[:2]}/{sha[2:4]}/{sha}"
    head = on_s3.head_object(Bucket=BUCKET, Key=f"{PREFIX}/{stored.storage_name}")
    assert head["ContentLength"] == len(data) == stored.size
    assert storage.read_bytes(stored) == data
    again = storage.store_bytes(data, original_name="ban-sao.pdf", content_type="application/pdf")
    assert again.storage_name == stored.storage_name  # one blob, two uses
    keys = on_s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/documents/{sha[:2]}/")
    assert [o["Key"] for o in keys["Contents"]].count(f"{PREFIX}/{stored.storage_name}") == 1


@pytest.mark.django_db
def test_encrypted_files_are_not_readable_in_clear_in_the_bucket(on_s3):
    stored = storage.store_bytes(
        CLEAR, original_name="cccd.jpg", content_type="image/jpeg", encrypt=True
    )
    raw = on_s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{stored.storage_name}")["Body"].read()
    assert CLEAR not in raw and b"079090001234" not in raw
    assert storage.sha256_hex(CLEAR) not in stored.storage_name  # the name reveals nothing
    assert storage.read_bytes(stored) == CLEAR


@pytest.mark.django_db
def test_the_bucket_is_private_and_files_leave_only_through_the_checked_view(
    on_s3, s3_endpoint, client, world, intake
):
    d = intake("2026-03-02 09:00")
    stored = storage.store_bytes(
        CLEAR, original_name="cccd.jpg", content_type="image/jpeg", encrypt=True, dossier=d
    )
    plain = storage.store_bytes(
        b"%PDF-1.4 ket qua", original_name="kq.pdf", content_type="application/pdf", dossier=d
    )
    for row in (stored, plain):  # nobody reads the bucket without keys
        url = f"{s3_endpoint[0]}/{BUCKET}/{PREFIX}/{row.storage_name}"
        assert requests.get(url, timeout=10).status_code == 403
    view = f"/xac-thuc/tep/{stored.uid}/"
    assert client.get(view).status_code == 302  # anonymous: the login page
    client.force_login(world["other_specialist"])  # another ward
    assert client.get(view).status_code == 404
    client.force_login(world["officer"])
    response = client.get(view)
    assert response.status_code == 200 and response.content == CLEAR
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_a_blob_altered_in_the_bucket_is_refused(on_s3, client, world, intake):
    d = intake("2026-03-02 09:00")
    stored = storage.store_bytes(
        b"%PDF-1.4 ban goc", original_name="kq.pdf", content_type="application/pdf", dossier=d
    )
    on_s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}/{stored.storage_name}", Body=b"%PDF-1.4 sua")
    with pytest.raises(storage.StoredFileDamaged):
        storage.read_bytes(StoredFile.objects.get(pk=stored.pk))
    client.force_login(world["officer"])
    assert client.get(f"/xac-thuc/tep/{stored.uid}/").status_code == 503
