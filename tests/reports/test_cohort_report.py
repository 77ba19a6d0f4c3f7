"""The cohort completion report on a hand-built cohort: every column worked out by hand (see conftest)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from app.extensions import db
from app.services import reports
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.facts import assess
from app.services.reports import any_report
from reports.frames import Filters
from tests.factories import LeadFactory, LearnerFactory, OrganisationFactory
from tests.reports.conftest import AS_OF

SEPTEMBER = {
    "organisation": "trust-a", "pathway": "preceptorship", "pathway_version": 2, "cohort": "September 2025",
    "cohort_start": date(2025, 9, 1),
    "enrolled": 8,  # A–H
    "active": 2,  # G, H
    "on_hold": 1,  # F
    "completed": 4,  # A, B, C, D
    "withdrawn": 1,  # E
    "completion_rate": 0.5,  # 4 / 8
    "completed_on_time": 3,  # A on the day, B (end moved 30 days by the hold), C (extension); not D
    "on_time_rate": 0.75,  # 3 / 4
    "median_days_to_complete": 367.0,  # A 365, B 374 - 30 held = 344, C 378, D 369 -> (365 + 369) / 2
    "overdue_reviews": 5,  # F midpoint, G all three, H midpoint; never E (withdrawn)
    "hours_logged": 180.5,  # A 100, B 50.5 off-the-job, G 20, H 10 (not supernumerary, removed or later rows)
    "hours_target": 185.1,  # G 120 (past 12 months); H 120 × 198/365 = 65.1; never F (on hold)
    "preceptor_overrides": 0,  # every preceptor met the rules
}  # fmt: skip
MARCH_2027 = {
    "organisation": "trust-a", "pathway": "preceptorship", "pathway_version": None, "cohort": "March 2027",
    "cohort_start": date(2027, 3, 1), "enrolled": 0, "active": 0, "on_hold": 0, "completed": 0, "withdrawn": 0,
    "completion_rate": None, "completed_on_time": 0, "on_time_rate": None, "median_days_to_complete": None,
    "overdue_reviews": 0, "hours_logged": 0.0, "hours_target": 0.0, "preceptor_overrides": 0,
}  # fmt: skip


def rows(frame) -> list[dict]:
    """Plain values: NaN as None, Timestamps as dates, numpy numbers as Python numbers."""
    out = []
    for record in frame.to_dict(orient="records"):
        clean = {}
        for key, value in record.items():
            if pd.isna(value):
                value = None
            elif isinstance(value, pd.Timestamp):
                value = value.date()
            elif hasattr(value, "item"):
                value = value.item()
            clean[key] = value
        out.append(clean)
    return out


def report_for(lead, as_of=AS_OF, **filters):
    return reports.cohort_report(lead, as_of, Filters(**filters))


def test_every_column_on_the_as_of_date(scenario):
    report = report_for(scenario.lead)
    assert rows(report.views["cohort"]) == [SEPTEMBER, MARCH_2027]


def test_an_as_of_date_in_the_past_replays_the_history(scenario):
    report = report_for(scenario.lead, date(2026, 1, 1), cohort="September 2025")
    assert rows(report.views["cohort"]) == [SEPTEMBER | {
        "enrolled": 7,  # H started on 1 March 2026
        "active": 7, "on_hold": 0, "completed": 0, "withdrawn": 0, "completion_rate": 0.0,
        "completed_on_time": 0, "on_time_rate": None, "median_days_to_complete": None,
        "overdue_reviews": 2,  # E and G had not held the initial review due 15 September 2025
        "hours_logged": 120.0,  # A 100 on 1 October, G 20 on 1 December 2025
        "hours_target": 270.8,  # 122 clock days: 120 × 122/365 = 40.1 for six, B 92 days (30 held) = 30.2
    }]  # fmt: skip


def test_breakdowns_by_site_profession_and_stage(scenario):
    views = report_for(scenario.lead).views
    north, south = rows(views["site"])
    assert north == {"organisation": "trust-a", "pathway": "preceptorship", "site": "North", "enrolled": 4,
                     "active": 0, "on_hold": 0, "completed": 4, "withdrawn": 0, "completion_rate": 1.0,
                     "completed_on_time": 3, "on_time_rate": 0.75, "median_days_to_complete": 367.0,
                     "overdue_reviews": 0, "hours_logged": 150.5, "hours_target": 0.0,
                     "preceptor_overrides": 0}  # fmt: skip
    assert south == {"organisation": "trust-a", "pathway": "preceptorship", "site": "South", "enrolled": 4,
                     "active": 2, "on_hold": 1, "completed": 0, "withdrawn": 1, "completion_rate": 0.0,
                     "completed_on_time": 0, "on_time_rate": None, "median_days_to_complete": None,
                     "overdue_reviews": 5, "hours_logged": 30.0, "hours_target": 185.1,
                     "preceptor_overrides": 0}  # fmt: skip
    assert [(r["profession"], r["enrolled"]) for r in rows(views["profession"])] == [
        ("adult_nursing", 4), ("midwifery", 4)]  # fmt: skip
    stages = {r["stage"]: (r["enrolled"], r["active"], r["on_hold"], r["withdrawn"]) for r in rows(views["stage"])}
    assert stages == {"completed": (4, 0, 0, 0), "in_preceptorship": (3, 1, 1, 1), "supernumerary": (1, 1, 0, 0)}


def test_filters_narrow_every_view(scenario):
    report = report_for(scenario.lead, site="North")
    assert [(r["cohort"], r["enrolled"], r["completed"]) for r in rows(report.views["cohort"])] == [
        ("September 2025", 4, 4)]  # fmt: skip
    assert rows(report_for(scenario.lead, profession="midwifery").views["cohort"])[0]["enrolled"] == 4


def test_vectorised_dates_and_targets_agree_with_the_engine(scenario):
    per = report_for(scenario.lead).per_enrolment.set_index("id")
    for assessed in assess(list(scenario.enrolments.values()), AS_OF):
        row, evaluation = per.loc[assessed.enrolment.id], assessed.evaluation
        assert row["expected_end"].date() == evaluation.expected_end
        assert row["days_on_hold"] == evaluation.days_on_hold
        if row["state"] == "active":
            assert row["hours_target"] == evaluation.hours_target_to_date
        if row["state"] in ("active", "on_hold"):
            overdue = [s for s in evaluation.review_slots if s.held_on is None and s.due < AS_OF]
            assert row["overdue_reviews"] == len(overdue)


def test_a_lead_sees_only_their_own_organisation(scenario):
    other_lead = LeadFactory(organisation=OrganisationFactory(slug="trust-b"))
    report = report_for(other_lead, organisation="trust-a")
    assert report.views["cohort"].empty
    assert report.filters.organisation == "trust-b"


def test_a_learner_cannot_see_reports(scenario):
    learner = LearnerFactory(organisation=db.session.get(type(scenario.lead), scenario.lead.id).organisation)
    with pytest.raises(PermissionDenied):
        report_for(learner)


def test_filter_values_are_values_never_sql(scenario):
    organisation = scenario.lead.organisation.slug
    for hostile in ("September 2025' OR '1'='1", "x\\' OR 1=1 --", "%"):
        with pytest.raises(ValidationFailed, match="There is no cohort"):
            report_for(scenario.lead, cohort=hostile)
        edge = any_report(AS_OF, Filters(organisation=organisation, cohort=hostile))
        assert edge.views["cohort"].empty, hostile
    assert rows(report_for(scenario.lead, cohort="September 2025").views["cohort"])[0]["enrolled"] == 8
