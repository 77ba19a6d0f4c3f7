"""The demo trusts: sites, people of every role, and cohorts on every programme at many stages."""

from __future__ import annotations

from datetime import date, timedelta

from app.demo.cast import COHORTS, NORTHGATE_LEARNERS, NORTHGATE_STAFF
from app.demo.progress import Cast, hold_reviews, log_hours, sign_off_all, walk
from app.models import Organisation, Site, User
from app.services import accounts, enrolments, national_records, organisations, transitions
from app.services.catalogue import latest_definition
from app.services.clock import today
from app.services.cohorts import create_cohort
from app.services.unit_of_work import unit_of_work
from pathways.prerequisites import prerequisites


def _organisation(slug: str, name: str, sites: list[str]) -> tuple[Organisation, list[Site]]:
    organisation = organisations.create_organisation(None, slug=slug, name=name, sites=sites)
    by_name = {site.name: site for site in organisation.sites}
    return organisation, [by_name[site] for site in sites]  # in the order given: people name them by position


def _person(
    org: Organisation,
    sites: list[Site],
    domain: str,
    n: int,
    local: str,
    first: str,
    last: str,
    role: str,
    profession: str,
    band: str,
    site: int,
    password: str,
) -> User:
    return accounts.create_user(
        org,
        email=f"{local}@{domain}",
        first_name=first,
        last_name=last,
        employee_number=f"{domain[:2].upper()}{n:05d}",
        role=role,
        password=password,
        site=sites[site],
        profession=profession,
        band=band,
        registration_date=date(2016, 9, 1) if role == "preceptor" else None,
        preceptor_training_date=date(2021, 5, 1) if role == "preceptor" else None,
        date_of_birth=date(2007, 6, 1) if local == "apprentice" else date(1996, 3, 14),
    )


def build_world(password: str) -> None:
    org, sites = _organisation(
        "northgate",
        "Northgate Teaching Hospitals NHS Foundation Trust",
        ["Northgate General Hospital", "St Aidan's Community Hospital", "Riverside Health Centre"],
    )
    domain = "northgate.example"
    with unit_of_work():
        staff = {
            row[0]: _person(org, sites, domain, n, *row, password=password) for n, row in enumerate(NORTHGATE_STAFF)
        }
    lead = staff["lead"]
    cohorts = {
        name: create_cohort(lead, name=name, pathway_key=programme, start_date=today() - timedelta(days=days_ago))
        for name, (programme, days_ago) in COHORTS.items()
    }
    for n, (local, first, last, profession, site, programme, cohort_name, preceptor, path, then) in enumerate(
        NORTHGATE_LEARNERS, start=100
    ):
        with unit_of_work():
            learner = _person(org, sites, domain, n, local, first, last, "learner", profession, "5", site, password)
        cohort = cohorts[cohort_name]
        mentor = staff[preceptor] if preceptor else staff["assessor"]
        if prerequisites(latest_definition(programme)):  # the Higher Development Award: a Care Certificate first
            national_records.record_prior_care_certificate(
                lead, learner.id, completed_on=cohort.start_date - timedelta(days=90), evidence=f"CC-DEMO-{n:04d}"
            )
        enrolment = enrolments.enrol(
            lead,
            learner_id=learner.id,
            pathway_key=programme,
            start_date=cohort.start_date,
            cohort_id=cohort.id,
            preceptor_id=mentor.id if preceptor else None,
        )
        cast = Cast(learner, mentor, lead)
        walk(cast, enrolment, path)
        _finish(cast, enrolment, then)
    _eastbrook(password)


def _finish(cast: Cast, enrolment, then: str) -> None:
    if then == "hold":
        transitions.transition(
            cast.lead, enrolment.id, "hold", reason="Parental leave", on=today() - timedelta(days=60)
        )
    elif then == "withdraw":
        transitions.transition(
            cast.lead, enrolment.id, "withdraw", reason="Left the trust", on=today() - timedelta(days=120)
        )
    elif then in ("partial", "overdue"):
        sign_off_all(cast, enrolment, limit=4)
        hold_reviews(cast, enrolment, today(), skip={"midpoint", "review_2"} if then == "overdue" else set())
        log_hours(cast, enrolment, 30, today())


def _eastbrook(password: str) -> None:
    org, sites = _organisation("eastbrook", "Eastbrook Community Health NHS Trust", ["Eastbrook Hospital"])
    domain = "eastbrook.example"
    with unit_of_work():
        lead = _person(org, sites, domain, 1, "lead", "Megan", "Foster", "lead", "adult_nursing", "8a", 0, password)
        mentor = _person(
            org, sites, domain, 2, "preceptor", "Owen", "Reid", "preceptor", "adult_nursing", "6", 0, password
        )
        learner = _person(
            org, sites, domain, 3, "learner", "Isla", "Murray", "learner", "adult_nursing", "5", 0, password
        )
    cohort = create_cohort(
        lead, name="Eastbrook preceptorship 2026", pathway_key="preceptorship", start_date=today() - timedelta(days=100)
    )
    enrolment = enrolments.enrol(
        lead,
        learner_id=learner.id,
        pathway_key="preceptorship",
        start_date=cohort.start_date,
        cohort_id=cohort.id,
        preceptor_id=mentor.id,
    )
    walk(Cast(learner, mentor, lead), enrolment, ["supernumerary", "in_preceptorship"])
