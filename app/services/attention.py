"""The lead's home: who needs attention now, counted by list, narrowed to a site, cohort or programme.

Each count is the length of a list (``app.services.attention_lists``) with the same filters, so a
number on the home page and the list it links to never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import Cohort, Enrolment, Site, TransitionEvent, User
from app.models.programmes import OPEN_STATES
from app.services.catalogue import latest_definition
from app.services.clock import LONDON, today
from app.services.permissions import require_lead
from app.services.preceptor_rules import open_caseloads
from app.services.protected_time import preceptors_short_of_time
from app.services.settings_reads import organisation_settings
from app.services.standing import Standing, open_enrolment_ids, open_standings

SIGN_OFF_WAIT = timedelta(days=7)
CAPACITY_PROGRAMME = "preceptorship"  # whose "Preceptees per preceptor" setting says how many one preceptor may hold

# key: (title, what the list holds); the order is the home page's
LEARNER_LISTS = {
    "red": ("Red", "Learners with something overdue or past their expected end"),
    "amber": ("Amber", "Learners on hold, with something due within two weeks, or behind on hours"),
    "green": ("Green", "Learners on track"),
    "overdue-reviews": ("Overdue reviews", "Learners with a review due and not yet held"),
    "sign-offs-waiting": ("Sign-offs waiting more than 7 days", "Learners with a sign-off request unanswered"),
    "no-preceptor": ("No preceptor", "Learners with no preceptor assigned"),
    "returning": ("Back from a hold this month", "Learners who resumed after a hold this month"),
    "completing": ("Due to complete this month", "Learners whose expected end falls this month"),
    "completed": ("Completed", "Learners who completed their programme"),
    "withdrawn": ("Withdrawn", "Learners who were withdrawn"),
}
FINISHED = ("completed", "withdrawn")


@dataclass(frozen=True)
class Scope:
    """What the lead narrowed the home and its lists to; None means the whole organisation."""

    site: int | None = None
    cohort: int | None = None
    pathway: str | None = None

    def args(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def scoped(query: Select, scope: Scope) -> Select:
    if scope.site is not None:
        query = query.where(Enrolment.site_id == scope.site)
    if scope.cohort is not None:
        query = query.where(Enrolment.cohort_id == scope.cohort)
    if scope.pathway:
        query = query.where(Enrolment.pathway_key == scope.pathway)
    return query


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _in_list(kind: str, standing: Standing, as_of: date, returning: set[int], enrolment_id: int) -> bool:
    if kind in ("red", "amber", "green"):
        return standing.rag == kind
    if kind == "overdue-reviews":
        return standing.overdue_reviews > 0
    if kind == "sign-offs-waiting":
        cutoff = datetime.combine(as_of, datetime.min.time(), LONDON) - SIGN_OFF_WAIT
        waiting = standing.waiting_since
        return waiting is not None and (waiting if waiting.tzinfo else waiting.replace(tzinfo=UTC)) < cutoff
    if kind == "no-preceptor":
        return not standing.has_preceptor
    if kind == "returning":
        return enrolment_id in returning
    if kind == "completing":
        first, last = month_of(as_of)
        return first <= standing.expected_end <= last
    return False


def _returning(ids: set[int], as_of: date) -> set[int]:
    first, last = month_of(as_of)
    return (
        set(
            db.session.scalars(
                select(TransitionEvent.enrolment_id).where(
                    TransitionEvent.action == "resume",
                    TransitionEvent.effective_on.between(first, last),
                    TransitionEvent.enrolment_id.in_(ids),
                )
            )
        )
        if ids
        else set()
    )


def open_in_list(actor: User, kind: str, scope: Scope, as_of: date) -> dict[int, Standing]:
    """The open enrolments in the scope on one of the lead's lists, with their standing."""
    ids = set(db.session.scalars(scoped(_open(actor), scope)))
    standings = open_standings(actor.organisation, open_enrolment_ids(actor.organisation_id), as_of)
    returning = _returning(ids, as_of) if kind == "returning" else set()
    return {i: standings[i] for i in ids if i in standings and _in_list(kind, standings[i], as_of, returning, i)}


