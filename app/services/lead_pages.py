"""Read-only queries behind the programme lead's pages: cohorts, programmes, stage counts and the people lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    case,
    func,
    select,
)

from app.extensions import db
from app.models import (
    Cohort,
    Enrolment,
    PathwayVersion,
    User,
)
from app.services.catalogue import catalogue, latest_definition
from app.services.clock import today
from app.services.cohorts import get_cohort
from app.services.dashboards import cohort_counts
from app.services.kept_verdicts import Verdict, listed_columns, verdicts
from app.services.permissions import require_lead
from pathways import Definition, Stage


@dataclass
class CohortRow:
    cohort: Cohort
    title: str
    counts: dict[str, int]

    @property
    def enrolled(self) -> int:
        return sum(self.counts.values())

    @property
    def completion_rate(self) -> float:
        return self.counts.get("completed", 0) / self.enrolled if self.enrolled else 0.0


def cohorts(actor: User) -> list[CohortRow]:
    """Every cohort of the lead's organisation with its enrolment figures."""
    require_lead(actor, actor.organisation_id)
    titles = {d.key: d.title for d in programmes()}
    return [CohortRow(c, titles.get(c.pathway_key, c.pathway_key), n) for c, n in cohort_counts(actor.organisation_id)]


PER_PAGE = 50


WITHDRAWN = "withdrawn"  # listed under its own heading and filter, whatever stage the learner left at


@dataclass
class CohortPage:
    cohort: Cohort
    definition: Definition
    row: CohortRow
    stage_counts: list[tuple[Stage, int]]
    learners: list[Verdict]
    page: int
    pages: int
    stage: str | None

    def stage_title(self, key: str) -> str:
        return "Withdrawn" if key == WITHDRAWN else self.definition.stage(key).title

    @staticmethod
    def group(item: Verdict) -> str:
        """The heading a learner is listed under: their stage, or Withdrawn."""
        return WITHDRAWN if item.enrolment.state == WITHDRAWN else item.enrolment.stage


def cohort_page(
    actor: User, cohort_id: int, *, page: int = 1, stage: str | None = None, as_of: date | None = None
) -> CohortPage:
    """A cohort's figures, how many learners are at each stage, and one page of its learners in stage order.

    Withdrawn learners come last under their own heading (``?stage=withdrawn`` lists only them).
    Counting is done by the database; only the learners shown are evaluated, so a cohort of 400
    costs the same as a cohort of 40.
    """
    require_lead(actor, actor.organisation_id)
    cohort = get_cohort(actor, cohort_id)
    definition = latest_definition(cohort.pathway_key)
    in_cohort = Enrolment.cohort_id == cohort.id
    states: dict[str, int] = {}
    at_stage: dict[str, int] = {}
    for state, stage_key, n in db.session.execute(  # both counts from one read
        select(Enrolment.state, Enrolment.stage, func.count())
        .where(in_cohort)
        .group_by(Enrolment.state, Enrolment.stage)
    ):
        states[state] = states.get(state, 0) + n
        if state != WITHDRAWN:
            at_stage[stage_key] = at_stage.get(stage_key, 0) + n
    if states.get(WITHDRAWN):
        at_stage[WITHDRAWN] = states[WITHDRAWN]
    withdrawn_last = case((Enrolment.state == WITHDRAWN, 1), else_=0)
    order = case(
        {s.key: i for i, s in enumerate(definition.stages)}, value=Enrolment.stage, else_=len(definition.stages)
    )
    query = select(*listed_columns()).join(User, User.id == Enrolment.learner_id).where(in_cohort)
    if stage == WITHDRAWN and stage in at_stage:
        query = query.where(Enrolment.state == WITHDRAWN)
    elif stage in at_stage:
        query = query.where(Enrolment.stage == stage, Enrolment.state != WITHDRAWN)
    total = sum(n for key, n in at_stage.items() if stage not in at_stage or key == stage)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    shown = db.session.execute(
        query.order_by(withdrawn_last, order, User.last_name, User.first_name, Enrolment.id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    withdrawn_row = [(Stage(WITHDRAWN, "Withdrawn", "Left the programme"), at_stage.get(WITHDRAWN, 0))]
    return CohortPage(
        cohort,
        definition,
        CohortRow(cohort, definition.title, states),
        [(s, at_stage.get(s.key, 0)) for s in definition.stages] + withdrawn_row,
        verdicts(shown, as_of or today()),
        page,
        pages,
        stage if stage in at_stage else None,
    )


def programmes() -> list[Definition]:
    """The latest version of every programme in the catalogue."""
    return sorted((catalogue().latest(key) for key in catalogue().keys()), key=lambda d: d.title)


def stage_counts(actor: User, key: str) -> tuple[Definition, dict[str, int]]:
    """How many of the organisation's learners (not withdrawn) are at each stage of a programme."""
    require_lead(actor, actor.organisation_id)
    definition = latest_definition(key)
    rows = db.session.execute(
        select(Enrolment.stage, func.count())
        .join(PathwayVersion, PathwayVersion.id == Enrolment.pathway_version_id)
        .where(
            Enrolment.organisation_id == actor.organisation_id,
            PathwayVersion.key == key,
            Enrolment.state != "withdrawn",
        )
        .group_by(Enrolment.stage)
    )
    return definition, dict(rows.tuples().all())


def people(actor: User, role: str) -> list[User]:
    """The enabled people of one role in the lead's organisation, by name."""
    require_lead(actor, actor.organisation_id)
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == actor.organisation_id, User.role == role, User.is_enabled.is_(True))
            .order_by(User.last_name, User.first_name)
        )
    )


def cohort_choices(actor: User) -> list[Cohort]:
    require_lead(actor, actor.organisation_id)
    return list(
        db.session.scalars(
            select(Cohort).where(Cohort.organisation_id == actor.organisation_id).order_by(Cohort.start_date.desc())
        )
    )
