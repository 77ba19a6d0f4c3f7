"""The engine's verdicts on enrolments kept between requests, for the pages that list many learners.

Evaluating an enrolment (its facts read and ``pathways`` run over them) is most of what the caseload
and a cohort's page cost, and it gives the same answer until the facts or the day change. Each
process keeps the last verdict per enrolment under a key of everything it depends on besides the
fact tables — the day, the enrolment's own row — and the sum of the versions of the learner's
enrolments, which every write to the facts raises in its own transaction (``fact_versions``). A
page reads that sum in the same statement as the enrolments it lists, so a verdict is used only
while nothing it was drawn from has been written; a new day (a review falling due, a deadline
passing) is a new key, so the first visit of the day evaluates again.

Commands never read from here: what decides a write is evaluated afresh (``facts.assess``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, User
from app.services.fact_versions import learner_version
from app.services.facts import Assessed, assess, latest_sign_offs
from pathways import Definition, EnrolmentFacts, Evaluation

MOST = 10_000  # verdicts kept per process (about 5 kB each: 50 MB); past that the oldest half is dropped


@dataclass(frozen=True)
class Learner:
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Listed:
    """An enrolment as a list shows it: its own row and the learner's name, read as plain rows."""

    id: int
    learner_id: int
    pathway_version_id: int
    start_date: date
    stage: str
    stage_entered_on: date
    state: str
    created_at: datetime
    learner: Learner


def listed_columns() -> tuple[Any, ...]:
    """The columns of a query on enrolments joined to their learner (``User``) that ``verdicts`` reads."""
    return (
        Enrolment.id,
        Enrolment.learner_id,
        Enrolment.pathway_version_id,
        Enrolment.start_date,
        Enrolment.stage,
        Enrolment.stage_entered_on,
        Enrolment.state,
        Enrolment.created_at,
        User.first_name,
        User.last_name,
        learner_version(),
    )


@dataclass(frozen=True)
class Verdict:
    """One enrolment's assessment as a list shows it, and how many sign-off requests wait for an answer."""

    enrolment: Listed
    definition: Definition
    facts: EnrolmentFacts
    evaluation: Evaluation
    waiting: int


@dataclass(frozen=True)
class _Kept:
    key: tuple[Any, ...]
    definition: Definition
    facts: EnrolmentFacts
    evaluation: Evaluation
    waiting: int


_kept: dict[tuple[str, int], _Kept] = {}
_lock = threading.Lock()


def verdicts(rows: Sequence[Any], as_of: date) -> list[Verdict]:
    """A verdict for each row of ``listed_columns()``, in order; only the enrolments whose facts changed
    since they were last kept are read as objects and evaluated, in one ``assess``."""
    database = str(db.engine.url)
    listed: list[tuple[Listed, tuple[Any, ...]]] = []
    found: dict[int, _Kept] = {}
    for row in rows:
        eid, learner_id, version_id, start, stage, entered, state, created, first_name, last_name, version = row
        enrolment = Listed(
            eid, learner_id, version_id, start, stage, entered, state, created, Learner(first_name, last_name)
        )
        # created_at too: an id reused by a database made anew is another enrolment
        key = (as_of, version, eid, learner_id, version_id, start, stage, entered, state, created)
        listed.append((enrolment, key))
        kept = _kept.get((database, enrolment.id))
        if kept is not None and kept.key == key:
            found[enrolment.id] = kept
    missing = {enrolment.id: key for enrolment, key in listed if enrolment.id not in found}
    if missing:
        objects = db.session.scalars(select(Enrolment).where(Enrolment.id.in_(missing))).all()
        fresh = assess(objects, as_of)
        waiting: dict[int, int] = {}
        for (enrolment_id, _competency), state in latest_sign_offs(list(missing)).items():
            if state.action == "requested":
                waiting[enrolment_id] = waiting.get(enrolment_id, 0) + 1
        for item in fresh:
            eid = item.enrolment.id
            found[eid] = _Kept(missing[eid], item.definition, item.facts, item.evaluation, waiting.get(eid, 0))
        _keep(database, {eid: found[eid] for eid in missing})
    return [
        Verdict(enrolment, kept.definition, kept.facts, kept.evaluation, kept.waiting)
        for enrolment, _ in listed
        for kept in (found[enrolment.id],)
    ]


def assessed(enrolment: Enrolment, version: int, as_of: date) -> Assessed:
    """One enrolment's assessment, its verdict kept as ``verdicts`` keeps a list's (``version``: the
    enrolment's ``learner_version``, read with it)."""
    database = str(db.engine.url)
    key = (
        as_of,
        version,
        enrolment.id,
        enrolment.learner_id,
        enrolment.pathway_version_id,
        enrolment.start_date,
        enrolment.stage,
        enrolment.stage_entered_on,
        enrolment.state,
        enrolment.created_at,
    )
    kept = _kept.get((database, enrolment.id))
    if kept is None or kept.key != key:
        item = assess([enrolment], as_of)[0]
        waiting = sum(1 for state in latest_sign_offs([enrolment.id]).values() if state.action == "requested")
        kept = _Kept(key, item.definition, item.facts, item.evaluation, waiting)
        _keep(database, {enrolment.id: kept})
    return Assessed(enrolment, kept.definition, kept.facts, kept.evaluation)


def _keep(database: str, verdicts: dict[int, _Kept]) -> None:
    with _lock:
        if len(_kept) + len(verdicts) > MOST:
            for stale in list(_kept)[: len(_kept) // 2]:
                del _kept[stale]
        _kept.update(((database, eid), kept) for eid, kept in verdicts.items())


def forget_all() -> None:
    """Drop every kept verdict, as a restart does."""
    with _lock:
        _kept.clear()
