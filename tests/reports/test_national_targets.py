"""The report's off-the-job target reads what the engine reads: contracted hours and recognised prior learning."""

from __future__ import annotations

from datetime import date

from app.services import enrolments, national_records, reports
from app.services.facts import assess
from app.services.settings_changes import set_settings
from reports.frames import Filters
from tests.factories import CohortFactory, LeadFactory, LearnerFactory, OrganisationFactory, UserFactory
from tests.stages import at_stage

APPRENTICESHIP = "healthcare-works-apprenticeship"
AS_OF = date(2026, 11, 25)


def apprentice(lead, start: date, hours: float | None):
    learner = LearnerFactory(organisation=lead.organisation, contracted_hours_per_week=hours,
                             date_of_birth=date(1990, 1, 1))  # fmt: skip
    cohort = CohortFactory(organisation=lead.organisation, pathway_key=APPRENTICESHIP, start_date=start)
    enrolment = enrolments.enrol(
        lead, learner_id=learner.id, pathway_key=APPRENTICESHIP, start_date=start, cohort_id=cohort.id
    )
    return at_stage(enrolment, "apprenticeship", start)


def test_part_time_and_prior_learning_targets_agree_with_the_engine(ctx, frozen_today):
    lead = LeadFactory(organisation=OrganisationFactory(slug="trust-otj"))
    admin = UserFactory(role="admin", organisation=lead.organisation)
    set_settings(admin, admin.organisation_id, APPRENTICESHIP, effective_from=date(2025, 1, 1),
                 values={"standard_off_the_job_hours": 400})  # fmt: skip  # the standard's published minimum
    full_time = apprentice(lead, date(2025, 3, 3), 37.5)  # 2022-25 rules: 6 hours a week
    part_time = apprentice(lead, date(2025, 3, 3), 22.5)  # under 30 hours: 20% of contracted hours
    with_prior = apprentice(lead, date(2025, 9, 1), 37.5)  # from August 2025: published minimum less prior learning
    without_prior = apprentice(lead, date(2025, 9, 1), 37.5)
    national_records.record_prior_learning(
        lead, with_prior.id, hours=60, reason="Level 2 diploma in care", recorded_on=date(2025, 9, 15)
    )
    per = reports.cohort_report(lead, AS_OF, Filters()).per_enrolment.set_index("id")
    everyone = [full_time, part_time, with_prior, without_prior]
    engine = {a.enrolment.id: a.evaluation for a in assess(everyone, AS_OF)}
    for enrolment in everyone:
        assert per.loc[enrolment.id, "hours_target_total"] == engine[enrolment.id].hours_target_total
        assert per.loc[enrolment.id, "hours_target"] == engine[enrolment.id].hours_target_to_date
    assert per.loc[part_time.id, "hours_target"] < per.loc[full_time.id, "hours_target"]
    assert per.loc[with_prior.id, "hours_target"] < per.loc[without_prior.id, "hours_target"]
