"""The cohort report reads the settings each enrolment keeps, as the engine does."""

from __future__ import annotations

from datetime import date

from app.services import enrolments, reports
from app.services.facts import assess
from app.services.settings_changes import set_settings
from reports.frames import Filters
from tests.factories import CohortFactory, LeadFactory, LearnerFactory, UserFactory

AS_OF = date(2026, 11, 25)


def test_an_enrolment_started_before_a_change_keeps_its_hours_target_in_the_report(ctx, frozen_today):
    lead = LeadFactory()
    org = lead.organisation
    cohort = CohortFactory(organisation=org, start_date=date(2026, 9, 1))

    def enrol(start: date):
        learner = LearnerFactory(organisation=org)
        return enrolments.enrol(
            lead, learner_id=learner.id, pathway_key="preceptorship", start_date=start, cohort_id=cohort.id
        )

    before = enrol(date(2026, 9, 1))
    admin = UserFactory(role="admin", organisation=org)
    set_settings(admin, org.id, "preceptorship", effective_from=date(2026, 6, 1),
                 values={"protected_hours_per_month": 10})  # fmt: skip
    after = enrol(date(2026, 10, 1))
    per = reports.cohort_report(lead, AS_OF, Filters()).per_enrolment.set_index("id")
    assert per.loc[before.id, "hours_target_total"] == 90.0  # 12 months at 7.5, the settings it started under
    assert per.loc[after.id, "hours_target_total"] == 120.0  # 12 months at 10
    for assessed in assess([before, after], AS_OF):
        assert per.loc[assessed.enrolment.id, "hours_target"] == assessed.evaluation.hours_target_to_date
