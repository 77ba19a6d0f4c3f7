"""All rows or none: any bad row means nothing is written, and every bad row is reported."""

from __future__ import annotations

import pytest

from app.services import importer
from app.services.errors import PermissionDenied
from tests.factories import LeadFactory
from tests.importer.conftest import HEADER, counts, csv_file, person, staff

BAD_ROWS = {
    "unknown pathway": (
        [person("N1", pathway="nursing-associate")],
        "row 2: pathway: there is no programme called 'nursing-associate'",
    ),
    "unknown preceptor": (
        [person("N1", preceptor_employee_number="P999")],
        "row 2: preceptor_employee_number: there is no one with employee number P999 in this organisation",
    ),
    "preceptor from another organisation": (
        [person("N1", preceptor_employee_number="F001")],
        "row 2: preceptor_employee_number: there is no one with employee number F001 in this organisation",
    ),
    "preceptor who is a learner": (
        [staff("N2"), person("N1", preceptor_employee_number="N2")],
        "row 3: preceptor_employee_number: N2 is not a preceptor",
    ),
    "duplicate employee number": (
        [person("N1"), staff("N1", email="other@nhs.net")],
        "row 3: employee_number: N1 is also on row 2",
    ),
    "duplicate email": (
        [staff("N1", email="same@nhs.net"), staff("N2", email="Same@nhs.net")],
        "row 3: email: same@nhs.net is also on row 2",
    ),
    "email of someone else": (
        [staff("N1", email="{preceptor_email}")],
        "row 2: email: {preceptor_email} is already used by another person",
    ),
    "bad email": ([person("N1", email="amara.okafor@")], "row 2: email: 'amara.okafor@' is not a valid email address"),
    "impossible date": ([person("N1", start_date="31/02/2026")], "row 2: start_date: '31/02/2026' is not a real date"),
    "unreadable date": (
        [person("N1", start_date="1st September")],
        "row 2: start_date: '1st September' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY",
    ),
    "missing start date for a new cohort": (
        [person("N1", cohort="New intake", start_date="")],
        "row 2: start_date: enter the start date",
    ),
    "cohort on another programme": (
        [person("N1", pathway="wecare-support-worker")],
        "row 2: cohort: Cohort Preceptorship September 2026 is on a different programme",
    ),
    "enrolment details without a pathway": (
        [person("N1", pathway="", start_date="", preceptor_employee_number="")],
        "row 2: cohort: name a pathway to enrol this person on",
    ),
    "unknown site": (
        [staff("N1", site="St Elsewhere")],
        "row 2: site: there is no site called 'St Elsewhere' in this organisation",
    ),
    "unknown role": (
        [staff("N1", role="matron")],
        "row 2: role: 'matron' is not a role; use one of: learner, preceptor, lead, admin",
    ),
    "missing name": ([staff("N1", first_name="")], "row 2: first_name: enter a name for a new person"),
    "missing employee number": (
        [staff("", email="new.starter@nhs.net")],
        "row 2: employee_number: enter the employee number",
    ),
    "too long": ([staff("N" * 41)], "row 2: employee_number: must be 40 characters or fewer"),
    "preceptor caseload full": (
        [person(f"N{i}") for i in range(4)],
        "row 5: preceptor_employee_number: {preceptor_name} already supports 3 learners, the limit is 3",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_a_bad_row_is_reported_and_nothing_is_written(trust, kind):
    rows, problem = BAD_ROWS[kind]
    names = {"preceptor_email": trust.preceptor.email, "preceptor_name": trust.preceptor.full_name}
    rows = [{k: v.format(**names) for k, v in row.items()} for row in rows]
    before = counts()
    plan = importer.run(None, trust.organisation, csv_file(rows + [person("GOOD1", preceptor_employee_number="")]))
    assert plan.problems == [problem.format(**names)]
    assert counts() == before


@pytest.mark.parametrize(
    "data, problem",
    [
        (
            csv_file([staff("N1")], columns=[c for c in HEADER if c != "email"]),
            "row 1: email: this required column is missing",
        ),
        (b"", "row 1: file: the file is empty; the first row must name the columns"),
        (",".join(HEADER).encode() + b"\r\n", "row 2: file: there are no learners in the file"),
        (
            "employee_number,email,first_name\r\nN1,a@nhs.net,Zoë\r\n".encode("latin-1"),
            "row 2: file: this is not UTF-8 text; save the file as 'CSV UTF-8'",
        ),
        (
            b"employee_number,email,email\r\nN1,a@nhs.net,b@nhs.net\r\n",
            "row 1: email: this column appears more than once",
        ),
        (
            b"employee_number,email\r\nN1,a@nhs.net,extra\r\n",
            "row 2: file: this row has more values than there are columns",
        ),
    ],
    ids=["missing-column", "empty", "header-only", "not-utf8", "column-twice", "extra-value"],
)
def test_a_bad_file_is_reported_and_nothing_is_written(trust, data, problem):
    before = counts()
    assert importer.run(None, trust.organisation, data).problems == [problem]
    assert counts() == before


def test_every_bad_row_is_reported_not_just_the_first(trust):
    rows = [
        person("N1"),
        person("N2", email="not-an-email", start_date="2026-02-30"),
        staff("N3"),
        person("N4", pathway="nursing-associate", preceptor_employee_number="P999"),
        person("N1", first_name="Again", email="again@nhs.net"),
    ]
    before = counts()
    plan = importer.run(None, trust.organisation, csv_file(rows))
    assert plan.problems == [
        "row 3: email: 'not-an-email' is not a valid email address",
        "row 3: start_date: '2026-02-30' is not a real date",
        "row 5: pathway: there is no programme called 'nursing-associate'",
        "row 5: preceptor_employee_number: there is no one with employee number P999 in this organisation",
        "row 6: employee_number: N1 is also on row 2",
    ]
    assert counts() == before


def test_a_lead_cannot_create_an_administrator(trust):
    before = counts()
    plan = importer.run(trust.lead, trust.organisation, csv_file([staff("N1", role="admin")]))
    assert plan.problems == ["row 2: role: only an administrator can make someone an administrator or a programme lead"]
    assert counts() == before


def test_a_lead_of_another_organisation_cannot_import_here(trust, ctx):
    outsider = LeadFactory(organisation=trust.foreign_preceptor.organisation)
    with pytest.raises(PermissionDenied):
        importer.run(outsider, trust.organisation, csv_file([staff("N1")]))
