"""Enrolments the reminder scan could not check: recorded by the scan, shown to admins.

Kept in their own table (``scan_problems``), not as audit events: the audit trail records who did
what, and appends; a broken enrolment fails every daily scan, so as audit events it would add a
row a day and still not say whether it is broken now. One row per enrolment, refreshed by each
scan that fails on it and removed by the first complete scan that checks it, answers exactly
"which enrolments are not being checked, why, and since when".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, select

from app.extensions import db
from app.models import Enrolment, PathwayVersion, ScanProblem, User
from app.services.errors import PermissionDenied
from app.services.facts import among


@dataclass(frozen=True)
class Unchecked:
    """One enrolment the scan could not check, and the error that stopped it."""

    enrolment_id: int
    organisation_id: int
    error: str


@dataclass(frozen=True)
class ProblemRow:
    """What the admin page shows for one unchecked enrolment."""

    problem: ScanProblem
    learner: User
    programme: str
    start_date: date


def describe(error: Exception) -> str:
    """The exception's type and message, as stored and shown: ``ValueError: year 10000 is out of range``."""
    return f"{type(error).__name__}: {error}"[:2000]


def record(found: Sequence[Unchecked], scanned_on: date) -> None:
    """Add or refresh a row per enrolment found; the scan commits with the range it belongs to."""
    if not found:
        return
    now = datetime.now(UTC)
    known = {
        p.enrolment_id: p
        for p in db.session.scalars(
            select(ScanProblem).where(among(ScanProblem.enrolment_id, {u.enrolment_id for u in found}))
        )
    }
    for item in found:
        problem = known.get(item.enrolment_id)
        if problem is None:
            problem = ScanProblem(enrolment_id=item.enrolment_id, first_seen_at=now)
            db.session.add(problem)
            known[item.enrolment_id] = problem
        problem.organisation_id, problem.error = item.organisation_id, item.error
        problem.scanned_on, problem.last_seen_at = scanned_on, now


def clear_all_but(still_failing: Collection[int]) -> None:
    """After a complete scan: remove the rows of enrolments it checked, or no longer scans."""
    statement = delete(ScanProblem)
    if still_failing:
        statement = statement.where(ScanProblem.enrolment_id.not_in(list(still_failing)))
    db.session.execute(statement)


def for_admin(actor: User) -> list[ProblemRow]:
    """The admin's organisation's unchecked enrolments, oldest problem first."""
    if actor.role != "admin":
        raise PermissionDenied("Only an administrator can see the enrolments the reminder scan could not check")
    rows = db.session.execute(
        select(ScanProblem, User, PathwayVersion.title, Enrolment.start_date)
        .join(Enrolment, Enrolment.id == ScanProblem.enrolment_id)
        .join(User, User.id == Enrolment.learner_id)
        .join(PathwayVersion, PathwayVersion.id == Enrolment.pathway_version_id)
        .where(ScanProblem.organisation_id == actor.organisation_id)
        .order_by(ScanProblem.first_seen_at, ScanProblem.id)
    )
    return [ProblemRow(problem, learner, title, start) for problem, learner, title, start in rows]
