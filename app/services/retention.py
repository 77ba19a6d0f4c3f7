"""How long people are kept: each organisation's period after leaving, who is past it, failed sign-ins forgotten.

A person is kept until ``years_after_leaving`` years after their leaving date and anonymised on that
day (``anonymise.anonymise`` does it); someone with no leaving date is kept. Failed sign-in records
(which hold the address typed) are deleted after ``FAILED_SIGN_IN_DAYS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from app.extensions import db
from app.models import AuditEvent, Organisation, RetentionPolicy, User
from app.models.base import utcnow
from app.services import audit
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.unit_of_work import command
from app.services.values import check_number

MOST_YEARS = 100
FAILED_SIGN_IN = "auth.login_failed"


def years_for(organisation_id: int) -> int:
    """The organisation's period, or the deployment's default (``RETENTION_YEARS``) until an admin sets one."""
    policy = db.session.get(RetentionPolicy, organisation_id)
    return policy.years_after_leaving if policy else int(current_app.config["RETENTION_YEARS"])


def kept_until(leaving_date: date, years: int) -> date:
    """The day a person is anonymised: the anniversary of their leaving date (28 February for a 29th)."""
    try:
        return leaving_date.replace(year=leaving_date.year + years)
    except ValueError:
        return leaving_date.replace(year=leaving_date.year + years, day=28)


@command("retention.set_period")
def set_period(actor: User, years: object) -> RetentionPolicy:
    """An administrator sets how many whole years after leaving their organisation keeps a person."""
    if actor.role != "admin":
        raise PermissionDenied("Only an administrator can change how long people are kept")
    problems: dict[str, str] = {}
    message = f"Enter the number of years as a whole number from 1 to {MOST_YEARS}, like 6"
    number = check_number(problems, "years", years, message=message)
    if number is None or number != int(number) or not 1 <= number <= MOST_YEARS:
        raise ValidationFailed(problems or {"years": message})
    before = years_for(actor.organisation_id)
    policy = db.session.get(RetentionPolicy, actor.organisation_id) or RetentionPolicy(
        organisation_id=actor.organisation_id
    )
    policy.years_after_leaving, policy.updated_by_id, policy.updated_at = int(number), actor.id, utcnow()
    db.session.add(policy)
    audit.record(actor, "retention.period_set", policy, changes={"from": before, "to": int(number)})
    return policy


@dataclass(frozen=True)
class Due:
    """Someone past their organisation's period on the day asked about."""

    person: User
    organisation: str
    years: int
    kept_until: date


def due(as_of: date) -> list[Due]:
    """Everyone not yet anonymised whose period has ended on or before ``as_of``, by organisation and name."""
    found = []
    for organisation in db.session.scalars(select(Organisation).order_by(Organisation.slug)):
        years = years_for(organisation.id)
        people = db.session.scalars(
            select(User)
            .where(
                User.organisation_id == organisation.id,
                User.anonymised_at.is_(None),
                User.leaving_date.is_not(None),
                User.leaving_date <= as_of,
            )
            .order_by(User.last_name, User.first_name, User.id)
        )
        for person in people:
            assert person.leaving_date is not None  # the query asked for one
            until = kept_until(person.leaving_date, years)
            if until <= as_of:
                found.append(Due(person, organisation.slug, years, until))
    return found


def forget_failed_sign_ins(now: datetime | None = None) -> int:
    """Delete failed sign-in records more than ``FAILED_SIGN_IN_DAYS`` days old; how many. Commits."""
    days = int(current_app.config["FAILED_SIGN_IN_DAYS"])
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(
        delete(AuditEvent).where(AuditEvent.action == FAILED_SIGN_IN, AuditEvent.created_at < cutoff)
    )
    deleted = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if deleted:
        audit.record(None, "retention.failed_sign_ins_deleted", None, count=deleted, older_than_days=days)
    db.session.commit()
    return deleted
