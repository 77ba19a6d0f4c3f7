"""Read-only queries behind the learner and preceptor pages, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from app.extensions import db
from app.models import (
    HoursEntry,
    Review,
    ReviewConfirmation,
    ReviewSignature,
    User,
)
from app.services import kept_verdicts
from app.services.clock import today
from app.services.enrolments import get_enrolment
from app.services.errors import NotFound
from app.services.fact_versions import recalled_learner_version
from app.services.facts import Assessed, assess_one, latest_sign_offs
from app.services.hours import EDIT_WINDOW_DAYS
from app.services.permissions import require_learner, require_view
from pathways.review_parties import LEARNER, Party, confirmed_before_signatures, next_party, review_parties

STATE_TITLES = {
    None: "Not requested",
    "requested": "Requested",
    "signed": "Signed off",
    "returned": "Returned",
    "revoked": "Revoked",
}


@dataclass
class CompetencyRow:
    key: str
    title: str
    state: str | None
    evidence: str = ""
    comment: str = ""
    by: str = ""
    on: datetime | None = None

    @property
    def state_title(self) -> str:
        return STATE_TITLES[self.state]


@dataclass
class CompetencyGroupView:
    title: str
    rows: list[CompetencyRow] = field(default_factory=list)

    @property
    def signed(self) -> int:
        return sum(1 for row in self.rows if row.state == "signed")


def enrolment_page(actor: User, enrolment_id: int, as_of: date | None = None) -> Assessed:
    """The enrolment with the engine's verdict, when the actor may see it."""
    enrolment = get_enrolment(actor, enrolment_id)
    require_view(actor, enrolment)
    version = recalled_learner_version(enrolment.id)
    if version is None:  # outside a request, or read before a write: evaluated afresh
        return assess_one(enrolment, as_of or today())
    return kept_verdicts.assessed(enrolment, version, as_of or today())


def competencies(assessed: Assessed) -> list[CompetencyGroupView]:
    """The programme's competencies for this learner, grouped as the framework groups them."""
    enrolment, definition = assessed.enrolment, assessed.definition
    latest = latest_sign_offs([enrolment.id])
    wanted = {c.key for c in definition.competencies_for(enrolment.start_date, enrolment.learner.profession)}
    pgroup = definition.profession_group(enrolment.learner.profession)
    groups = []
    for group in definition.competency_groups:
        view = CompetencyGroupView(group.title)
        for item in group.items_for(enrolment.start_date, pgroup):
            if item.key not in wanted:
                continue
            state = latest.get((enrolment.id, item.key))
            view.rows.append(
                CompetencyRow(item.key, item.title, None)
                if state is None
                else CompetencyRow(
                    item.key,
                    item.title,
                    state.action,
                    evidence=state.evidence,
                    comment=state.comment,
                    by=state.actor_name,
                    on=state.at,
                )
            )
        if view.rows:
            groups.append(view)
    return groups


def competency(assessed: Assessed, key: str) -> CompetencyRow | None:
    for group in competencies(assessed):
        for row in group.rows:
            if row.key == key:
                return row
    return None


@dataclass
class HoursHistory:
    entries: list[HoursEntry]
    by_month: list[tuple[date, Decimal]]
    total: Decimal

    def editable(self, entry: HoursEntry) -> bool:
        return entry.created_at.date() >= today() - timedelta(days=EDIT_WINDOW_DAYS)


def hours_history(enrolment_id: int) -> HoursHistory:
    """Every hours entry still standing, newest first, with totals by calendar month."""
    entries = db.session.scalars(
        select(HoursEntry)
        .where(HoursEntry.enrolment_id == enrolment_id, HoursEntry.removed_at.is_(None))
        .order_by(HoursEntry.worked_on.desc(), HoursEntry.id.desc())
    ).all()
    months: dict[date, Decimal] = defaultdict(Decimal)
    for entry in entries:
        months[entry.worked_on.replace(day=1)] += Decimal(entry.hours)
    return HoursHistory(list(entries), sorted(months.items(), reverse=True), sum(months.values(), Decimal(0)))


@dataclass(frozen=True)
class HoursByMonth:
    by_month: list[tuple[date, Decimal]]
    total: Decimal


def hours_by_month(enrolment_id: int) -> HoursByMonth:
    """The hours still standing, totalled by calendar month, newest first: what the preceptor's page shows
    (read as plain rows; the entries themselves are the learner's hours page)."""
    months: dict[date, Decimal] = defaultdict(Decimal)
    for worked_on, amount in db.session.execute(
        select(HoursEntry.worked_on, HoursEntry.hours).where(
            HoursEntry.enrolment_id == enrolment_id, HoursEntry.removed_at.is_(None)
        )
    ):
        months[worked_on.replace(day=1)] += Decimal(amount)
    return HoursByMonth(sorted(months.items(), reverse=True), sum(months.values(), Decimal(0)))


@dataclass
class ReviewView:
    review: Review
    title: str
    confirmed_by: set[str]
    parties: tuple[Party, ...] = ()
    signed: set[str] = field(default_factory=set)

    @property
    def before_signatures(self) -> bool:
        """Confirmed with the one-click confirmation Waymark had before signed reviews."""
        return confirmed_before_signatures(self.signed, self.confirmed_by)

    @property
    def waiting_for(self) -> Party | None:
        return None if self.before_signatures else next_party(self.parties, self.signed)

    @property
    def waiting_for_learner(self) -> bool:
        return self.waiting_for is not None and self.waiting_for.signs_as == LEARNER

    @property
    def signed_by_learner(self) -> bool:
        return any(p.key in self.signed for p in self.parties if p.signs_as == LEARNER)


@cache
def _reviews_statement() -> Select:
    """An enrolment's standing reviews, newest first, each with the roles that confirmed it and the parties
    that signed it, in one statement (built once)."""

    def listed(column: Any, review_id: Any) -> Any:
        return select(func.aggregate_strings(column, ",")).where(review_id == Review.id).scalar_subquery()

    return (
        select(
            Review,
            listed(ReviewConfirmation.as_role, ReviewConfirmation.review_id),
            listed(ReviewSignature.party, ReviewSignature.review_id),
        )
        .where(Review.enrolment_id == bindparam("enrolment_id"), Review.standing())
        .order_by(Review.held_on.desc())
    )


def reviews(assessed: Assessed) -> list[ReviewView]:
    """Reviews recorded for the enrolment (corrected ones left out), newest first, with where their signing stands."""

    confirmed: dict[int, set[str]] = {}
    signed: dict[int, set[str]] = {}
    rows = []
    for review, roles, signers in db.session.execute(_reviews_statement(), {"enrolment_id": assessed.enrolment.id}):
        rows.append(review)
        confirmed[review.id] = set(roles.split(",")) if roles else set()
        signed[review.id] = set(signers.split(",")) if signers else set()
    titles = {slot.key: slot.title for slot in assessed.evaluation.review_slots}
    parties = review_parties(assessed.enrolment.pathway_key)
    return [ReviewView(r, titles.get(r.slot, r.slot), confirmed[r.id], parties, signed[r.id]) for r in rows]


def hours_entry(actor: User, entry_id: int) -> HoursEntry:
    """An hours entry of the actor's own, still standing."""
    entry = db.session.get(HoursEntry, entry_id)
    if entry is None or entry.removed_at is not None:
        raise NotFound("There is no such hours entry")
    require_learner(actor, get_enrolment(actor, entry.enrolment_id))
    return entry


def require_competency(assessed: Assessed, key: str) -> CompetencyRow:
    row = competency(assessed, key)
    if row is None:
        raise NotFound("This programme has no such competency")
    return row