def _open(actor: User) -> Select:
    return select(Enrolment.id).where(
        Enrolment.organisation_id == actor.organisation_id, Enrolment.state.in_(OPEN_STATES)
    )


@dataclass
class Home:
    scope: Scope
    counts: dict[str, int]
    over_capacity: int
    short_of_time: int  # preceptors of the whole organisation: protected time is the preceptor's, not a site's
    by_site: list[tuple[str, Counter]]
    sites: list[Site]
    cohorts: list[Cohort]


def home(actor: User, scope: Scope, as_of: date | None = None) -> Home:
    """Every count on the lead's home, for the whole organisation or the scope chosen."""
    require_lead(actor, actor.organisation_id)
    as_of = as_of or today()
    rows = db.session.execute(scoped(_open(actor).add_columns(Enrolment.site_id), scope)).all()
    ids = {r.id for r in rows}
    standings = open_standings(actor.organisation, open_enrolment_ids(actor.organisation_id), as_of)
    returning = _returning(ids, as_of)
    counts: Counter[str] = Counter()
    site_counts: dict[int | None, Counter] = {}
    for enrolment_id, site_id in rows:
        standing = standings.get(enrolment_id)
        if standing is None:  # opened since the standings were read: counted on the next visit
            continue
        for kind in LEARNER_LISTS:
            if kind not in FINISHED and _in_list(kind, standing, as_of, returning, enrolment_id):
                counts[kind] += 1
                site_counts.setdefault(site_id, Counter())[kind] += 1
    finished = scoped(
        select(Enrolment.state, func.count())
        .where(Enrolment.organisation_id == actor.organisation_id, Enrolment.state.in_(FINISHED))
        .group_by(Enrolment.state),
        scope,
    )
    counts.update(dict(db.session.execute(finished).tuples().all()))
    sites, cohorts = choices(actor)
    names = {s.id: s.name for s in sites}
    by_site = sorted(((names.get(k or 0, "No site"), v) for k, v in site_counts.items()), key=lambda pair: pair[0])
    short = len(preceptors_short_of_time(actor.organisation_id, as_of))
    return Home(scope, {k: counts.get(k, 0) for k in LEARNER_LISTS}, len(over_capacity(actor, scope)), short,
                by_site, sites, cohorts)  # fmt: skip


def choices(actor: User) -> tuple[list[Site], list[Cohort]]:
    """The sites and cohorts a lead may narrow the home and its lists to."""
    require_lead(actor, actor.organisation_id)
    org = actor.organisation_id
    sites = db.session.scalars(select(Site).where(Site.organisation_id == org).order_by(Site.name))
    cohorts = db.session.scalars(select(Cohort).where(Cohort.organisation_id == org).order_by(Cohort.start_date.desc()))
    return list(sites), list(cohorts)


@dataclass(frozen=True)
class PreceptorLoad:
    preceptor: User
    learners: int
    capacity: int


def over_capacity(actor: User, scope: Scope) -> list[PreceptorLoad]:
    """Preceptors holding more open enrolments than one preceptor may (learners counted within the scope)."""
    require_lead(actor, actor.organisation_id)
    settings = organisation_settings(actor.organisation_id, latest_definition(CAPACITY_PROGRAMME))
    capacity = int(settings["preceptor_caseload"])
    held = scoped(
        open_caseloads().where(Enrolment.organisation_id == actor.organisation_id).having(func.count() > capacity),
        scope,
    )
    loads = dict(db.session.execute(held).tuples().all())
    if not loads:
        return []
    people = db.session.scalars(select(User).where(User.id.in_(loads)).order_by(User.last_name, User.first_name))
    return [PreceptorLoad(p, loads[p.id], capacity) for p in people]
