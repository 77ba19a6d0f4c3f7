"""``flask settings show`` and ``flask settings set`` (docs/CONTRACT.md)."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import AppGroup

from app.services.clock import today
from app.services.errors import ServiceError, ValidationFailed
from app.services.importer import organisation_by_slug
from app.services.settings_changes import set_settings
from app.services.settings_reads import settings_lines

settings_cli = AppGroup("settings", help="Programme settings from a date.")
FIELD_NAMES = {"effective_from": "--from"}


def _fail(problems: list[str]) -> None:
    for problem in problems:
        click.echo(problem, err=True)
    sys.exit(1)


def _day(option: str, text: str | None, problems: list[str]) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"{option}: '{text}' is not a date; write it as YYYY-MM-DD")
        return None


@settings_cli.command("show")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--pathway", "pathway_key", help="One programme's key (all programmes when left out).")
@click.option("--on", "on_text", help="YYYY-MM-DD: the settings in force on that date (today when left out).")
def show(slug: str, pathway_key: str | None, on_text: str | None) -> None:
    """The programme settings in force on a date, one ``pathway: name = value (from DATE)`` line each."""
    problems: list[str] = []
    on = _day("--on", on_text, problems)
    if problems:
        _fail(problems)
    try:
        lines = settings_lines(organisation_by_slug(slug), pathway_key, on or today())
    except ServiceError as error:
        _fail([error.message])
        return
    for line in lines:
        click.echo(line)


@settings_cli.command("set")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--pathway", "pathway_key", required=True, help="The programme's key.")
@click.option("--from", "from_text", required=True, help="YYYY-MM-DD: the first day the settings apply.")
@click.argument("assignments", nargs=-1, metavar="NAME=VALUE [...]")
def set_command(slug: str, pathway_key: str, from_text: str, assignments: tuple[str, ...]) -> None:
    """New settings from that date; enrolments already started keep theirs."""
    problems: list[str] = []
    effective_from = _day("--from", from_text, problems)
    values: dict[str, object] = {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        if not equals or not name.strip():
            problems.append(f"{assignment}: write each setting as NAME=VALUE")
        else:
            values[name.strip()] = value
    if problems:
        _fail(problems)
    try:
        organisation = organisation_by_slug(slug)
        set_settings(None, organisation.id, pathway_key, effective_from=effective_from, values=values, as_text=True)
    except ValidationFailed as error:
        _fail([f"{FIELD_NAMES.get(field, field)}: {message}" for field, message in error.fields.items()])
        return
    except ServiceError as error:
        _fail([error.message])
        return
    assert effective_from is not None
    for line in settings_lines(organisation, pathway_key, effective_from):
        click.echo(line)
