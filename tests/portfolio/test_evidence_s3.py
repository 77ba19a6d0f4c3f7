"""Evidence files in an S3-compatible bucket: a real S3 server (moto's, over HTTP on loopback) started here."""

from __future__ import annotations

import io
from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, SignOffEvent
from tests.portfolio.conftest import PDF, phone_photo, stored_files
from tests.portfolio.test_evidence_uploads import ask_with_files, files_on_record
from tests.servers import free_port

BUCKET = "waymark-evidence-test"
CREDENTIALS = {"EVIDENCE_S3_ACCESS_KEY_ID": "testing", "EVIDENCE_S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(app, s3_endpoint, monkeypatch):
    """The app pointed at a fresh bucket on the S3 server; the bucket's client, to look inside it."""
    settings = {
        "EVIDENCE_S3_BUCKET": BUCKET,
        "EVIDENCE_S3_ENDPOINT_URL": s3_endpoint,
        "EVIDENCE_S3_REGION": "eu-west-2",
        "EVIDENCE_S3_PREFIX": "evidence/",
        "EVIDENCE_S3_ADDRESSING": "path",
        **CREDENTIALS,
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys_in(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_uploads_go_to_the_bucket_and_come_back_to_the_assessor(as_user, world, bucket, evidence_dir):
    response = ask_with_files(as_user, world, (PDF, "ALERT certificate.pdf"), (phone_photo(), "IMG_0042.JPG"))
    assert response.status_code == 302
    pdf, photo = files_on_record()
    expected = {f"evidence/{k[:2]}/{k}" for k in (pdf.storage_key, photo.storage_key, photo.thumbnail_key)}
    assert keys_in(bucket) == expected
    assert stored_files(evidence_dir) == []  # nothing in the local folder
    preceptor = as_user(world.preceptor)
    download = preceptor.get(f"/evidence/{pdf.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    kept = Image.open(io.BytesIO(preceptor.get(f"/evidence/{photo.id}").data))
    assert kept.getexif().get_ifd(0x8825) == {}  # what the bucket holds has no location
    thumbnail = Image.open(io.BytesIO(preceptor.get(f"/evidence/{photo.id}/thumbnail").data))
    assert thumbnail.format == "JPEG" and max(thumbnail.size) <= 480
    assert as_user(world.other_preceptor).get(f"/evidence/{pdf.id}").status_code == 404


def test_a_refused_upload_puts_nothing_in_the_bucket(as_user, world, bucket):
    html = b"<!doctype html><html><script>alert(1)</script></html>"
    response = ask_with_files(as_user, world, (PDF, "fine.pdf"), (html, "trick.pdf"))
    assert response.status_code == 400
    assert keys_in(bucket) == set() and files_on_record() == []


@pytest.fixture
def bucket_down(app, monkeypatch):
    """The app pointed at an S3 endpoint where nothing listens (the store is down)."""
    settings = {
        "EVIDENCE_S3_BUCKET": BUCKET,
        "EVIDENCE_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
        "EVIDENCE_S3_REGION": "eu-west-2",
        "EVIDENCE_S3_ADDRESSING": "path",
        **CREDENTIALS,
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)


def test_with_the_bucket_down_the_upload_is_refused_with_503_and_the_typed_evidence_kept(as_user, world, bucket_down):
    response = ask_with_files(as_user, world, (PDF, "ALERT certificate.pdf"), evidence="Two cases discussed on ward")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "The evidence file store is not answering, so nothing was saved" in html
    assert "Two cases discussed on ward" in html  # what they typed is on the page to send again
    assert files_on_record() == []
    assert db.session.scalar(select(SignOffEvent).where(SignOffEvent.enrolment_id == world.enrolment.id)) is None
    refused = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%.refused"))).all()
    assert refused, "the refused write leaves an audit event"


def test_with_the_bucket_down_a_download_answers_503_to_try_again(as_user, world, bucket, app, monkeypatch):
    assert ask_with_files(as_user, world, (PDF, "ALERT certificate.pdf")).status_code == 302
    (pdf,) = files_on_record()
    monkeypatch.setitem(app.config, "EVIDENCE_S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    download = as_user(world.preceptor).get(f"/evidence/{pdf.id}")
    assert download.status_code == 503 and download.headers["Retry-After"] == "30"
    assert "The evidence file store is not answering. Try again in a few minutes" in download.get_data(as_text=True)
