"""A trust with a site, a preceptor and a cohort, a second trust, and helpers to write import files."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from app.models import Cohort, Organisation, Site, User
from app.services.import_file import COLUMNS
from tests.conftest import table_counts
from tests.factories import CohortFactory, LeadFactory, OrganisationFactory, PreceptorFactory, SiteFactory

HEADER = list(COLUMNS)


@dataclass
class Trust:
    organisation: Organisation
    site: Site
    lead: User
    preceptor: User
    cohort: Cohort
    foreign_preceptor: User


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False)


@pytest.fixture
def trust(ctx) -> Trust:
    organisation = OrganisationFactory(slug="northgate")
    site = SiteFactory(organisation=organisation, name="Northgate General Hospital")
    foreign = OrganisationFactory(slug="eastbrook")
    return Trust(
        organisation=organisation,
        site=site,
        lead=LeadFactory(organisation=organisation),
        preceptor=PreceptorFactory(organisation=organisation, employee_number="P001", email="sarah.mitchell@nhs.net"),
        cohort=CohortFactory(
            organisation=organisation, name="Preceptorship September 2026", start_date=date(2026, 9, 1)
        ),
        foreign_preceptor=PreceptorFactory(organisation=foreign, employee_number="F001"),
    )


def person(number: str, **values: str) -> dict[str, str]:
    """A valid learner row; keyword arguments change or add columns."""
    row = {
        "employee_number": number,
        "first_name": "Amara",
        "last_name": "Okafor",
        "email": f"{number.lower()}@nhs.net",
        "role": "learner",
        "site": "Northgate General Hospital",
        "profession": "adult_nursing",
        "band": "5",
        "pathway": "preceptorship",
        "cohort": "Preceptorship September 2026",
        "start_date": "2026-09-01",
        "preceptor_employee_number": "P001",
    }
    row.update(values)
    return row


def csv_file(rows: list[dict[str, str]], *, columns: list[str] | None = None, bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or HEADER, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def counts() -> dict[str, int]:
    """Rows in every table: a refused import must leave them all as they were (but for the refusal's audit)."""
    return table_counts()


# What a preceptor row needs for the national preceptor rules (band 6, registered 2019, trained 2021).
TRAINED = {"band": "6", "registration_date": "2019-09-01", "preceptor_trained_on": "2021-03-01"}


def staff(number: str, **values: str) -> dict[str, str]:
    """A valid row that adds or updates a person without enrolling them."""
    return person(number, pathway="", cohort="", start_date="", preceptor_employee_number="", **values)
