"""``flask reports cohort`` as CONTRACT.md gives it: files out, one line per problem, nothing written on error."""

from __future__ import annotations

import csv
import json

import openpyxl
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent


def run(app, *args):
    return app.test_cli_runner().invoke(args=["reports", "cohort", *args])


def test_csv_for_one_organisation_and_cohort(app, scenario, tmp_path):
    out = tmp_path / "report.csv"
    result = run(app, "--format", "csv", "--output", str(out), "--org", "trust-a", "--pathway", "preceptorship",
                 "--cohort", "September 2025", "--as-of", "2026-09-15")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert (row["cohort"], row["enrolled"], row["completed_on_time"], row["hours_target"]) == (
        "September 2025", "8", "3", "185.1")  # fmt: skip
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.exported")).one()
    assert json.loads(event.detail)["format"] == "csv"


def test_json_and_xlsx(app, scenario, tmp_path):
    assert run(app, "--format", "json", "--output", str(tmp_path / "r.json"), "--as-of", "2026-01-01").exit_code == 0
    body = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert body["as_of"] == "2026-01-01" and body["cohort"][0]["enrolled"] == 7
    assert run(app, "--format", "xlsx", "--output", str(tmp_path / "r.xlsx")).exit_code == 0
    assert "About" in openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames


def test_bad_input_gives_one_line_per_problem_and_writes_nothing(app, scenario, tmp_path):
    out = tmp_path / "report.pdf"
    result = run(app, "--format", "pdf", "--output", str(out), "--org", "nowhere", "--pathway", "astrology",
                 "--cohort", "Nobody", "--as-of", "15/09/2026")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "--format: 'pdf' is not one of csv, xlsx, json",
        "--org: there is no organisation 'nowhere'",
        "--pathway: there is no programme 'astrology'",
        "--cohort: there is no cohort 'Nobody'",
        "--as-of: '15/09/2026' is not a date in the form YYYY-MM-DD",
    ]
    assert not out.exists()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_an_unwritable_output_is_one_line(app, scenario, tmp_path):
    result = run(app, "--format", "csv", "--output", str(tmp_path / "missing" / "r.csv"))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("--output: cannot write")
