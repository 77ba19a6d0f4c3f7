"""``flask transfer export`` and ``flask transfer import`` (docs/CONTRACT.md, docs/TRANSFER.md).

Both run as a named programme lead (``--by``), so the permission checks and the audit trail are
the same as on the page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services import transfers
from app.services.errors import ServiceError, ValidationFailed

transfer_cli = AppGroup("transfer", help="Signed transfer files between organisations.")


def _fail(problems: list[str]) -> None:
    for problem in problems:
        click.echo(problem, err=True)
    sys.exit(1)


def _person(email: str, option: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if found is None:
        _fail([f"{option}: there is no one with the email address {email}"])
    assert found is not None
    return found


def _problems(error: ServiceError) -> list[str]:
    if isinstance(error, ValidationFailed):
        return [f"{name}: {problem}" for name, problem in error.fields.items()]
    return [error.message]


@transfer_cli.command("export")
@click.option("--by", "lead_email", required=True, help="The programme lead making the file (email).")
@click.option("--person", "person_email", required=True, help="The learner whose file it is (email).")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Where to write it.")
def export(lead_email: str, person_email: str, output: Path) -> None:
    """Write a learner's signed transfer file: their completed programmes and sign-offs."""
    lead, person = _person(lead_email, "--by"), _person(person_email, "--person")
    try:
        document = transfers.export(lead, person.id)
    except ServiceError as error:
        _fail(_problems(error))
        return
    output.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"{output}: {len(document['programmes'])} programmes of {person.full_name}, signed by {lead.full_name}")


@transfer_cli.command("import")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--by", "lead_email", required=True, help="The programme lead bringing it in (email).")
@click.option("--person", "person_email", required=True, help="The person it is for, in the lead's organisation.")
def import_(file: Path, lead_email: str, person_email: str) -> None:
    """Check a transfer file's signature and bring its completed programmes in for a person."""
    lead, person = _person(lead_email, "--by"), _person(person_email, "--person")
    try:
        rows = transfers.import_file(lead, person.id, file.read_bytes())
    except ServiceError as error:
        _fail([f"{file}: {problem}" for problem in _problems(error)])
        return
    for row in rows:
        click.echo(f"{row.title}: completed {row.completed_on.isoformat()} at {row.source_organisation}")
