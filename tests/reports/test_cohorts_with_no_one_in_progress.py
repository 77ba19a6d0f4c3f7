"""A cohort whose learners have all withdrawn, on a programme with no reviews: reported, never a crash."""

from __future__ import annotations

import csv
from datetime import date

import pandas as pd
import pytest

from app.services import enrolments, tokens, transitions
from pathways import load_catalogue
from reports.cohort import Frames, build
from tests.factories import CohortFactory, LearnerFactory
from tests.web.conftest import signed_in

CATALOGUE = load_catalogue()
WITHOUT_REVIEWS = ["healthcare-works-jobs", "higher-development-award", "pre-employment-placement"]
D = pd.Timestamp


def one_withdrawn_learner(pathway: str) -> Frames:
    """One learner who started on 1 January 2026 and withdrew on 1 March; the report is as of 1 June."""
    first = CATALOGUE.get(pathway, 1).stages[0].key
    enrolments_ = pd.DataFrame([{
        "id": 1, "settings_version_id": None, "organisation": "trust-z", "pathway": pathway, "pathway_version": 1,
        "cohort": "January 2026", "cohort_start": D("2026-01-01"), "site": "Main",
        "profession": "healthcare_support_worker", "start_date": D("2026-01-01"),
        "contracted_hours": None, "prior_learning_hours": 0.0,
    }])  # fmt: skip
    events = pd.DataFrame(
        [(1, 1, "enrol", first, "active", D("2026-01-01"), pd.NaT),
         (2, 1, "withdraw", first, "withdrawn", D("2026-03-01"), pd.NaT)],
        columns=["id", "enrolment_id", "action", "to_stage", "to_state", "effective_on", "new_end"],
    )  # fmt: skip
    reviews = pd.DataFrame({"enrolment_id": pd.Series(dtype="int64"), "slot": pd.Series(dtype="object")})
    hours = pd.DataFrame({"enrolment_id": pd.Series(dtype="int64"), "hours": pd.Series(dtype="float64")})
    cohorts = enrolments_[["organisation", "pathway", "cohort", "cohort_start"]]
    return Frames(date(2026, 6, 1), enrolments_, cohorts, events, reviews, hours, {})


@pytest.mark.parametrize("pathway", WITHOUT_REVIEWS)
def test_a_cohort_with_no_one_in_progress_on_a_programme_without_reviews_is_reported(pathway):
    row = build(one_withdrawn_learner(pathway), CATALOGUE.get)["cohort"].iloc[0]
    assert (row["enrolled"], row["withdrawn"], row["active"], row["on_hold"]) == (1, 1, 0, 0)
    assert row["overdue_reviews"] == 0


@pytest.fixture
def withdrawn_cohort(world):
    """The lead's cohort on the jobs route, whose only learner has withdrawn."""
    cohort = CohortFactory(
        organisation=world.lead.organisation, pathway_key="healthcare-works-jobs", name="Jobs route October 2026"
    )
    learner = LearnerFactory(organisation=world.lead.organisation)
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key="healthcare-works-jobs", start_date=date(2026, 10, 1),
        cohort_id=cohort.id,
    )  # fmt: skip
    transitions.transition(world.lead, enrolment.id, "withdraw", reason="Took a job elsewhere")
    return cohort


def test_the_page_shows_a_cohort_with_no_one_in_progress(app, world, withdrawn_cohort):
    response = signed_in(app, world.lead).get(f"/reports/cohorts?cohort={withdrawn_cohort.name}")
    assert response.status_code == 200
    assert withdrawn_cohort.name in response.get_data(as_text=True)


def test_the_api_reports_a_cohort_with_no_one_in_progress(client, world, withdrawn_cohort):
    headers = {"Authorization": f"Bearer {tokens.issue(world.lead)}"}
    response = client.get(f"/api/v1/reports/cohort?cohort={withdrawn_cohort.name}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    [row] = response.json["cohort"]
    assert (row["cohort"], row["enrolled"], row["withdrawn"]) == (withdrawn_cohort.name, 1, 1)


def test_the_command_reports_a_cohort_with_no_one_in_progress(app, world, withdrawn_cohort, tmp_path):
    out = tmp_path / "report.csv"
    result = app.test_cli_runner().invoke(args=[
        "reports", "cohort", "--format", "csv", "--output", str(out), "--org", world.lead.organisation.slug,
        "--cohort", withdrawn_cohort.name,
    ])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert (row["enrolled"], row["withdrawn"], row["overdue_reviews"]) == ("1", "1", "0")
