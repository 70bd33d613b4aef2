"""The S3-compatible storage option (README « Stockage »), against moto's local S3 server on
loopback: a kept document's bytes go to the bucket under their hash, come back through the
permission-checked download, and `courtier verify-documents` re-hashes them there, reporting an
object altered in the bucket."""

from __future__ import annotations

import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from courtier.documents.services.store import document_keep
from tests.factories import pdf_bytes

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

BUCKET = "courtier-documents"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port())
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    storages = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "location": "courtier",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_documents_are_kept_in_the_bucket_and_verified_there(bucket, client, people, orgs, capsys):
    content = pdf_bytes("dans le compartiment")
    document = document_keep(
        by=people["supplier_rep"],
        subject=orgs["supplier"],
        type="supplier_communication",
        title="Courriel",
        name="courriel.pdf",
        content=content,
    )
    key = "courtier/" + document.stored.file.name
    assert document.sha256 in key
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == content
    client.force_login(people["supplier_rep"])
    response = client.get(f"/documents/{document.pk}/telecharger/")
    assert b"".join(response.streaming_content) == content
    call_command("verify-documents")
    assert "1 versions vérifiées, 0 problème(s)." in capsys.readouterr().out
    bucket.put_object(Bucket=BUCKET, Key=key, Body=content + b"altered")
    with pytest.raises(CommandError):
        call_command("verify-documents")
    assert document.sha256 in capsys.readouterr().err
