"""The queries the facts and the pages share: ``IN`` over many ids, and each competency's sign-off state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, SQLColumnExpression, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql import ColumnElement

from app.extensions import db
from app.models import Competency, SignOffEvent, User


def among(column: SQLColumnExpression[int], ids: Iterable[int]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL one array parameter (``= ANY``) instead of thousands of placeholders."""
    if db.engine.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
    return column.in_(ids)


@dataclass(frozen=True)
class SignOffState:
    """Where one competency's sign-off stands: its latest step, and the evidence of the latest request."""

    competency_id: int
    title: str
    action: str
    evidence: str
    comment: str
    actor_name: str
    at: datetime


def latest_sign_offs(ids: Iterable[int]) -> dict[tuple[int, str], SignOffState]:
    """The one definition of a competency's sign-off state, per (enrolment, competency key).

    The latest step is the one with the highest ``sequence``; the learner page, the caseload, the
    sign-off queue, the engine's facts and the reminders all read it from here.
    """
    rows = db.session.execute(
        select(
            SignOffEvent.enrolment_id,
            SignOffEvent.competency_id,
            Competency.key,
            Competency.title,
            SignOffEvent.action,
            SignOffEvent.evidence,
            SignOffEvent.comment,
            User.first_name,
            User.last_name,
            SignOffEvent.created_at,
        )
        .join(Competency, Competency.id == SignOffEvent.competency_id)
        .join(User, User.id == SignOffEvent.actor_id)
        .where(among(SignOffEvent.enrolment_id, ids))
        .order_by(SignOffEvent.enrolment_id, SignOffEvent.competency_id, SignOffEvent.sequence)
    )
    latest: dict[tuple[int, str], SignOffState] = {}
    for row in rows:
        before = latest.get((row.enrolment_id, row.key))
        evidence = row.evidence if row.action == "requested" else (before.evidence if before else "")
        name = f"{row.first_name} {row.last_name}".strip()
        latest[(row.enrolment_id, row.key)] = SignOffState(
            row.competency_id, row.title, row.action, evidence, row.comment, name, row.created_at
        )
    return latest
