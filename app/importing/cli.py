"""``flask learners import FILE.csv --org SLUG [--dry-run]`` (CONTRACT.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.services import importer
from app.services.errors import ServiceError

learners_cli = AppGroup("learners", help="People and their enrolments.")


@learners_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; write nothing.")
def import_learners(file: Path, slug: str, dry_run: bool) -> None:
    """Create or update people by employee number and enrol them; all rows or none."""
    try:
        organisation = importer.organisation_by_slug(slug)
        plan = importer.run(None, organisation, file.read_bytes(), dry_run=dry_run)
    except ServiceError as error:
        click.echo(error.message, err=True)
        sys.exit(1)
    if plan.problems:
        for problem in plan.problems:
            click.echo(problem, err=True)
        click.echo(f"{len(plan.problems)} problems; nothing was imported", err=True)
        sys.exit(1)
    summary = plan.summary()
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb} {summary['rows']} rows: {summary['people_created']} people created, "
        f"{summary['people_updated']} updated, {summary['people_unchanged']} unchanged; "
        f"{summary['enrolments_created']} enrolments created ({summary['already_enrolled']} already enrolled); "
        f"{summary['cohorts_created']} cohorts created"
    )
    if plan.ignored_columns:
        click.echo(f"Columns ignored: {', '.join(plan.ignored_columns)}")
