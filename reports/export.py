"""CSV, XLSX and JSON of a report. Text a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import xlsxwriter

from reports.report import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RATES = {"completion_rate", "on_time_rate"}
DATES = {"cohort_start"}
SHEETS = {"cohort": "Cohorts", "site": "By site", "profession": "By profession", "stage": "By stage"}
DEFINITIONS = {
    "organisation": "Organisation slug",
    "pathway": "Programme key",
    "pathway_version": "The definition version the cohort's enrolments follow",
    "cohort": "Cohort name",
    "cohort_start": "Cohort start date",
    "site": "The learner's site",
    "profession": "The learner's profession",
    "stage": "Stage on the as-of date",
    "enrolled": "Enrolments in the group",
    "active": "Neither completed, withdrawn nor on hold on the as-of date",
    "on_hold": "On hold on the as-of date",
    "completed": "Reached the programme's completed stage on or before the as-of date",
    "withdrawn": "Withdrawn on or before the as-of date",
    "completion_rate": "Completed ÷ enrolled",
    "completed_on_time": "Completed on or before the expected end (start + programme length + days on hold "
    "+ agreed extensions)",
    "on_time_rate": "Completed on time ÷ completed; empty when nothing has completed",
    "median_days_to_complete": "Median calendar days from start to completion, not counting days on hold; "
    "empty when none",
    "overdue_reviews": "Reviews due before the as-of date and not yet held, over active and on-hold enrolments",
    "hours_logged": "Protected learning or off-the-job hours logged, summed",
    "hours_target": "The programme's hours target to date, summed over active enrolments",
    "preceptor_overrides": "Enrolments whose preceptor a lead assigned by override of the preceptor rules "
    "(no eligible preceptor was available), with the reason recorded",
}


def safe_text(value: object) -> object:
    """Prefix ' to text a spreadsheet would otherwise run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text, empty for missing, text neutralised: the CSV and JSON shape."""
    out = frame.copy()
    for column in out.columns:
        if column in DATES:
            out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")  # an empty report has no dtype
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_text)
    return out


def to_csv(report: Report, view: str = "cohort") -> bytes:
    return _plain(report.views[view]).to_csv(index=False, float_format="%.10g").encode("utf-8")


def to_json(report: Report) -> bytes:
    def records(frame: pd.DataFrame) -> list[dict]:
        out = frame.copy()
        for column in DATES & set(out.columns):
            out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")  # an empty report has no dtype
        rows = out.astype(object).where(out.notna(), None).to_dict(orient="records")
        return [{k: _json_value(v) for k, v in row.items()} for row in rows]

    body: dict[str, object] = {"as_of": report.as_of.isoformat(), "filters": report.filters.describe()}
    body |= {view: records(frame) for view, frame in report.views.items()}
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def _json_value(value: object) -> object:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def to_xlsx(report: Report, charts: dict[str, bytes] | None = None) -> bytes:
    """One sheet per view, a Charts sheet with the PNGs, and an About sheet."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(buffer, options) as book:
        styles = {
            "header": book.add_format(
                {
                    "bold": True,
                    "bg_color": "#005EB8",
                    "font_color": "#FFFFFF",
                    "text_wrap": True,
                    "valign": "top",
                    "border": 1,
                }
            ),  # fmt: skip
            "date": book.add_format({"num_format": "d mmmm yyyy"}),
            "rate": book.add_format({"num_format": "0.0%"}),
            "hours": book.add_format({"num_format": "#,##0.00"}),
        }
        for view, title in SHEETS.items():
            _sheet(book.add_worksheet(title), report.views[view], styles)
        if charts:
            sheet = book.add_worksheet("Charts")
            for n, (name, png) in enumerate(charts.items()):
                sheet.write_string(n * 26, 0, name, styles["header"])
                sheet.insert_image(n * 26 + 1, 0, f"{name}.png", {"image_data": io.BytesIO(png), "x_scale": 0.8,
                                                                   "y_scale": 0.8})  # fmt: skip
        _about(book.add_worksheet("About"), report, styles)
    return buffer.getvalue()


def _writer(column: str, styles: dict) -> Callable:
    def write(sheet, row: int, col: int, value: Any) -> None:  # a cell of an object column: text, number or date
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
            sheet.write_blank(row, col, None)
        elif column in DATES:
            sheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), styles["date"])
        elif isinstance(value, str):
            sheet.write_string(row, col, safe_text(value))
        elif column in RATES:
            sheet.write_number(row, col, float(value), styles["rate"])
        elif column.startswith("hours"):
            sheet.write_number(row, col, float(value), styles["hours"])
        else:
            sheet.write_number(row, col, float(value))

    return write


def _sheet(sheet, frame: pd.DataFrame, styles: dict) -> None:
    for col, column in enumerate(frame.columns):
        sheet.write_string(0, col, column, styles["header"])
        write = _writer(column, styles)
        values = frame[column].astype(object).where(frame[column].notna(), None)
        for row, value in enumerate(values, start=1):
            write(sheet, row, col, value)
        width = max([len(column)] + [len(str(v)) for v in values[:500]]) + 2
        sheet.set_column(col, col, min(max(width, 10), 48))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), max(len(frame.columns) - 1, 0))


def _about(sheet, report: Report, styles: dict) -> None:
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 100)
    rows = [("Report", "Cohort completion report"), ("As of", report.as_of.strftime("%-d %B %Y"))]
    rows += [(f"Filter: {k}", v) for k, v in report.filters.describe().items()] or [("Filters", "None")]
    sheet.write_row(0, 0, ["Item", "Value"], styles["header"])
    for n, (name, value) in enumerate(rows, start=1):
        sheet.write_string(n, 0, name)
        sheet.write_string(n, 1, safe_text(value))
    start = len(rows) + 2
    sheet.write_row(start, 0, ["Column", "Definition"], styles["header"])
    for n, (name, text) in enumerate(DEFINITIONS.items(), start=start + 1):
        sheet.write_string(n, 0, name)
        sheet.write_string(n, 1, text)
    sheet.freeze_panes(1, 0)
