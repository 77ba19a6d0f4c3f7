"""Checking an import file against itself and the organisation, with no database access."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email

from app.models import ROLES, Cohort, Organisation, Site, User
from app.services.catalogue import latest_definition
from app.services.enrolments import cohort_problem
from app.services.import_file import NewEnrolment, PersonChange, Plan, Row, parse_date
from app.services.import_people import clause as _clause
from app.services.import_people import fact_values, planned_person
from app.services.permissions import person_change_problem
from app.services.preceptor_rules import person as stored_person
from app.services.preceptor_rules import preceptor_problem, rule_problems
from app.services.values import text_problem
from pathways import DateRange, Person, learner_problem
from pathways.prerequisites import prerequisite_problem

MAX_LENGTHS = {
    "employee_number": 40,
    "first_name": 100,
    "last_name": 100,
    "email": 254,
    "band": 10,
    "cohort": 120,
}
ENROLMENT_COLUMNS = ("cohort", "start_date", "preceptor_employee_number")
EVERY = 1000  # rows checked between two reports of progress


@dataclass
class Lookups:
    """What the checks need to know about the organisation, fetched in a fixed number of queries."""

    organisation: Organisation
    people: dict[str, User]  # employee number -> person in this organisation
    email_owners: dict[str, tuple[int, str]]  # email -> (organisation id, employee number)
    sites: dict[str, Site]  # lower-case name -> site
    cohorts: dict[str, Cohort]  # name -> cohort
    enrolled: dict[tuple[int, str], int | None]  # (learner id, programme key) -> cohort id
    caseload: dict[int, int]  # preceptor id -> learners supported now
    caseload_limits: Mapping[str, Any]  # programme key -> limit (or None)
    may_create_admins: bool
    date_range: DateRange  # the dates a person may enter
    today: date
    care_certificates: dict[int, date] = field(default_factory=dict)  # person id -> Care Certificate completed
    planned: dict[str, Person] = field(default_factory=dict)  # employee number -> person once written


def validate(
    rows: list[Row], plan: Plan, lookups: Lookups, checked: Callable[[int], None] = lambda done: None
) -> Plan:
    """Check every row against the file and the organisation; collect every problem.

    ``checked`` hears how many rows are done, every ``EVERY`` rows.
    """
    first_row: dict[str, int] = {}
    first_email: dict[str, int] = {}
    roles: dict[str, str] = {}
    for row in rows:
        number = row.values["employee_number"]
        if number and number not in first_row:
            first_row[number] = row.number
            existing = lookups.people.get(number)
            roles[number] = row.values["role"].lower() or (existing.role if existing else "learner")
            facts = fact_values(row.values, lookups.date_range, lookups.today, [])  # its own row reports problems
            lookups.planned[number] = planned_person(number, row.values, existing, roles[number], facts)
    new_load: dict[str, int] = {}
    for done, row in enumerate(rows):
        if done % EVERY == 0:
            checked(done)
        problems: list[tuple[str, str]] = []
        person = _person(row, lookups, first_row, first_email, problems)
        enrolment = _enrolment(row, lookups, plan, roles, new_load, problems)
        plan.problems += [f"row {row.number}: {column}: {problem}" for column, problem in problems]
        if not problems:
            plan.people.append(person)
            if enrolment is not None:
                plan.enrolments.append(enrolment)
    if plan.problems:
        plan.people, plan.enrolments, plan.new_cohorts = [], [], {}
    return plan


def _person(
    row: Row, lookups: Lookups, first_row: dict[str, int], first_email: dict[str, int], problems: list
) -> PersonChange:
    v = row.values
    for column, limit in MAX_LENGTHS.items():
        if len(v[column]) > limit:
            problems.append((column, f"must be {limit} characters or fewer"))
    number = v["employee_number"]
    if not number:
        problems.append(("employee_number", "enter the employee number"))
    elif first_row[number] != row.number:
        problems.append(("employee_number", f"{number} is also on row {first_row[number]}"))
    existing = lookups.people.get(number)
    values: dict[str, Any] = {k: v[k] for k in ("first_name", "last_name", "band") if v[k]}
    values |= fact_values(v, lookups.date_range, lookups.today, problems)
    email = _email(v["email"], number, lookups, problems)
    if email:
        if email in first_email:
            problems.append(("email", f"{email} is also on row {first_email[email]}"))
        first_email.setdefault(email, row.number)
        values["email"] = email
    for column in ("first_name", "last_name", "band"):
        if problem := text_problem(v[column], single_line=True):
            problems.append((column, _clause(problem)))
    role = v["role"].lower() or None
    if role is not None:
        if role not in ROLES:
            problems.append(("role", f"'{v['role']}' is not a role; use one of: {', '.join(ROLES)}"))
        values["role"] = role
    if problem := person_change_problem(lookups.may_create_admins, existing.role if existing else None, role):
        problems.append(("role" if role else "employee_number", problem))
    if v["site"]:
        site = lookups.sites.get(v["site"].lower())
        if site is None:
            problems.append(("site", f"there is no site called '{v['site']}' in this organisation"))
        values["site_id"] = site.id if site else None
    if existing is None:
        problems += [(k, "enter a name for a new person") for k in ("first_name", "last_name") if not v[k]]
        return PersonChange(row.number, number, "create", values)
    changes = {k: value for k, value in values.items() if getattr(existing, k) != value}
    return PersonChange(row.number, number, "update" if changes else "unchanged", changes, existing)


def _email(text: str, number: str, lookups: Lookups, problems: list) -> str:
    if not text:
        problems.append(("email", "enter the email address"))
        return ""
    try:
        email = validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        problems.append(("email", f"'{text}' is not a valid email address"))
        return ""
    owner = lookups.email_owners.get(email)
    if owner is not None and owner != (lookups.organisation.id, number):
        problems.append(("email", f"{email} is already used by another person"))
    return email


def _enrolment(
    row: Row, lookups: Lookups, plan: Plan, roles: dict[str, str], new_load: dict[str, int], problems: list
) -> NewEnrolment | None:
    v = row.values
    key = v["pathway"]
    if not key:
        problems += [(c, "name a pathway to enrol this person on") for c in ENROLMENT_COLUMNS if v[c]]
        return None
    start = None
    if v["start_date"]:
        try:
            start = parse_date(v["start_date"])
        except ValueError as error:
            problems.append(("start_date", str(error)))
        else:
            if problem := lookups.date_range.problem(start):
                problems.append(("start_date", _clause(problem)))
                start = None
    number = v["employee_number"]
    existing_learner = lookups.people.get(number)
    role = roles.get(number, "learner")
    if problem := learner_problem(Person(0, existing_learner.full_name if existing_learner else number, role), None):
        problems.append(("role" if v["role"] else "pathway", problem))  # it starts with the person's name
    if key not in lookups.caseload_limits:  # still check the preceptor, so every problem on the row is reported
        problems.append(("pathway", f"there is no programme called '{key}'"))
        _preceptor(row, lookups, roles, new_load, problems, None)
        return None
    if start is not None and (problem := _prerequisite(key, start, existing_learner, number, lookups)):
        problems.append(("pathway", problem))
    cohort_name = v["cohort"]
    cohort = lookups.cohorts.get(cohort_name)
    if cohort is not None:
        if problem := cohort_problem(cohort, lookups.organisation.id, key):
            problems.append(("cohort", problem))
        start = start or cohort.start_date
    elif cohort_name:
        planned_key, planned_start = plan.new_cohorts.get(cohort_name, (key, start))
        if planned_key != key:
            problems.append(("cohort", f"cohort {cohort_name} is on {planned_key} on an earlier row"))
        elif start:
            plan.new_cohorts[cohort_name] = (key, min(start, planned_start or start))
    if start is None and not v["start_date"]:
        problems.append(("start_date", "enter the start date"))
    existing = lookups.people.get(v["employee_number"])
    if existing is not None and (existing.id, key) in lookups.enrolled:
        if cohort_name and lookups.enrolled[(existing.id, key)] != getattr(cohort, "id", None):
            problems.append(("cohort", "this person is already on this programme in another cohort"))
        plan.already_enrolled += 0 if problems else 1
        return None
    _preceptor(row, lookups, roles, new_load, problems, start)
    if start is None:  # its problem is already on the row
        return None
    return NewEnrolment(row.number, v["employee_number"], key, start, cohort_name, v["preceptor_employee_number"])


def _prerequisite(key: str, start: date, learner: User | None, number: str, lookups: Lookups) -> str | None:
    """A new person has no history here: a programme with a prerequisite refuses them until it is recorded."""
    completed_on = lookups.care_certificates.get(learner.id) if learner else None
    name = learner.full_name if learner else number
    return prerequisite_problem(latest_definition(key), name, start, completed_on)  # it starts with the name


def _preceptor(
    row: Row, lookups: Lookups, roles: dict[str, str], new_load: dict[str, int], problems: list, start: date | None
) -> None:
    number = row.values["preceptor_employee_number"]
    if not number:
        return
    column = "preceptor_employee_number"
    if number == row.values["employee_number"]:
        problems.append((column, "a person cannot be their own preceptor"))
        return
    existing = lookups.people.get(number)
    if number in roles:  # named in this file: the file's role wins
        if roles[number] != "preceptor":
            problems.append((column, f"{number} is not a preceptor"))
            return
        if existing is not None and not existing.is_enabled:
            problems.append((column, f"{existing.full_name}'s account is disabled"))
            return
        held = lookups.caseload.get(existing.id, 0) if existing else 0
        preceptor = lookups.planned[number]  # judged on the file's values
    elif existing is None:
        problems.append((column, f"there is no one with employee number {number} in this organisation"))
        return
    else:
        if problem := preceptor_problem(existing, lookups.organisation.id):
            problems.append((column, problem))
            return
        held = lookups.caseload.get(existing.id, 0)
        preceptor = stored_person(existing)
    key = row.values["pathway"]
    learner = lookups.planned.get(row.values["employee_number"])
    if key not in lookups.caseload_limits or learner is None:  # no such programme or no employee number:
        return  # that problem is on the row already
    limit = lookups.caseload_limits[key]
    on = start or lookups.today  # an assignment starts with its enrolment
    held += new_load.get(number, 0)
    for problem in rule_problems(latest_definition(key), preceptor, learner, on, held, limit):
        problems.append((column, problem))  # each starts with the person's name
    new_load[number] = new_load.get(number, 0) + 1
