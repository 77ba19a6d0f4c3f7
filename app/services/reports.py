"""Cohort completion reports for leads and admins: their own organisation only, every export audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import distinct, func, select

from app.extensions import db
from app.models import Cohort, Enrolment, Site, User
from app.services import audit
from app.services.catalogue import catalogue, stored_definitions
from app.services.clock import today
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.permissions import STAFF_ROLES
from app.services.unit_of_work import command
from reports import charts, export
from reports.frames import Filters
from reports.report import Report
from reports.report import cohort_report as build_report

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
}


@dataclass(frozen=True)
class Export:
    content: bytes
    mimetype: str
    filename: str


def _require_staff(actor: User) -> None:
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only programme leads and administrators can see reports")


def parse_as_of(value: str | None) -> date:
    """The as-of date from a form or command line: YYYY-MM-DD, default today."""
    if not value:
        return today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed({"as_of": "Enter the as-of date as YYYY-MM-DD, for example 2026-11-24"}) from None


def as_of_from_parts(day: str, month: str, year: str) -> date:
    """The as-of date from the NHS date input's three boxes."""
    try:
        return date(int(year), int(month), int(day))
    except (ValueError, OverflowError):  # int() takes any number of digits; date() overflows past C long
        raise ValidationFailed({"as_of": "Enter a real as-of date, like 24 11 2026"}) from None


def filter_problems(filters: Filters, organisation_id: int | None) -> dict[str, str]:
    """Filters naming nothing (in the organisation, when one is given): a mistake, not an empty report."""

    def missing(model, column, value) -> bool:
        query = select(model.id).where(column == value)
        if organisation_id is not None:
            query = query.where(model.organisation_id == organisation_id)
        return db.session.scalar(query.limit(1)) is None

    problems = {}
    if filters.pathway and filters.pathway not in catalogue().keys():
        problems["pathway"] = f"there is no programme '{filters.pathway}'"
    if filters.cohort and missing(Cohort, Cohort.name, filters.cohort):
        problems["cohort"] = f"there is no cohort '{filters.cohort}'"
    if filters.site and missing(Site, Site.name, filters.site):
        problems["site"] = f"there is no site '{filters.site}'"
    return problems


def checked_filters(actor: User, filters: Filters) -> Filters:
    """The filters within the actor's own organisation, whatever organisation they named; refused if they name
    nothing there."""
    _require_staff(actor)
    if problems := filter_problems(filters, actor.organisation_id):
        raise ValidationFailed(
            {field: f"{problem[0].upper()}{problem[1:]} in your organisation" for field, problem in problems.items()}
        )
    return replace(filters, organisation=actor.organisation.slug)


def cohort_report(actor: User, as_of: date, filters: Filters) -> Report:
    """The report for the actor's own organisation."""
    return any_report(as_of, checked_filters(actor, filters))


def any_report(as_of: date, filters: Filters) -> Report:
    """The report across every organisation the filters allow: for the command line, which has no actor."""
    connection = db.session.connection()
    return build_report(connection, as_of, filters, stored_definitions(connection))


@command("report.export")
def record_command_line_export(actor: None, report: Report, fmt: str) -> None:
    """The audit event of a report written by ``flask reports cohort``."""
    audit.record(actor, "report.exported", None, report="cohort", format=fmt, as_of=report.as_of.isoformat(),
                 filters=report.filters.describe(), rows=len(report.views["cohort"]), via="cli")  # fmt: skip


def titles() -> dict[str, str]:
    """Every programme key's title, for what people read (charts, the page); the tables downloaded keep the keys."""
    return {key: catalogue().latest(key).title for key in catalogue().keys()}


def render(report: Report, fmt: str) -> bytes:
    if fmt == "csv":
        return export.to_csv(report)
    if fmt == "json":
        return export.to_json(report)
    figures = charts.all_charts(report.views["cohort"], report.per_enrolment, report.as_of, titles())
    return export.to_xlsx(report, {name: charts.png(figure) for name, figure in figures.items()})


def export_report(actor: User, fmt: str, as_of: date, filters: Filters) -> Export:
    """A download of the report, recorded in the audit trail."""
    result = prepare_export(actor, fmt, as_of, filters)
    db.session.commit()
    return result


def prepare_export(actor: User, fmt: str, as_of: date, filters: Filters) -> Export:
    """The download and its audit event, in the caller's transaction (a background job commits it with its end)."""
    if fmt not in FORMATS:
        raise ValidationFailed({"format": "Choose CSV, XLSX or JSON"})
    report = cohort_report(actor, as_of, filters)
    content = render(report, fmt)
    mimetype, extension = FORMATS[fmt]
    audit.record(
        actor,
        "report.exported",
        actor.organisation,
        report="cohort",
        format=fmt,
        as_of=as_of.isoformat(),
        filters=report.filters.describe(),
        rows=len(report.views["cohort"]),
    )
    return Export(content, mimetype, f"cohort-report-{actor.organisation.slug}-{as_of.isoformat()}.{extension}")


def enrolments_in_scope(actor: User, filters: Filters) -> int:
    """How many enrolments a report of the actor's organisation reads, narrowed by programme and cohort."""
    _require_staff(actor)
    query = select(func.count()).select_from(Enrolment).where(Enrolment.organisation_id == actor.organisation_id)
    if filters.pathway:
        query = query.where(Enrolment.pathway_key == filters.pathway)
    if filters.cohort:
        query = query.join(Cohort, Cohort.id == Enrolment.cohort_id).where(Cohort.name == filters.cohort)
    return db.session.scalar(query) or 0


def filter_options(actor: User) -> dict[str, list[str]]:
    """The choices for the page's filters, from the actor's organisation."""
    _require_staff(actor)
    org = actor.organisation_id
    cohorts = db.session.execute(
        select(Cohort.name, Cohort.pathway_key).where(Cohort.organisation_id == org).order_by(Cohort.start_date)
    ).all()
    professions = db.session.scalars(
        select(distinct(User.profession))
        .join(Enrolment, Enrolment.learner_id == User.id)
        .where(Enrolment.organisation_id == org)
        .order_by(User.profession)
    )
    return {
        "pathway": sorted({key for _, key in cohorts}),
        "cohort": [name for name, _ in cohorts],
        "site": list(db.session.scalars(select(Site.name).where(Site.organisation_id == org).order_by(Site.name))),
        "profession": [p for p in professions if p],
    }
