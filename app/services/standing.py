"""Where every open enrolment of an organisation stands today, kept up to date without re-evaluating them all.

The lead's home counts red, amber and green learners, overdue reviews and sign-offs waiting over the
whole organisation: the engine's verdict for each open enrolment (``facts.assess``, about 1 ms each).
Evaluating 2,500 enrolments on every visit would take seconds, so each process keeps the verdicts
per organisation and re-evaluates only what changed: every write to an enrolment leaves an audit
event naming it, so the events after the last one seen name the enrolments to evaluate again, and a
new day (statuses move with the date) or a new set of open enrolments starts afresh for those.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Enrolment, Organisation
from app.models.programmes import OPEN_STATES
from app.services.facts import Assessed, assess, latest_sign_offs

BATCH = 2000  # enrolments evaluated per ``assess`` call: a bounded number of parameters per query


@dataclass(frozen=True)
class Standing:
    """The engine's answers the lead's lists read, for one open enrolment."""

    rag: str
    reason: str
    stage_title: str
    programme: str
    overdue_reviews: int
    expected_end: date
    has_preceptor: bool
    waiting_since: datetime | None  # the oldest sign-off request not yet answered


@dataclass
class _Known:
    as_of: date
    last_event: int
    standings: dict[int, Standing] = field(default_factory=dict)


_cache: dict[tuple[str, int, datetime], _Known] = {}
_lock = threading.Lock()


def _standing(item: Assessed, waiting: datetime | None) -> Standing:
    evaluation = item.evaluation
    as_of = item.facts.as_of
    overdue = sum(1 for d in evaluation.due if d.kind == "review" and d.due < as_of)
    return Standing(
        evaluation.status.rag,
        evaluation.status.reason,
        item.definition.stage(item.enrolment.stage).title,
        item.definition.title,
        overdue,
        evaluation.expected_end,
        item.facts.has_preceptor,
        waiting,
    )


def evaluate_open(ids: Iterable[int], as_of: date) -> dict[int, Standing]:
    """Evaluate these enrolments now, in batches."""
    out: dict[int, Standing] = {}
    pending = list(ids)
    for start in range(0, len(pending), BATCH):
        chunk = pending[start : start + BATCH]
        rows = db.session.scalars(select(Enrolment).where(Enrolment.id.in_(chunk))).all()
        waiting: dict[int, datetime] = {}
        for (enrolment_id, _), state in latest_sign_offs(chunk).items():
            if state.action == "requested":
                waiting[enrolment_id] = min(waiting.get(enrolment_id, state.at), state.at)
        for item in assess(rows, as_of):
            out[item.enrolment.id] = _standing(item, waiting.get(item.enrolment.id))
    return out


def open_standings(organisation: Organisation, open_ids: set[int], as_of: date) -> dict[int, Standing]:
    """The standing of each of ``open_ids`` (the organisation's open enrolments) on ``as_of``."""
    key = (str(db.engine.url), organisation.id, organisation.created_at)
    last_event = (
        db.session.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.organisation_id == organisation.id)) or 0
    )
    with _lock:
        known = _cache.get(key)
        if known is None or known.as_of != as_of or known.last_event > last_event:
            known = _Known(as_of, 0)
        changed: set[int] = (
            set(
                db.session.scalars(
                    select(AuditEvent.enrolment_id).where(
                        AuditEvent.organisation_id == organisation.id,
                        AuditEvent.id > known.last_event,
                        AuditEvent.enrolment_id.is_not(None),
                    )
                )
            )
            if known.standings
            else set()
        )
        stale = (open_ids - known.standings.keys()) | (changed & open_ids)
        standings = {i: s for i, s in known.standings.items() if i in open_ids and i not in stale}
        standings.update(evaluate_open(stale, as_of))
        _cache[key] = _Known(as_of, last_event, standings)
    return standings


def open_enrolment_ids(organisation_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(Enrolment.id).where(Enrolment.organisation_id == organisation_id, Enrolment.state.in_(OPEN_STATES))
        )
    )


def forget_all() -> None:
    """Drop every standing this process knows, as a restart does (the benchmark measures the first visit)."""
    with _lock:
        _cache.clear()
