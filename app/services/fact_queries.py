"""The queries the facts and the pages share: ``IN`` over many ids, and each competency's sign-off state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, SQLColumnExpression, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql import ColumnElement

from app.extensions import db
from app.models import Competency, SignOffEvent, User
from app.services.request_memo import recalled, remember


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
    sign-off queue, the engine's facts and the reminders all read it from here. Within a request,
    states read earlier for these ids (or more) with nothing written since are not read again
    (``facts.assess`` reads them with the other facts and leaves them here).
    """
    wanted = frozenset(ids)
    known = recalled("sign_offs")
    if known is not None and wanted <= known[0]:
        return {key: state for key, state in known[1].items() if key[0] in wanted}
    latest = sign_off_states(db.session.execute(SIGN_OFF_STEPS.where(among(SignOffEvent.enrolment_id, wanted))))
    remember_sign_offs(wanted, latest)
    return latest


def remember_sign_offs(ids: frozenset[int], states: dict[tuple[int, str], SignOffState]) -> None:
    remember("sign_offs", (ids, states))


# Each step of a sign-off, in the columns ``sign_off_states`` reads, in the order it reads them.
SIGN_OFF_STEPS = (
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
    .order_by(SignOffEvent.enrolment_id, SignOffEvent.competency_id, SignOffEvent.sequence)
)


def sign_off_states(steps: Iterable[Any]) -> dict[tuple[int, str], SignOffState]:
    """The latest state per (enrolment, key) from steps ordered by enrolment, competency and sequence,
    each (enrolment id, competency id, key, title, action, evidence, comment, first and last name of
    who acted, when)."""
    latest: dict[tuple[int, str], SignOffState] = {}
    for enrolment_id, competency_id, key, title, action, evidence, comment, first, last, at in steps:
        before = latest.get((enrolment_id, key))
        kept = evidence if action == "requested" else (before.evidence if before else "")
        name = f"{first} {last}".strip()
        latest[(enrolment_id, key)] = SignOffState(competency_id, title, action, kept, comment, name, at)
    return latest
