"""The cohort completion report (CONTRACT.md) as JSON or CSV, with the command line's filters."""

from __future__ import annotations

from flask import Response
from marshmallow import Schema, fields

from app.api import bp
from app.api.auth import actor
from app.api.common import errors
from app.api.schemas import Text
from app.services import reports
from app.services.clock import today
from reports.frames import Filters

CONTENT = {
    "application/json": {"schema": {"type": "object"}},
    "text/csv": {"schema": {"type": "string"}},
}


class ReportArgs(Schema):
    format = Text(load_default="json", choices=("json", "csv"))
    as_of = fields.Date(metadata={"description": "YYYY-MM-DD; today when left out"})
    pathway = Text(max_length=200)
    cohort = Text(max_length=200)
    site = Text(max_length=200)
    profession = Text(max_length=200)


@bp.get("/reports/cohort")
@bp.arguments(ReportArgs, location="query")
@bp.doc(responses={"200": {"description": "The report (JSON) or its cohort view (CSV)", "content": CONTENT}})
@errors(403, 422)
def cohort_report(args: dict):
    """The cohort completion report for your organisation (programme leads); the export is audited."""
    fmt, as_of = args.pop("format"), args.pop("as_of", None) or today()
    result = reports.export_report(actor(), fmt, as_of, Filters(**args))
    headers = {"Content-Disposition": f'attachment; filename="{result.filename}"'} if fmt == "csv" else {}
    return Response(result.content, content_type=result.mimetype, headers=headers)
