"""Report page and downloads. Downloads need a fresh sign-in, as sign-off does."""

from __future__ import annotations

import pandas as pd
from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import fresh_login_required, role_required
from app.reporting import bp
from app.services import job_work, reports
from app.services.catalogue import catalogue
from app.services.errors import ValidationFailed
from app.templating import uk_date
from reports import charts
from reports.export import DEFINITIONS
from reports.frames import Filters

FILTERS = ("pathway", "cohort", "site", "profession")
BACKGROUND_FORMATS = ("csv", "xlsx")  # JSON is for scripts, which wait for their answer


def _filters() -> Filters:
    return Filters(**{name: request.args.get(name) or None for name in FILTERS})


@bp.get("/cohorts")
@role_required()
def cohorts():
    options = reports.filter_options(current_user)
    try:
        as_of = reports.parse_as_of(request.args.get("as_of"))
    except ValidationFailed as failure:
        return render_template("reporting/cohorts.html", options=options, errors=failure.fields, report=None), 422
    try:
        report = reports.cohort_report(current_user, as_of, _filters())
    except ValidationFailed as failure:  # a filter naming nothing in the organisation, as the downloads refuse it
        return render_template("reporting/cohorts.html", options=options, errors=failure.fields, report=None), 400
    figures = charts.all_charts(report.views["cohort"], report.per_enrolment, as_of)
    svgs = {name: charts.svg_data_uri(figure) for name, figure in figures.items()}
    return render_template("reporting/cohorts.html", options=options, errors={}, report=report, charts=svgs,
                           definitions=DEFINITIONS, query=request.args.to_dict())  # fmt: skip


@bp.get("/cohorts/download.<fmt>")
@role_required()
@fresh_login_required()
def download(fmt: str):
    try:
        as_of = reports.parse_as_of(request.args.get("as_of"))
        if fmt in BACKGROUND_FORMATS and reports.enrolments_in_scope(current_user, _filters()) > current_app.config[
            "REPORT_BACKGROUND_ENROLMENTS"
        ]:  # too long to prepare in a request: the worker prepares it and its page links to it
            job = job_work.start_export(current_user, fmt, as_of, _filters())
            return redirect(url_for("jobs.show", job_id=job.id))
        result = reports.export_report(current_user, fmt, as_of, _filters())
    except ValidationFailed as failure:
        abort(400, failure.message)
    headers = {"Content-Disposition": f'attachment; filename="{result.filename}"'}
    return Response(result.content, mimetype=result.mimetype, headers=headers)


@bp.app_template_filter("programme_title")
def programme_title(key: str) -> str:
    """A programme key as the page names it; the downloads keep the key (docs/CONTRACT.md)."""
    return catalogue().latest(key).title if key in catalogue().keys() else key


@bp.app_template_filter("report_cell")
def report_cell(value: object, column: str, row: dict | None = None) -> str:
    """A measure as the page shows it: titles for keys, rates as percentages, dates the UK way, empty as a dash."""
    if pd.isna(value):
        return "–"
    if column == "pathway":
        return programme_title(str(value))
    if column == "stage" and row and row.get("pathway") in catalogue().keys():
        stages = {s.key: s.title for s in catalogue().latest(row["pathway"]).stages}
        return stages.get(str(value), str(value))
    if column in ("completion_rate", "on_time_rate"):
        return f"{float(value):.1%}"
    if column == "cohort_start":
        return uk_date(value.date())
    if isinstance(value, float):
        return f"{value:,.1f}" if not value.is_integer() or column.startswith("hours") else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)
