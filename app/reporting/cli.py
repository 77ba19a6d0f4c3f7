"""``flask reports cohort``: the cohort completion report to a file (docs/CONTRACT.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import Organisation
from app.services.errors import ValidationFailed
from app.services.reports import (
    FORMATS,
    any_report,
    filter_problems,
    parse_as_of,
    record_command_line_export,
    render,
)
from reports.frames import Filters

reports_cli = AppGroup("reports", help="Reports.")


def _problems(fmt: str, org: str | None, pathway: str | None, cohort: str | None) -> list[str]:
    problems = []
    if fmt not in FORMATS:
        problems.append(f"--format: '{fmt}' is not one of csv, xlsx, json")
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == org)) if org else None
    if org and organisation is None:
        problems.append(f"--org: there is no organisation '{org}'")
    filters = Filters(pathway=pathway, cohort=cohort)
    named = filter_problems(filters, organisation.id if organisation else None)
    return problems + [f"--{field}: {problem}" for field, problem in named.items()]


@reports_cli.command("cohort")
@click.option("--format", "fmt", required=True, help="csv, xlsx or json")
@click.option("--output", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--org", default=None, help="organisation slug")
@click.option("--pathway", default=None, help="programme key")
@click.option("--cohort", default=None, help="cohort name")
@click.option("--as-of", "as_of", default=None, help="YYYY-MM-DD (default today)")
def cohort_command(fmt: str, output: Path, org: str | None, pathway: str | None, cohort: str | None,
                   as_of: str | None) -> None:  # fmt: skip
    """The cohort completion report as CSV, XLSX or JSON."""
    problems = _problems(fmt, org, pathway, cohort)
    try:
        day = parse_as_of(as_of)
    except ValidationFailed:
        problems.append(f"--as-of: '{as_of}' is not a date in the form YYYY-MM-DD")
    if problems:
        _fail(problems)
    filters = Filters(organisation=org, pathway=pathway, cohort=cohort)
    report = any_report(day, filters)
    content = render(report, fmt)
    try:
        output.write_bytes(content)
    except OSError as error:
        _fail([f"--output: cannot write {output}: {error.strerror}"])
    record_command_line_export(None, report, fmt)
    click.echo(f"Wrote {len(report.views['cohort'])} cohort rows as of {day.isoformat()} to {output}")


def _fail(problems: list[str]) -> None:
    for problem in problems:
        click.echo(problem, err=True)
    sys.exit(1)
