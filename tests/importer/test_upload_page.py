"""The upload page: check, preview what would change, confirm; bad files and bad rows change nothing."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.factories import PASSWORD, LeadFactory, LearnerFactory
from tests.importer.conftest import counts, csv_file, person, staff


def sign_in(client, user) -> None:
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def upload(client, data: bytes, filename: str = "starters.csv"):
    return client.post("/import/", data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def test_a_lead_previews_then_confirms_an_import(client, trust):
    sign_in(client, trust.lead)
    page = client.get("/import/").get_data(as_text=True)
    assert "<h1>Import learners</h1>" in page and 'type="file"' in page
    before = counts()
    preview = upload(client, csv_file([person("N1", last_name="O'Neill"), staff("N2", first_name="Zoë")]))
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Check what the file would change" in text and "Nothing has been saved yet" in text
    assert "O&#39;Neill" in text and "Zoë" in text and "preceptorship, Preceptorship September 2026" in text
    assert counts() == before
    upload_id = re.search(r'name="upload_id" value="([0-9a-f]{32})"', text).group(1)
    done = client.post("/import/confirm", data={"upload_id": upload_id})
    assert done.status_code == 200 and "Import complete" in done.get_data(as_text=True)
    assert db.session.scalar(select(User.last_name).where(User.employee_number == "N1")) == "O'Neill"
    again = client.post("/import/confirm", data={"upload_id": upload_id})
    assert again.status_code == 302  # an import is done once


def test_bad_rows_are_all_listed_and_nothing_is_written(client, trust):
    sign_in(client, trust.lead)
    before = counts()
    response = upload(client, csv_file([person("N1", pathway="nursing-associate"), person("N2", email="bad@")]))
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported: 2 problems in starters.csv" in text
    assert "row 2: pathway: there is no programme called &#39;nursing-associate&#39;" in text
    assert "row 3: email: &#39;bad@&#39; is not a valid email address" in text
    assert counts() == before


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"employee_number,email\r\n", "starters.xlsx", "The file must be a CSV file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "starters.csv", "not a spreadsheet workbook"),
        (b"", "starters.csv", "The selected file is empty"),
        (b"x" * 2_000, "big.csv", "The file must be 1 KB or smaller"),
        (b"x" * 200_000, "huge.csv", "The file must be 1 KB or smaller"),
    ],
    ids=["not-csv-name", "workbook", "empty", "too-large", "far-too-large"],
)
def test_a_file_that_is_not_a_small_csv_is_refused(client, trust, monkeypatch, app, data, filename, message):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1_000)
    sign_in(client, trust.lead)
    response = upload(client, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_no_file_chosen_is_an_error_on_the_field(client, trust):
    sign_in(client, trust.lead)
    response = client.post("/import/", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Select a CSV file to import" in response.get_data(as_text=True)


def test_someone_else_s_upload_cannot_be_confirmed(client, app, trust):
    sign_in(client, trust.lead)
    text = upload(client, csv_file([staff("N1")])).get_data(as_text=True)
    upload_id = re.search(r'name="upload_id" value="([0-9a-f]{32})"', text).group(1)
    other = app.test_client()
    sign_in(other, LeadFactory(organisation=trust.organisation))
    before = counts()
    assert other.post("/import/confirm", data={"upload_id": upload_id}).status_code == 302
    assert counts() == before


def test_learners_cannot_open_the_import_page(client, trust):
    sign_in(client, LearnerFactory(organisation=trust.organisation))
    assert client.get("/import/").status_code == 403
    assert upload(client, csv_file([staff("N1")])).status_code == 403


def test_the_template_file_has_every_column(client, trust):
    sign_in(client, trust.lead)
    response = client.get("/import/template.csv")
    assert response.get_data(as_text=True).strip().split(",")[:2] == ["employee_number", "first_name"]


def test_signing_in_comes_first(client, trust):
    response = client.get("/import/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
