"""Command-line interface (see docs/CONTRACT.md): ``flask --app wsgi COMMAND``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from app import backup_cli  # noqa: F401  (adds backup and restore to the db group)
from app.api.cli import users_cli
from app.demo import demo_logins, load_demo
from app.importing.cli import learners_cli
from app.jobs.cli import jobs_cli
from app.people.cli import people_cli
from app.people.transfer_cli import transfer_cli
from app.programme_settings.cli import settings_cli
from app.reporting.cli import reports_cli
from app.services.catalogue import catalogue, database_ready, latest_definition, pinned_file_problems, shown_file
from app.services.errors import ServiceError
from pathways import render_svg, render_text
from pathways.loader import DEFINITIONS_DIR, read_file
from reminders.cli import reminders_cli

pathways_cli = AppGroup("pathways", help="Programme definitions.")
demo_cli = AppGroup("demo", help="The demo organisation.")


def fail(problems: list[str]) -> None:
    for problem in problems:
        click.echo(problem, err=True)
    sys.exit(1)


@pathways_cli.command("list")
def pathways_list() -> None:
    """One line per programme: key, version, title, number of stages."""
    for definition in sorted(catalogue(), key=lambda d: (d.key, d.version)):
        click.echo(f"{definition.key}\t{definition.version}\t{definition.title}\t{len(definition.stages)}")


@pathways_cli.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def pathways_validate(files: tuple[Path, ...]) -> None:
    """Check definition files (all of them when none are named), and against the copies enrolments pinned.

    An edited file whose version enrolments are pinned to is refused; one that no enrolment pins yet
    passes, and the next enrolment on it refreshes the stored copy.
    """
    named = [(str(path), path) for path in files] or [
        (shown_file(path.name), path) for path in sorted(DEFINITIONS_DIR.glob("*.toml"))
    ]
    read = [(shown, *read_file(path)) for shown, path in named]
    problems = [str(problem) for _, _, found, _ in read for problem in found]
    if database_ready():
        sound = [(shown, definition, text) for shown, definition, _, text in read if definition is not None]
        problems += [str(problem) for problem in pinned_file_problems(sound)]
    else:
        click.echo("The database is not reachable or not migrated: files not compared with pinned copies", err=True)
    if problems:
        fail(problems)
    click.echo(f"{len(named)} definition files are valid")


@pathways_cli.command("show")
@click.argument("key")
@click.option("--format", "fmt", type=click.Choice(["text", "svg"]), default="text")
def pathways_show(key: str, fmt: str) -> None:
    """The stages and transitions of a programme, as text or an SVG diagram."""
    try:
        definition = latest_definition(key)
    except ServiceError as error:
        fail([error.message])
        return
    click.echo(render_text(definition) if fmt == "text" else render_svg(definition))


@demo_cli.command("load")
def demo_load() -> None:
    """Load the demo organisation; running it again changes nothing."""
    created = load_demo()
    if created:
        click.echo("Demo organisation loaded.")
    else:
        click.echo("Demo organisation already loaded; nothing changed.")


@demo_cli.command("logins")
def demo_logins_command() -> None:
    """Print the demo accounts and their password."""
    for line in demo_logins():
        click.echo(line)


def register(app: Flask) -> None:
    app.cli.add_command(pathways_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(learners_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(settings_cli)
    app.cli.add_command(people_cli)
    app.cli.add_command(transfer_cli)
    app.cli.add_command(jobs_cli)
