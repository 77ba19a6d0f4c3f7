"""Bulk import of people and enrolments: all rows or none, checked in bulk, written in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from sqlalchemy import func, select

from app.extensions import db
from app.models import Cohort, Enrolment, Organisation, PathwayVersion, PreceptorAssignment, Site, User
from app.services import accounts, audit
from app.services.catalogue import catalogue, latest_definition, pathway_version
from app.services.clock import today
from app.services.cohorts import create_cohort
from app.services.enrolments import NewEnrolment, add_enrolments
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.import_file import Plan, Row, parse
from app.services.import_rules import Lookups, validate
from app.services.permissions import require_lead
from app.services.preceptor_rules import caseload_limit, open_caseloads
from app.services.prerequisite_checks import care_certificates
from app.services.progress import UNREPORTED, Progress
from app.services.unit_of_work import command, record_refusal
from app.services.values import date_range
from pathways.prerequisites import prerequisites

CHUNK = 2000  # keeps IN lists well inside every database's parameter limit
Key = TypeVar("Key", int, str)


def _chunks(values: Iterable[Key]) -> Iterator[list[Key]]:
    iterator = iter(sorted(set(values)))
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def organisation_by_slug(slug: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise NotFound(f"There is no organisation called '{slug}'")
    return organisation


def load_lookups(organisation: Organisation, rows: list[Row], *, may_create_admins: bool) -> Lookups:
    """Everything the checks need, in a number of queries that does not grow with the rows."""
    org_id = organisation.id
    numbers = {r.values["employee_number"] for r in rows} | {r.values["preceptor_employee_number"] for r in rows}
    numbers.discard("")
    people: dict[str, User] = {}
    for chunk in _chunks(numbers):
        people.update(
            (u.employee_number, u)
            for u in db.session.scalars(
                select(User).where(User.organisation_id == org_id, User.employee_number.in_(chunk))
            )
        )
    email_owners: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(r.values["email"].lower() for r in rows if r.values["email"]):
        for email, owner_org, number in db.session.execute(
            select(User.email, User.organisation_id, User.employee_number).where(func.lower(User.email).in_(chunk))
        ):
            email_owners[email.lower()] = (owner_org, number)
    person_ids = [u.id for u in people.values()]
    return Lookups(
        organisation=organisation,
        people=people,
        email_owners=email_owners,
        sites={s.name.lower(): s for s in db.session.scalars(select(Site).where(Site.organisation_id == org_id))},
        cohorts={c.name: c for c in db.session.scalars(select(Cohort).where(Cohort.organisation_id == org_id))},
        enrolled=_enrolled(person_ids),
        caseload=_caseload(person_ids),
        caseload_limits={key: caseload_limit(org_id, key) for key in {d.key for d in catalogue()}},
        may_create_admins=may_create_admins,
        date_range=date_range(),
        today=today(),
        care_certificates=care_certificates(_enrolling_with_prerequisites(rows, people), today()),
    )


def _enrolling_with_prerequisites(rows: list[Row], people: dict[str, User]) -> set[int]:
    """The people already here whose rows enrol them on a programme with a prerequisite (the HDA)."""
    keys = {definition.key for definition in catalogue() if prerequisites(definition)}
    numbers = {r.values["employee_number"] for r in rows if r.values["pathway"] in keys}
    return {people[number].id for number in numbers if number in people}


def _enrolled(person_ids: list[int]) -> dict[tuple[int, str], int | None]:
    enrolled: dict[tuple[int, str], int | None] = {}
    for chunk in _chunks(person_ids):
        for learner_id, key, cohort_id in db.session.execute(
            select(Enrolment.learner_id, PathwayVersion.key, Enrolment.cohort_id)
            .join(PathwayVersion, PathwayVersion.id == Enrolment.pathway_version_id)
            .where(Enrolment.learner_id.in_(chunk), Enrolment.state.in_(("active", "on_hold")))
        ):
            enrolled[(learner_id, key)] = cohort_id
    return enrolled


def _caseload(person_ids: list[int]) -> dict[int, int]:
    caseload: dict[int, int] = {}
    for chunk in _chunks(person_ids):
        caseload.update(
            db.session.execute(open_caseloads().where(PreceptorAssignment.preceptor_id.in_(chunk))).tuples().all()
        )
    return caseload


def preview(
    actor: User | None, organisation: Organisation, data: bytes, progress: Progress = UNREPORTED
) -> tuple[Plan, Lookups | None]:
    """What the file would change, or every problem in it; writes nothing."""
    if actor is not None:
        require_lead(actor, organisation.id)
    progress.step("Reading the file", 0, 0)
    rows, plan = parse(data)
    if plan.problems:
        return plan, None
    progress.step("Checking rows", 0, len(rows))
    may_create_admins = actor is None or actor.role == "admin"
    lookups = load_lookups(organisation, rows, may_create_admins=may_create_admins)
    checked = validate(rows, plan, lookups, lambda done: progress.step("Checking rows", done, len(rows)))
    return checked, lookups


def run(
    actor: User | None,
    organisation: Organisation,
    data: bytes,
    *,
    dry_run: bool = False,
    progress: Progress = UNREPORTED,
) -> Plan:
    """Check the whole file and, unless it is a dry run or any row is bad, write it in one transaction.

    ``actor`` None is the command line acting for the system.
    """
    plan, lookups = preview(actor, organisation, data, progress)
    if plan.problems:
        problems = ValidationFailed({"file": f"{len(plan.problems)} problems"}, "; ".join(plan.problems[:20]))
        record_refusal(actor, "learners.import", organisation.id, problems)
    if plan.problems or dry_run or lookups is None:
        return plan
    try:
        _write(actor, plan, lookups, progress)
    except Conflict:  # another import or edit added the same people since the checks ran
        plan.problems.append("row 1: file: these people were changed by someone else while importing; try again")
    return plan


@command("learners.import")
def _write(actor: User | None, plan: Plan, lookups: Lookups, progress: Progress) -> None:
    progress.saving()
    with audit.batched():
        _apply(actor, plan, lookups, progress)
    progress.saved(plan.summary())


def _apply(actor: User | None, plan: Plan, lookups: Lookups, progress: Progress) -> None:
    organisation = lookups.organisation
    sites = {site.id: site for site in lookups.sites.values()}
    cohorts = dict(lookups.cohorts)
    for name, (key, start) in plan.new_cohorts.items():
        cohorts[name] = create_cohort(
            actor, name=name, pathway_key=key, start_date=start, organisation_id=organisation.id
        )
    people = dict(lookups.people)
    for done, change in enumerate(plan.people):
        if done % CHUNK == 0:
            progress.step("Saving people", done, len(plan.people))
        if change.action == "create":
            values = dict(change.values)
            site = sites.get(values.pop("site_id", None))
            people[change.employee_number] = accounts.create_user(
                organisation, employee_number=change.employee_number, site=site, actor=actor, **values
            )
        elif change.action == "update":
            assert change.existing is not None, "an update always names the person it changes"
            accounts.update_user(change.existing, change.values, actor=actor)
    db.session.flush()  # every new person's id at once, before their enrolments
    versions = {}
    for key in {e.pathway for e in plan.enrolments}:
        definition = latest_definition(key)
        versions[key] = (pathway_version(definition), definition)
    progress.step("Saving enrolments", 0, len(plan.enrolments))
    new = []
    for item in plan.enrolments:
        version, definition = versions[item.pathway]
        learner, preceptor = people[item.employee_number], people.get(item.preceptor_employee_number)
        new.append(NewEnrolment(learner, version, definition, item.start_date, cohorts.get(item.cohort), preceptor))
    add_enrolments(actor, new)
    audit.record(actor, "learners.imported", organisation, organisation_id=organisation.id, **plan.summary())
