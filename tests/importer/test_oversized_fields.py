"""A value longer than the CSV reader will hold: the file's problem, shown as any other, and nothing written."""

from __future__ import annotations

import io

from app.services import importer
from tests.factories import PASSWORD
from tests.importer.conftest import counts, csv_file, person

PROBLEM = "row 3: file: a value in this row is longer than 128 KB"


def file_with_a_huge_value() -> bytes:
    """A good row, then one whose last name runs past the CSV reader's 128 KB field limit."""
    return csv_file([person("N1"), person("N2", last_name="x" * 200_000)])


def test_a_value_over_128_kb_is_a_problem_with_the_file_and_nothing_is_written(trust):
    before = counts()
    problems = importer.run(None, trust.organisation, file_with_a_huge_value()).problems
    assert len(problems) == 1 and problems[0].startswith(PROBLEM)
    assert "quote" in problems[0]  # the usual cause: an unclosed quote runs the rest of the file into one value
    assert counts() == before


def test_the_upload_page_shows_a_value_over_128_kb_as_the_file_s_problem(trust, client):
    assert client.post("/login", data={"email": trust.lead.email, "password": PASSWORD}).status_code == 302
    before = counts()
    response = client.post(
        "/import/",
        data={"file": (io.BytesIO(file_with_a_huge_value()), "starters.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert PROBLEM in response.get_data(as_text=True)
    assert counts() == before


def test_the_import_command_reports_a_value_over_128_kb_on_stderr(trust, app, tmp_path):
    path = tmp_path / "starters.csv"
    path.write_bytes(file_with_a_huge_value())
    before = counts()
    result = app.test_cli_runner().invoke(args=["learners", "import", str(path), "--org", "northgate"])
    assert result.exit_code == 1
    assert PROBLEM in result.stderr and "nothing was imported" in result.stderr
    assert counts() == before
