"""Report page and downloads. Downloads need a fresh sign-in, as sign-off does."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import fresh_login_required, role_required
from app.reporting import bp, tables
from app.services import job_work, report_page, reports
from app.services.errors import ValidationFailed
from reports.export import DEFINITIONS
from reports.frames import Filters

FILTERS = ("pathway", "cohort", "site", "profession")
PARTS = ("day", "month", "year")
BACKGROUND_FORMATS = ("csv", "xlsx")  # JSON is for scripts, which wait for their answer


def _filters() -> Filters:
    return Filters(**{name: request.args.get(name) or None for name in FILTERS})


def _as_of() -> date:
    """From the page's date input (as_of[day] etc.) or, as links and the downloads have it, as_of=YYYY-MM-DD."""
    parts = {part: request.args.get(f"as_of[{part}]", "").strip() for part in PARTS}
    return reports.as_of_from_parts(**parts) if any(parts.values()) else reports.parse_as_of(request.args.get("as_of"))


def _page(status: int = 200, errors: dict | None = None, **context):
    parts = {part: request.args.get(f"as_of[{part}]", "") for part in PARTS}
    if report := context.get("report"):
        parts = {"day": str(report.as_of.day), "month": str(report.as_of.month), "year": str(report.as_of.year)}
    options = reports.filter_options(current_user)
    return render_template("reporting/cohorts.html", options=options, errors=errors or {}, as_of_parts=parts,
                           views=tables.VIEWS, measures=tables.MEASURES, definitions=DEFINITIONS,
                           programme_title=tables.programme_title, **context), status  # fmt: skip


@bp.get("/cohorts")
@role_required()
def cohorts():
    try:
        as_of = _as_of()
    except ValidationFailed as failure:
        return _page(422, failure.fields, report=None)
    try:
        report = report_page.report_page(current_user, as_of, _filters())
    except ValidationFailed as failure:  # a filter naming nothing in the organisation, as the downloads refuse it
        return _page(400, failure.fields, report=None)
    query = {**report.filters.describe(), "as_of": as_of.isoformat()}
    query.pop("organisation")
    sections = {view: tables.sections(view, report.views[view]) for view in tables.VIEWS}
    return _page(report=report, query=query, sections=sections, figures=report_page.figures_note(report))


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
