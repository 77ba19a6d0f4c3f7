"""Evidence over the API: multipart upload, the list, and the file itself, with the web app's permissions."""

from __future__ import annotations

import io

import pytest

from app.services import signoffs, tokens
from tests.portfolio.conftest import PDF, phone_photo, stored_files


@pytest.fixture
def auth(world):
    issued = {}

    def header(user):
        if user.id not in issued:
            issued[user.id] = {"Authorization": f"Bearer {tokens.issue(user)}"}
        return issued[user.id]

    return header


@pytest.fixture
def waiting(world):
    return signoffs.act(world.learner, world.enrolment.id, "alert_course", "request", text="ALERT course")


def upload(client, world, headers, data: bytes, name: str, **form):
    body = {"attached_to": "signoff", **form, "file": (io.BytesIO(data), name)}
    return client.post(
        f"/api/v1/enrolments/{world.enrolment.id}/evidence",
        data=body,
        headers=headers,
        content_type="multipart/form-data",
    )


def test_upload_list_and_download(client, world, auth, waiting):
    response = upload(client, world, auth(world.learner), phone_photo(), "IMG_1.HEIC.jpg", attached_id=waiting.id)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["content_type"] == "image/jpeg" and body["file_name"] == "IMG_1.HEIC.jpg"
    assert body["url"] == f"/api/v1/evidence/{body['id']}"
    listed = client.get(f"/api/v1/enrolments/{world.enrolment.id}/evidence", headers=auth(world.preceptor)).json
    assert [item["id"] for item in listed["items"]] == [body["id"]] and listed["total"] == 1
    download = client.get(body["url"], headers=auth(world.preceptor))
    assert download.status_code == 200 and download.mimetype == "image/jpeg"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("who", ["other_preceptor", "foreign_lead"])
def test_outsiders_get_not_found(client, world, auth, waiting, who):
    body = upload(client, world, auth(world.learner), PDF, "a.pdf", attached_id=waiting.id).json
    assert client.get(body["url"], headers=auth(getattr(world, who))).status_code == 404


def test_refusals_are_json_with_the_field_and_store_nothing(client, world, auth, waiting, evidence_dir):
    html = upload(
        client, world, auth(world.learner), b"<html><script>x</script></html>", "a.pdf", attached_id=waiting.id
    )
    assert html.status_code == 422 and "PDF, JPEG" in html.json["error"]["fields"]["file"]
    wrong = upload(client, world, auth(world.learner), PDF, "a.pdf", attached_to="certificate", attached_id=waiting.id)
    assert wrong.status_code == 422 and "attached_to" in wrong.json["error"]["fields"]
    assessor = upload(client, world, auth(world.preceptor), PDF, "a.pdf", attached_id=waiting.id)
    assert assessor.status_code == 403
    assert stored_files(evidence_dir) == []
