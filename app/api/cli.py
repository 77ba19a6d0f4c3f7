"""``flask users token|revoke-tokens|disable|enable EMAIL`` (CONTRACT.md)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.auth import mail
from app.services import accounts, people, tokens
from app.services.errors import ServiceError
from app.templating import uk_date

users_cli = AppGroup("users", help="People and their API tokens.")


def _user(email: str):
    user = accounts.find_by_email(email)
    if user is None:
        click.echo(f"There is no one with the email address {email}", err=True)
        sys.exit(1)
    return user


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for, e.g. 'Power BI refresh'.")
def issue_token(email: str, name: str) -> None:
    """Print a new API token for that person; it is shown once (only its hash is kept)."""
    try:
        click.echo(tokens.issue(_user(email), name=name))
    except ServiceError as error:
        click.echo(error.message, err=True)
        sys.exit(1)


@users_cli.command("revoke-tokens")
@click.argument("email")
def revoke_tokens(email: str) -> None:
    """Revoke every live API token of that person."""
    count = tokens.revoke_all(_user(email))
    click.echo(f"Revoked {count} token{'s' if count != 1 else ''} of {email}")


def _set_enabled(email: str, enabled: bool) -> None:
    try:
        person = people.set_enabled_by_email(None, email, enabled)
    except ServiceError as error:
        click.echo(error.message, err=True)
        sys.exit(1)
    if enabled:
        click.echo(f"Enabled {person.email}: they can sign in again")
    else:
        click.echo(f"Disabled {person.email}: their sessions and API tokens have ended; their records stay")


@users_cli.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Disable a person: their sessions and API tokens end at once; their records stay."""
    _set_enabled(email, False)


@users_cli.command("enable")
@click.argument("email")
def enable(email: str) -> None:
    """Let a disabled person sign in again."""
    _set_enabled(email, True)


@users_cli.command("invite")
@click.argument("emails", nargs=-1, required=True)
def invite(emails: tuple[str, ...]) -> None:
    """Email each person an invitation link to set their password; one line per person."""
    failed = False
    for email in emails:
        try:
            issued = people.invite_by_email(None, email)
        except ServiceError as error:
            click.echo(f"{email}: {error.message}", err=True)
            failed = True
            continue
        if mail.send(issued, "invitation"):
            click.echo(f"{email}: invitation sent, the link expires on {uk_date(issued.expires_at)}")
        else:
            click.echo(f"{email}: the invitation could not be sent: the mail server did not take it", err=True)
            failed = True
    if failed:
        sys.exit(1)
